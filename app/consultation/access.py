"""Who manages a consultation and who answers it."""

from __future__ import annotations

from app.auth.models import User
from app.consultation.models import Consultation
from app.extensions import db
from app.org.models import Employee, Unit
from app.tenancy import tenant_rules


def enabled() -> bool:
    """The tenant's settings in force offer criteria consultation (the common
    setting ``criteria_consultation``: on in Sawahlunto, off elsewhere unless
    the admin switches it on). Off: the screens are 404 and the menu hides them."""
    return bool(tenant_rules().settings.get("criteria_consultation"))


def can_manage(user: User) -> bool:
    """The admin instansi opens, responds, decides and publishes."""
    return bool(getattr(user, "is_admin", False))


def _in_subtree(unit: Unit | None, root_id: int) -> bool:
    seen: set[int] = set()
    while unit is not None and unit.id not in seen:
        if unit.id == root_id:
            return True
        seen.add(unit.id)
        unit = unit.parent
    return False


def is_concerned(user: User, consultation: Consultation) -> bool:
    """An active employee (with this account) of the consultation's unit subtree, or of the tenant."""
    if user.employee_id is None or not user.active:
        return False
    employee = db.session.get(Employee, user.employee_id)
    if employee is None or not employee.active:
        return False
    if consultation.unit_id is None:
        return True
    position = employee.position
    return position is not None and _in_subtree(position.unit, consultation.unit_id)


def can_read(user: User, consultation: Consultation) -> bool:
    return can_manage(user) or is_concerned(user, consultation)


def can_answer(user: User, consultation: Consultation, current_state: str) -> bool:
    return current_state == "open" and is_concerned(user, consultation)
