"""The pegawai's work list: this year's plan, the running sub-period's
missing realisations, final evaluations with their objection windows, and
open training."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from app.extensions import db
from app.home.year import year_and_sub_period
from app.org.models import Employee
from app.periods.models import Period
from app.skp.objections.models import ObjectionStatus
from app.skp.objections.worklist import EvaluationRow, my_evaluations
from app.skp.planning.models import Plan, PlanIndicator, PlanResult, PlanStatus
from app.skp.realisation.models import Realisation
from app.skp.training.models import TrainingRecord
from app.skp.training.services import open_training_for


@dataclass
class PegawaiWork:
    year: int
    plan: Plan | None
    sub_period: Period | None
    missing: list[PlanIndicator]
    evaluations: list[EvaluationRow]
    training: list[TrainingRecord]

    @property
    def open_objections(self) -> list[EvaluationRow]:
        return [r for r in self.evaluations if r.objection is not None and r.objection.status is ObjectionStatus.OPEN]


def pegawai_work(employee: Employee, today: date) -> PegawaiWork:
    year_period, sub_period = year_and_sub_period(today)
    plan = None
    if year_period is not None:
        plan = db.session.scalar(select(Plan).where(Plan.employee_id == employee.id,
                                                    Plan.period_id == year_period.id))
    return PegawaiWork(today.year, plan, sub_period, _missing_realisations(plan, sub_period),
                       my_evaluations(employee.id, today), open_training_for(employee.id, today.year))


def _missing_realisations(plan: Plan | None, sub_period: Period | None) -> list[PlanIndicator]:
    """An agreed plan's indicators without a value for the running sub-period."""
    if plan is None or plan.status is not PlanStatus.AGREED or sub_period is None:
        return []
    return list(db.session.scalars(
        select(PlanIndicator).join(PlanResult, PlanIndicator.result_id == PlanResult.id)
        .outerjoin(Realisation, and_(Realisation.indicator_id == PlanIndicator.id,
                                     Realisation.period_id == sub_period.id))
        .where(PlanResult.plan_id == plan.id, or_(Realisation.id.is_(None), Realisation.value.is_(None)))
        .order_by(PlanResult.position, PlanIndicator.position, PlanIndicator.id)))
