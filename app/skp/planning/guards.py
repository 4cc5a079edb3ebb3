"""What every change to a plan checks first, and how it is recorded.

A plan is editable while it is a draft or returned, and only before its
year's ``plans_lock_on`` (locked from that day on). Any change to a plan's
content bumps the plan's version, so that every other open form of that
plan becomes stale (``Stale``).
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import flag_modified

from app import audit
from app.auth.models import User
from app.errors import Forbidden, Stale
from app.periods.models import Period
from app.skp.planning.access import is_owner
from app.skp.planning.models import Plan
from app.tenancy import tenant_today


def plans_locked(period: Period, on: date | None = None) -> bool:
    """Plans of this year lock on ``plans_lock_on`` (from that day on)."""
    return period.plans_lock_on is not None and (on or tenant_today()) >= period.plans_lock_on


def check_version(plan: Plan, submitted: int | None) -> None:
    """``Stale`` when the form was opened on another version of the plan."""
    if submitted is not None and plan.version != submitted:
        raise Stale(_l("SKP ini sudah diubah (oleh Anda di halaman lain atau orang lain) sejak formulir "
                       "dibuka. Isian Anda masih di bawah; periksa SKP terbaru, lalu simpan lagi."))


def touch(plan: Plan) -> None:
    """Bump the plan's version with the change (so other open forms go stale)."""
    flag_modified(plan, "status")


def require(allowed: bool, message) -> None:
    if not allowed:
        raise Forbidden(message)


def check_editable(user: User, plan: Plan, version: int | None) -> None:
    """The owner may change the plan: a draft or returned, not locked, current form."""
    require(is_owner(user, plan), _l("Hanya pegawai pemilik SKP yang dapat mengubahnya."))
    if not plan.editable:
        raise Forbidden(_l("SKP yang sudah diajukan atau disetujui tidak dapat diubah."))
    if plans_locked(plan.period):
        raise Forbidden(_l("Batas penyusunan SKP tahun %(year)d sudah lewat (%(day)s); SKP terkunci.",
                           year=plan.period.year, day=format_date(plan.period.plans_lock_on, "dd-MM-yyyy")))
    check_version(plan, version)


def audit_child(action: str, obj, plan: Plan, before: dict | None, after=audit.CURRENT,
                reason: str | None = None) -> None:
    """Audit a change of an RHK, IKI or behaviour under the plan's employee."""
    audit.record(action, obj, before, after, reason=reason, employee_id=plan.employee_id)
