"""Every model, imported in one place for Alembic and the shell."""

from app.auth.models import LoginAttempt, User, UserSession
from app.imports.models import ImportBatch
from app.org.models import ActingAssignment, Employee, Position, Unit
from app.periods.models import Period
from app.tenancy.models import Tenant

__all__ = [
    "ActingAssignment",
    "Employee",
    "ImportBatch",
    "LoginAttempt",
    "Period",
    "Position",
    "Tenant",
    "Unit",
    "User",
    "UserSession",
]
