"""Who may read and write the dialog kinerja and record feedback sessions.
"""

from __future__ import annotations

from app.auth.models import User
from app.skp.planning.access import is_atasan, is_owner, is_penilai
from app.skp.planning.models import Plan, PlanStatus


def can_give_feedback(user: User, plan: Plan) -> bool:
    return is_owner(user, plan) or is_penilai(user, plan) or is_atasan(user, plan)


def can_read_feedback(user: User, plan: Plan) -> bool:
    """The dialog kinerja is between the pegawai, the penilai and the atasan."""
    return can_give_feedback(user, plan)


def can_record_feedback_session(user: User, plan: Plan) -> bool:
    return plan.status is PlanStatus.AGREED and is_penilai(user, plan)
