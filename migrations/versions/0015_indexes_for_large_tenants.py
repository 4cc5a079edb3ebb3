"""indexes for large tenants

The admin employee list's order gets an index of its own, so a page is an
index range scan instead of a sort of the tenant; on PostgreSQL the name
search (``ILIKE '%…%'``) gets a pg_trgm GIN index when the extension can be
created (it may need a superuser: without it the search stays a scan, which
is what SQLite does anyway, and a note is logged).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:30:00

"""
import logging

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    op.create_index("ix_employee_tenant_list", "employee", ["tenant_id", sa.text("active DESC"), "name"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        op.create_index("ix_employee_name_trgm", "employee", ["name"])
        return
    try:
        with bind.begin_nested():  # a failure rolls back to here, not the whole upgrade
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        log.warning("pg_trgm could not be created (it needs a superuser): employee name search stays a scan; "
                    "a superuser may run CREATE EXTENSION pg_trgm and then this index by hand (docs/operations.md)")
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_employee_name_trgm ON employee USING gin (name gin_trgm_ops)")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_employee_name_trgm")
    op.drop_index("ix_employee_tenant_list", table_name="employee")
