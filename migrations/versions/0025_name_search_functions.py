"""name search functions: the trigram indexes serve searches under row-level security

Under the tenant policy PostgreSQL may not use an index for a condition whose
operator is not LEAKPROOF, and ``ILIKE`` is not: it must check the policy on a
row first (``restriction_is_securely_promotable``). So the pg_trgm indexes of
migrations 0015 and 0023 served no search the application role ran: a name
search read every row of the tenant (employees and positions: 7-12 ms each at
10,000, and growing).

Two functions run the name match as the tables' owner (``SECURITY DEFINER``,
which row-level security does not restrict) and restrict it to the tenant of
the transaction themselves, with the same setting the policy reads. No tenant
set, no rows: they fail closed like the policy, and they never search across
tenants, even with ``app.all_tenants`` on. Only the application role may
call them. ``search_path`` is pinned (PostgreSQL's advice for such functions).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 14:45:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy import rls

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

# table → function; app/org/search.py calls them.
FUNCTIONS = {"employee": "kinerja_employee_ids_named", "position": "kinerja_position_ids_named"}


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    role = rls.app_role_from_config()
    for table, function in FUNCTIONS.items():
        # EXECUTE plans the query for this very pattern (it keeps no plan): a term too short
        # for trigrams is then looked up through the tenant's own index, not the whole
        # trigram index of every tenant. LIKE's escape character is the backslash by default,
        # as app.web.listing.contains_pattern writes it. Only pg_catalog is searched for
        # names (then pg_temp, last): the table is named with its schema, and no operator
        # another role creates elsewhere can stand in for ILIKE while this runs as the owner.
        op.execute(f"""
            CREATE OR REPLACE FUNCTION public.{function}(pattern text) RETURNS SETOF integer
            LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 100
            SET search_path = pg_catalog, pg_temp
            AS $fn$
            BEGIN
              RETURN QUERY EXECUTE
                'SELECT id FROM public."{table}" WHERE tenant_id = $1 AND name ILIKE $2'
                USING NULLIF(current_setting('app.tenant_id', true), '')::integer, pattern;
            END
            $fn$""")
        op.execute(f"REVOKE ALL ON FUNCTION public.{function}(text) FROM PUBLIC")
        bind.execute(sa.text(f"GRANT EXECUTE ON FUNCTION public.{function}(text) TO {role}"))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for function in FUNCTIONS.values():
        op.execute(f"DROP FUNCTION IF EXISTS public.{function}(text)")
