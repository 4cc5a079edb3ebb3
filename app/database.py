"""The database: SQLAlchemy, Alembic and the tenancy hooks on both.

Also the one way a service turns a unique-constraint clash into a form error
(``unique_or_invalid``): the pre-checks in the services ("this code is
taken") cannot see a row another request commits a moment later, so the
write itself is checked too; and ``by_id``, which gives the rows a page mostly
holds already without asking for those again.

On PostgreSQL a transaction that wrote nothing ends with COMMIT instead of
ROLLBACK (``keep_prepared_statements``), so the connection keeps the
statements psycopg has prepared on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.util import identity_key

from app.errors import Invalid
from app.extensions import db, migrate
from app.tenancy.rls import install_rls, install_transaction_hook
from app.tenancy.scoping import install_scoping


def init_database(app: Flask) -> None:
    """Bind SQLAlchemy and Alembic to ``app`` (create_app has imported every
    model through ``app.models`` first, so Alembic sees the whole metadata)."""
    # Statement parameters hold NIPs, names and e-mail addresses: an error
    # (IntegrityError, DataError …) logged with its statement must not carry them.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
                                               "hide_parameters": True}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    install_scoping()
    install_transaction_hook()
    with app.app_context():
        install_rls(db.engine, app.config["DATABASE_APP_ROLE"])
        keep_prepared_statements(db.engine)
        if db.engine.dialect.name == "sqlite":
            _enable_sqlite_foreign_keys(db.engine)


# A PostgreSQL transaction gets an id when it first writes (a row, a row lock, DDL): one without wrote nothing.
_WROTE_NOTHING = "SELECT pg_current_xact_id_if_assigned() IS NULL"


def keep_prepared_statements(engine) -> None:
    """End a transaction that wrote nothing with COMMIT, so the connection keeps its prepared statements.

    psycopg forgets every statement it has prepared on a connection at each
    rollback (``DEALLOCATE ALL``), and a request's session ends with one: no
    statement stayed prepared from one request to the next, and PostgreSQL
    planned every statement of every page anew — planning cost more than
    running (0.3–2.7 ms a statement on the homes; 14 of a penilai home's
    32 ms of SQL). To PostgreSQL, COMMIT and ROLLBACK of a transaction that
    holds no transaction id are the same (the app sends no NOTIFY, the one
    thing a transaction does before it has an id that only a COMMIT
    delivers). So just before SQLAlchemy rolls a transaction back, one that
    wrote nothing is committed at the driver, and the rollback then finds
    nothing to do; a transaction that wrote, or failed, is rolled back as
    before. The commit is the driver's: changes a session holds unflushed
    are never written.
    """
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "rollback")
    def _commit_if_unwritten(conn) -> None:
        if conn.invalidated:
            return  # the connection was lost: nothing to end, the rollback only resets the state
        dbapi_connection = conn.connection.dbapi_connection
        if dbapi_connection is None or \
                dbapi_connection.info.transaction_status != psycopg.pq.TransactionStatus.INTRANS:
            return  # no transaction, or a failed one
        try:
            with dbapi_connection.cursor() as cursor:
                unwritten = cursor.execute(_WROTE_NOTHING).fetchone()[0]
            if unwritten:
                dbapi_connection.commit()
        except psycopg.Error:
            return  # the database went away: the rollback that follows reports it


def _enable_sqlite_foreign_keys(engine) -> None:
    @event.listens_for(engine, "connect")
    def _fk_on(dbapi_connection, connection_record) -> None:  # noqa: ARG001
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@contextmanager
def unique_or_invalid(message: Any, field: str) -> Iterator[None]:
    """Write the block's changes now; a clash with a unique constraint (another
    request committed the same code, NIP or username meanwhile) becomes
    ``Invalid(message, field)``, shown on the form like the pre-check's message.

    The write runs in a savepoint, so the caller's transaction stays usable
    (an import goes on to its next row). SQLite's driver cannot open a
    savepoint before the transaction has written (its RELEASE would commit),
    so there, before any write, the clash leaves the transaction to the
    caller's rollback (``perform`` does that for every ``Invalid``).
    """
    session = db.session()
    try:
        if _savepoint_is_safe(session):
            with session.begin_nested():
                yield
                session.flush()
        else:
            yield
            session.flush()
    except IntegrityError as exc:
        if not _is_unique_violation(exc):
            raise
        raise Invalid(message, field) from None


def _is_unique_violation(exc: IntegrityError) -> bool:
    original = exc.orig
    if getattr(original, "sqlstate", None) == "23505":  # PostgreSQL: unique_violation
        return True
    name = getattr(original, "sqlite_errorname", "")
    return name in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY") or \
        "UNIQUE constraint failed" in str(original)


def _savepoint_is_safe(session) -> bool:
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return True
    return bool(getattr(connection.connection.dbapi_connection, "in_transaction", False))


def by_id(model: Any, ids: Iterable[int | None]) -> dict[int, Any]:
    """id → ``model`` row for ``ids``: the ones the session holds already without SQL, the others in
    one statement (none when it holds them all) — where ``selectinload`` would ask for every id again.
    The caller keeps the answer (the session holds its rows only weakly)."""
    session = db.session
    found: dict[int, Any] = {}
    for i in ids:
        if i is not None and i not in found:
            found[i] = session.identity_map.get(identity_key(model, i))
    missing = [i for i, row in found.items() if row is None]
    if missing:
        found.update((row.id, row) for row in session.scalars(select(model).where(model.id.in_(missing))))
    return {i: row for i, row in found.items() if row is not None}
