"""PostgreSQL row-level security: the fail-closed backstop under ORM scoping.

* Migrations run as the owner of the tables; at run time the application
  switches to ``DATABASE_APP_ROLE`` (``SET ROLE``), which owns nothing, so
  row-level security applies to every statement it runs.
* At the start of every transaction the current tenant is handed to
  PostgreSQL with a bound parameter (``set_config(..., is_local => true)``);
  the policy compares each row's ``tenant_id`` with it. No tenant set means
  no tenant row is visible.
* ``app.all_tenants`` is the database side of ``all_tenants(reason)``.

A production deployment may instead log in directly as the application role;
``SET ROLE`` to oneself is harmless.
"""

from __future__ import annotations

import re

from flask import current_app, has_app_context
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.extensions import db
from app.tenancy.context import crossing_reason, current_tenant_id, on_change

POLICY_NAME = "tenant_isolation"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

_SET_TENANT = text(
    "SELECT set_config('app.tenant_id', :tenant_id, true), "
    "set_config('app.all_tenants', :all_tenants, true)"
)


def checked_role(role: str) -> str:
    """Role names go into DDL unquoted; accept only plain identifiers."""
    if not _ROLE_NAME.match(role):
        raise ValueError(f"Invalid PostgreSQL role name: {role!r}")
    return role


def _tenant_parameters() -> dict[str, str]:
    tenant_id = current_tenant_id()
    return {
        "tenant_id": "" if tenant_id is None else str(tenant_id),
        "all_tenants": "on" if crossing_reason() is not None else "off",
    }


def _set_transaction_tenant(session: Session, transaction, connection: Connection) -> None:  # noqa: ARG001
    if connection.dialect.name == "postgresql":
        connection.execute(_SET_TENANT, _tenant_parameters())


def sync_open_transaction() -> None:
    """Re-send the tenant when it changes inside an open transaction."""
    if not has_app_context():
        return
    session = db.session()
    transaction = session.get_transaction()
    # A failed transaction must surface its own error, not one raised here.
    if transaction is None or not transaction.is_active:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_SET_TENANT, _tenant_parameters())


def install_rls(engine: Engine, role: str) -> None:
    """Make every pooled connection act as the application role."""
    if engine.dialect.name != "postgresql":
        return
    role = checked_role(role)

    @event.listens_for(engine, "connect")
    def _assume_app_role(dbapi_connection, connection_record) -> None:  # noqa: ARG001
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {role}")
        dbapi_connection.commit()


_installed = False


def install_transaction_hook() -> None:
    global _installed
    if not _installed:
        event.listen(Session, "after_begin", _set_transaction_tenant)
        on_change(sync_open_transaction)
        _installed = True


# --- helpers for migrations (run as the table owner) -------------------------

def app_role_from_config() -> str:
    return checked_role(current_app.config.get("DATABASE_APP_ROLE", "kinerja_app"))


def ensure_role(bind: Connection, role: str) -> None:
    """Create the NOLOGIN role unless it exists. Roles are cluster-wide: two
    databases migrating at once (parallel test workers, two deployments) may
    both try; the one that loses the race carries on."""
    role = checked_role(role)
    bind.execute(
        text(
            "DO $$ BEGIN "  # noqa: S608 - role checked by checked_role
            f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} NOLOGIN; END IF; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
    )


def create_app_role(bind: Connection, role: str) -> None:
    role = checked_role(role)
    ensure_role(bind, role)
    bind.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
    bind.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    )
    bind.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    bind.execute(
        text(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}"
        )
    )
    bind.execute(
        text(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}")
    )
    # The app role must never be able to rewrite the migration history.
    bind.execute(text(f"REVOKE ALL ON TABLE alembic_version FROM {role}"))


def enable_tenant_rls(bind: Connection, table: str) -> None:
    """Turn on the tenant policy for one tenant-owned table (idempotent)."""
    if not re.match(r"^[a-z_][a-z0-9_]*$", table):
        raise ValueError(f"Invalid table name: {table!r}")
    predicate = (
        "current_setting('app.all_tenants', true) = 'on' OR "
        "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"
    )
    bind.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
    bind.execute(text(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}"))
    bind.execute(
        text(f"CREATE POLICY {POLICY_NAME} ON {table} USING ({predicate}) WITH CHECK ({predicate})")
    )


def tenant_tables(metadata) -> list[str]:
    """Every table in the metadata that carries a tenant_id column."""
    return sorted(t.name for t in metadata.sorted_tables if "tenant_id" in t.c)
