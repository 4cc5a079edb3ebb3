"""Flask extensions, created unbound; ``create_app`` binds them."""

import enum

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Enum, MetaData
from sqlalchemy.orm import DeclarativeBase

# A fixed naming convention keeps constraint names identical on SQLite and
# PostgreSQL, so Alembic can alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def str_enum(cls: type[enum.Enum], length: int = 20) -> Enum:
    """An enum column stored as its members' *values* in a plain string column
    (no database enum type), so it reads the same on SQLite and PostgreSQL."""
    return Enum(cls, native_enum=False, length=length, validate_strings=True,
                values_callable=lambda members: [m.value for m in members])


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
