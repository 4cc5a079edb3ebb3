"""An employee's appraisal years (riwayat): each year's plan with its final
evaluations and their objections, newest year first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.periods.models import Period
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections.models import Objection
from app.skp.planning.models import Plan


@dataclass
class HistoryYear:
    plan: Plan
    annual: Evaluation | None
    periodic: list[Evaluation]
    objections: dict[int, Objection]

    @property
    def final_predikat(self) -> str | None:
        """The year's predikat: the annual evaluation's, else the last period's."""
        if self.annual is not None:
            return self.annual.predikat_label
        return self.periodic[-1].predikat_label if self.periodic else None


def years_of(employee_id: int) -> list[HistoryYear]:
    """The employee's plans, newest year first, with their final evaluations (two queries)."""
    plans = list(db.session.scalars(
        select(Plan).options(joinedload(Plan.period))
        .join(Period, Plan.period_id == Period.id)
        .where(Plan.employee_id == employee_id).order_by(Period.year.desc())))
    if not plans:
        return []
    evaluations: dict[int, list[Evaluation]] = defaultdict(list)
    objections: dict[int, Objection] = {}
    for evaluation, objection in db.session.execute(
            select(Evaluation, Objection)
            .outerjoin(Objection, Objection.evaluation_id == Evaluation.id)
            .options(joinedload(Evaluation.period))
            .where(Evaluation.plan_id.in_([p.id for p in plans]), Evaluation.status == EvaluationStatus.FINAL)):
        evaluations[evaluation.plan_id].append(evaluation)
        if objection is not None:
            objections[evaluation.id] = objection
    years = []
    for plan in plans:
        found = sorted(evaluations.get(plan.id, []), key=lambda e: (e.period.starts_on, e.period.ends_on))
        annual = next((e for e in found if e.period_id == plan.period_id), None)
        periodic = [e for e in found if e.period_id != plan.period_id]
        years.append(HistoryYear(plan, annual, periodic, objections))
    return years
