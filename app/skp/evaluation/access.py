"""Who may see, rate, finalise an evaluation or take part in its 360° rating.
"""

from __future__ import annotations

from app.auth.models import User
from app.org.hierarchy import supervisor_of
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.planning.access import can_view_plan, is_owner, is_penilai, penilai_of
from app.skp.planning.models import Plan, PlanStatus


def can_rate(user: User, evaluation: Evaluation) -> bool:
    return (
        evaluation.status is EvaluationStatus.DRAFT
        and evaluation.plan.status is PlanStatus.AGREED
        and is_penilai(user, evaluation.plan)
    )


def can_view_evaluation(user: User, evaluation: Evaluation) -> bool:
    """Admin, penilai and atasan see an evaluation; the pegawai sees it once final."""
    plan = evaluation.plan
    if is_owner(user, plan):
        return evaluation.status is EvaluationStatus.FINAL
    return can_view_plan(user, plan)


def can_start_evaluation(user: User, plan: Plan) -> bool:
    return plan.status is PlanStatus.AGREED and is_penilai(user, plan)


def can_finalise(user: User, evaluation: Evaluation) -> bool:
    return can_rate(user, evaluation)


def peer_role(user: User, evaluation: Evaluation) -> str | None:
    """How the user may take part in a 360° behaviour rating of ``evaluation``:
    "rekan" (a peer: same pejabat penilai as the pegawai), "bawahan" (the
    pegawai is their pejabat penilai), or None. Never the pegawai or the penilai."""
    rater = user.employee if user is not None and user.is_authenticated else None
    plan = evaluation.plan
    if rater is None or is_owner(user, plan) or is_penilai(user, plan):
        return None
    penilai = penilai_of(plan)
    boss = supervisor_of(rater)
    if boss is None:
        return None
    if boss.id == plan.employee_id:
        return "bawahan"
    if penilai is not None and boss.id == penilai.id:
        return "rekan"
    return None


def can_peer_rate(user: User, evaluation: Evaluation) -> bool:
    return evaluation.status is EvaluationStatus.DRAFT and peer_role(user, evaluation) is not None


def can_check_distribution(user: User, is_unit_head: bool, rates_in_unit: bool) -> bool:
    """The unit's distribution page: the admin, the unit head, or a penilai
    with an evaluation in the unit for the period."""
    return bool(user.is_admin) or is_unit_head or rates_in_unit


def can_set_organisation_predikat(user: User, is_unit_head: bool, heads_may_set: bool) -> bool:
    """A unit's organisation predikat: the admin instansi, or the unit's head when
    the rule set says so (``unit_head_sets_organisation_predikat``) — never a
    penilai just because they rate someone in the unit."""
    return bool(user.is_admin) or (heads_may_set and is_unit_head)


def can_reapply_rules(user: User) -> bool:
    return bool(user.is_admin)
