"""A PostgreSQL transaction that wrote nothing ends with COMMIT, so psycopg keeps the statements it
prepared (``app.database.keep_prepared_statements``); one that wrote is still rolled back."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DataError

from app.extensions import db
from app.org.models import Unit
from app.tenancy import tenant_scope
from tests.conftest import make_tenant


@pytest.fixture(autouse=True)
def _postgresql_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("psycopg's prepared statements: PostgreSQL only")


def _prepared_on(dbapi_connection) -> int:
    """Statements the server holds prepared for this connection (asked outside any transaction)."""
    with dbapi_connection.cursor() as cursor:
        count = cursor.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]
    dbapi_connection.commit()
    return count


def test_pages_that_only_read_keep_their_statements_prepared(app, client):
    with app.app_context():
        make_tenant("kota-a")
        engine = db.engine
    used = []
    remember = lambda dbapi_connection, *args: used.append(dbapi_connection)  # noqa: E731
    event.listen(engine, "checkout", remember)
    try:
        for _ in range(8):  # psycopg prepares a statement on its sixth run on a connection
            assert client.get("/kota-a/login").status_code == 200
    finally:
        event.remove(engine, "checkout", remember)
    connections = set(used)
    assert connections and all(_prepared_on(c) > 0 for c in connections)
    # ... and the page is answered the same from prepared statements.
    assert "Pemerintah Kota Kota-A" in client.get("/kota-a/login").get_data(as_text=True)


def test_a_transaction_that_wrote_is_rolled_back(app, app_context):
    tenant = make_tenant("kota-a")
    with tenant_scope(tenant):
        db.session.add(Unit(code="TULIS", name="Unit yang ditulis"))
        db.session.flush()  # written, not committed
        db.session.rollback()
        assert db.session.scalar(select(Unit).where(Unit.code == "TULIS")) is None


def test_unflushed_changes_are_not_written_by_the_commit(app, app_context):
    tenant = make_tenant("kota-a")
    with tenant_scope(tenant):
        db.session.add(Unit(code="U1", name="Nama lama"))
        db.session.commit()
        unit = db.session.scalar(select(Unit).where(Unit.code == "U1"))
        unit.name = "Nama baru"  # pending in the session only
        with db.session.no_autoflush:
            db.session.scalar(select(Unit.id).where(Unit.code == "U1"))  # the transaction read, wrote nothing
        db.session.rollback()
        db.session.expire_all()
        assert db.session.scalar(select(Unit.name).where(Unit.code == "U1")) == "Nama lama"


def test_a_failed_transaction_is_rolled_back_and_the_session_goes_on(app, app_context):
    tenant = make_tenant("kota-a")
    with tenant_scope(tenant):
        with pytest.raises(DataError):
            db.session.execute(text("SELECT 1 / 0"))
        db.session.rollback()
        db.session.add(Unit(code="U2", name="Sesudahnya"))
        db.session.commit()
        assert db.session.scalar(select(Unit.name).where(Unit.code == "U2")) == "Sesudahnya"


def test_a_connection_lost_mid_transaction_is_rolled_back_without_a_new_error(app, app_context):
    tenant = make_tenant("kota-a")
    with tenant_scope(tenant):
        db.session.scalar(select(Unit.id).limit(1))
        db.session.connection().invalidate()  # as when PostgreSQL went away under the request
        db.session.rollback()
        assert db.session.scalar(select(Unit.name).where(Unit.code == "ADA")) is None  # and a new connection serves
