"""360°: peers (rekan) and subordinates (bawahan) rate the pegawai's behaviours
while the evaluation is a draft, when the rule set has rater weights."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.org.hierarchy import supervisor_of, team_of
from app.org.models import Employee
from app.skp.evaluation.access import peer_role
from app.skp.evaluation.models import Evaluation, EvaluationStatus, PeerRating
from app.skp.evaluation.scheme import behaviour_codes, maximum_score, uses_360
from app.skp.planning.models import Plan
from app.tenancy import tenant_rules


def require_peer(user: User, evaluation: Evaluation) -> str:
    """The user's 360° role on ``evaluation`` ("rekan" or "bawahan"), or ``Forbidden`` saying why not."""
    role = peer_role(user, evaluation)
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise Forbidden(_("Penilaian ini sudah final; penilaian rekan ditutup."))
    if role is None:
        raise Forbidden(_("Hanya rekan kerja atau bawahan pegawai ini yang dapat memberi penilaian perilaku."))
    if not uses_360(tenant_rules()):
        raise Forbidden(_("Aturan daerah instansi ini tidak memakai penilaian perilaku 360°."))
    return role


def submit_peer_ratings(user: User, evaluation: Evaluation, scores: dict[str, float]) -> None:
    """A peer or subordinate saves their behaviour scores (audited)."""
    role = require_peer(user, evaluation)
    rt = tenant_rules()
    known = {code for code, _name in behaviour_codes(evaluation, rt)}
    maximum = maximum_score(rt)
    for code, value in scores.items():
        if code not in known:
            raise Invalid(_("Perilaku %(code)s tidak ada di SKP ini.", code=code))
        if value is None or not 0 <= value <= maximum:
            raise Invalid(_("Nilai perilaku harus antara 0 dan %(max)g.", max=maximum))
    existing = {p.behaviour_code: p for p in _ratings_by(user, evaluation)}
    before = {code: p.score for code, p in existing.items()}
    for code, value in scores.items():
        row = existing.get(code)
        if row is None:
            db.session.add(PeerRating(evaluation_id=evaluation.id, rater_id=user.employee_id, rater_role=role,
                                      behaviour_code=code, score=float(value)))
        else:
            row.score, row.rater_role = float(value), role
    audit.record("evaluation.peer_rating", evaluation,
                 {"rater_id": user.employee_id, "role": role, "scores": before} if before else None,
                 {"rater_id": user.employee_id, "role": role, "scores": {k: float(v) for k, v in scores.items()}},
                 employee_id=evaluation.plan.employee_id)


def _ratings_by(user: User, evaluation: Evaluation) -> list[PeerRating]:
    return list(db.session.scalars(select(PeerRating).where(PeerRating.evaluation_id == evaluation.id,
                                                            PeerRating.rater_id == user.employee_id)))


def my_peer_scores(user: User, evaluation: Evaluation) -> dict[str, float]:
    return {p.behaviour_code: p.score for p in _ratings_by(user, evaluation)}


def peer_requests(user: User) -> list[Evaluation]:
    """Draft evaluations the user may rate as rekan or bawahan (360° rule sets only)."""
    me = db.session.get(Employee, user.employee_id) if user.employee_id else None
    if me is None or not uses_360(tenant_rules()):
        return []
    boss = supervisor_of(me)
    if boss is None:
        return []
    candidates = {e.id for e in team_of(boss) if e.id != me.id} | {boss.id}
    drafts = db.session.scalars(
        select(Evaluation).join(Plan, Evaluation.plan_id == Plan.id)
        .where(Evaluation.status == EvaluationStatus.DRAFT, Plan.employee_id.in_(candidates))
        .options(joinedload(Evaluation.plan).joinedload(Plan.employee), joinedload(Evaluation.period))
        .order_by(Evaluation.id.desc())
    ).unique().all()
    return [e for e in drafts if peer_role(user, e) is not None]
