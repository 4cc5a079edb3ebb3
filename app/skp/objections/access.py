"""Who may lodge, decide and see an objection, and attach or download its files.
"""

from __future__ import annotations

from app.auth.models import User
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections.models import Objection, ObjectionStatus
from app.skp.planning.access import _employee_id, is_atasan, is_owner


def can_lodge_objection(user: User, evaluation: Evaluation) -> bool:
    return evaluation.status is EvaluationStatus.FINAL and is_owner(user, evaluation.plan)


def can_decide_objection(user: User, objection: Objection) -> bool:
    return objection.status is ObjectionStatus.OPEN and is_atasan(user, objection.evaluation.plan)


def can_view_objection(user: User, objection: Objection) -> bool:
    """The pegawai who lodged it, the atasan who decides (or decided) it, the admin."""
    plan = objection.evaluation.plan
    employee_id = _employee_id(user)
    return (
        bool(user.is_admin)
        or is_owner(user, plan)
        or is_atasan(user, plan)
        or (employee_id is not None and employee_id == objection.decider_id)
    )


def can_attach_objection_file(user: User, objection: Objection) -> bool:
    """While the objection is open: the pegawai who objects and the atasan who decides."""
    if objection.status is not ObjectionStatus.OPEN:
        return False
    return is_owner(user, objection.evaluation.plan) or can_decide_objection(user, objection)


def can_download_objection_file(user: User, objection: Objection) -> bool:
    """The pegawai, the deciding atasan and the admin: those who see the objection."""
    return can_view_objection(user, objection)
