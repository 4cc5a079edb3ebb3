"""Managing accounts of a tenant (admin instansi screens, onboarding, imports, demo)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.passwords import password_problems
from app.auth.services import deactivate_user, set_password
from app.database import unique_or_invalid
from app.errors import Invalid
from app.extensions import db
from app.org import services as org
from app.org.models import Employee
from app.org.nip import normalise_nip


@dataclass
class UserData:
    username: str
    employee_nip: str | None = None
    is_admin: bool = False
    password: str | None = None


def save_user(data: UserData, user: User | None = None) -> User:
    username = data.username.strip().lower()
    clash = db.session.scalar(select(User.id).where(User.username == username))
    if clash is not None and (user is None or clash != user.id):
        raise Invalid(_l("Nama pengguna %(name)s sudah dipakai.", name=username), "username")
    employee = None
    if data.employee_nip:
        employee = db.session.scalar(select(Employee).where(Employee.nip == normalise_nip(data.employee_nip)))
        if employee is None:
            raise Invalid(_l("Tidak ada pegawai dengan NIP itu di instansi ini."), "employee_nip")
        linked = db.session.scalar(select(User.id).where(User.employee_id == employee.id, User.active))
        if linked is not None and (user is None or linked != user.id):
            raise Invalid(_l("Pegawai ini sudah memiliki akun."), "employee_nip")
    if user is not None and user.id == getattr(current_user, "id", None) and not data.is_admin:
        raise Invalid(_l("Anda tidak dapat mencabut hak admin Anda sendiri."), "is_admin")
    if data.password:
        problems = password_problems(data.password, username)
        if problems:
            raise Invalid(" ".join(problems), "password")
    before = audit.snapshot(user) if user is not None else None
    user = user or User()
    # Another admin may take the username between the check above and this write.
    with unique_or_invalid(_l("Nama pengguna %(name)s sudah dipakai.", name=username), "username"):
        user.username, user.employee, user.is_admin = username, employee, bool(data.is_admin)
        db.session.add(user)
    if data.password:
        # One entry for this save: it says a password was set, never which.
        set_password(user, data.password, audited=False)
    db.session.flush()
    after = {**audit.snapshot(user), **({"password_set": True} if data.password else {})}
    audit.record("user.create" if before is None else "user.update", user, before, after)
    return user


def deactivate_account(user: User) -> None:
    if user.id == getattr(current_user, "id", None):
        raise Invalid(_l("Anda tidak dapat menonaktifkan akun Anda sendiri."), "active")
    deactivate_user(user)  # audited there, as user.deactivate


def deactivate_employee(employee: Employee) -> None:
    """Deactivate an employee and end their accounts (none of them can sign in again)."""
    org.deactivate_employee(employee)
    for user in db.session.scalars(select(User).where(User.employee_id == employee.id)):
        deactivate_user(user)
