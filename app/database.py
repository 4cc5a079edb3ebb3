"""The database: SQLAlchemy, Alembic and the tenancy hooks on both."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event

from app.extensions import db, migrate
from app.tenancy.rls import install_rls, install_transaction_hook
from app.tenancy.scoping import install_scoping


def init_database(app: Flask) -> None:
    """Bind SQLAlchemy and Alembic to ``app`` (create_app has imported every
    model through ``app.models`` first, so Alembic sees the whole metadata)."""
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    install_scoping()
    install_transaction_hook()
    with app.app_context():
        install_rls(db.engine, app.config["DATABASE_APP_ROLE"])
        if db.engine.dialect.name == "sqlite":
            _enable_sqlite_foreign_keys(db.engine)


def _enable_sqlite_foreign_keys(engine) -> None:
    @event.listens_for(engine, "connect")
    def _fk_on(dbapi_connection, connection_record) -> None:  # noqa: ARG001
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
