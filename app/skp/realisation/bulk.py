"""The penilai's review list: every item of a plan's evidence still awaiting
review, and "terima semua yang sudah diperiksa" — each ticked item accepted
through ``evidence.review``, as if its own button had been pressed."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.extensions import db
from app.skp.planning.models import Plan, PlanIndicator, PlanResult
from app.skp.realisation import evidence as evidence_service
from app.skp.realisation import services as realisation
from app.skp.realisation.models import Evidence, EvidenceReview, Realisation
from app.web.bulk import Row, refused


def awaiting_review(plan: Plan) -> list[Evidence]:
    """The plan's evidence awaiting review in sub-periods still open, by IKI and period."""
    items = db.session.scalars(
        select(Evidence).join(Realisation, Evidence.realisation_id == Realisation.id)
        .join(PlanIndicator, Realisation.indicator_id == PlanIndicator.id)
        .join(PlanResult, PlanIndicator.result_id == PlanResult.id)
        .where(PlanResult.plan_id == plan.id, Evidence.review == EvidenceReview.PENDING)
        .options(joinedload(Evidence.realisation).joinedload(Realisation.indicator),
                 joinedload(Evidence.realisation).joinedload(Realisation.period))
        .order_by(PlanResult.position, PlanIndicator.id, Realisation.period_id, Evidence.id)
    ).unique().all()
    return [e for e in items if not realisation.is_closed(plan, e.realisation.period)]


def label_of(item: Evidence) -> str:
    name = item.original_name or item.url or ""
    return f"{item.realisation.indicator.name} · {item.realisation.period.label} · {name}"


def accept_rows(user: User, plan: Plan, evidence_ids: list[int]) -> list[Row]:
    """One row per ticked item of this plan (ids of other plans are ignored), each accepted by the review service."""
    wanted = set(evidence_ids)
    rows = []
    for item in awaiting_review(plan):
        if item.id in wanted:
            wanted.discard(item.id)
            rows.append(Row(label_of(item), lambda item=item: _accept(user, plan, item)))
    if wanted:
        rows.append(refused(_("%(n)d bukti lain yang dicentang", n=len(wanted)),
                            _("Sudah diperiksa atau bukan bukti SKP ini; muat ulang halaman ini.")))
    return rows


def _accept(user: User, plan: Plan, item: Evidence) -> None:
    evidence_service.review(user, plan, item, True, None)
