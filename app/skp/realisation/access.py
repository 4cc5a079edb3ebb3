"""Who may record realisation and handle its evidence.
"""

from __future__ import annotations

from app.auth.models import User
from app.skp.planning.access import is_owner, is_penilai
from app.skp.planning.models import Plan, PlanStatus


def can_record_realisation(user: User, plan: Plan) -> bool:
    return is_owner(user, plan) and plan.status is PlanStatus.AGREED


def can_review_evidence(user: User, plan: Plan) -> bool:
    return is_penilai(user, plan)


def can_delete_evidence(user: User, plan: Plan, uploaded_by_id: int | None) -> bool:
    """Only the one who uploaded it, and only while it is their own plan."""
    return (is_owner(user, plan) and uploaded_by_id is not None
            and user.id == uploaded_by_id)
