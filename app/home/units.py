"""The admin's dashboard: per unit, people, plans per status, final
evaluations and open objections of a year — four GROUP BY queries for the
whole page, however many units and people there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select

from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.periods.models import Period
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections.models import Objection, ObjectionStatus
from app.skp.planning.models import Plan, PlanStatus


@dataclass
class UnitProgress:
    unit: Unit
    employees: int = 0
    plans: dict[str, int] = field(default_factory=dict)
    evaluations_final: int = 0
    open_objections: int = 0

    @property
    def without_plan(self) -> int:
        return max(self.employees - sum(self.plans.values()), 0)

    def count(self, status: str) -> int:
        return self.plans.get(status, 0)


def unit_progress(units: list[Unit], year: int) -> list[UnitProgress]:
    """One row per unit, in the order given; people are counted by their current position."""
    ids = [u.id for u in units]
    rows = {u.id: UnitProgress(u) for u in units}
    if not ids:
        return []
    for unit_id, count in db.session.execute(
            select(Position.unit_id, func.count(Employee.id))
            .join(Employee, Employee.position_id == Position.id)
            .where(Employee.active, Position.unit_id.in_(ids)).group_by(Position.unit_id)):
        rows[unit_id].employees = count
    plan_scope = (select(Position.unit_id, Plan.status, func.count(Plan.id))
                  .select_from(Plan)
                  .join(Employee, Plan.employee_id == Employee.id)
                  .join(Position, Employee.position_id == Position.id)
                  .join(Period, Plan.period_id == Period.id)
                  .where(Period.year == year, Position.unit_id.in_(ids))
                  .group_by(Position.unit_id, Plan.status))
    for unit_id, status, count in db.session.execute(plan_scope):
        rows[unit_id].plans[PlanStatus(status).value] = count
    for unit_id, count in db.session.execute(
            select(Position.unit_id, func.count(distinct(Evaluation.id)))
            .select_from(Evaluation)
            .join(Plan, Evaluation.plan_id == Plan.id)
            .join(Employee, Plan.employee_id == Employee.id)
            .join(Position, Employee.position_id == Position.id)
            .join(Period, Evaluation.period_id == Period.id)
            .where(Evaluation.status == EvaluationStatus.FINAL, Period.year == year, Position.unit_id.in_(ids))
            .group_by(Position.unit_id)):
        rows[unit_id].evaluations_final = count
    for unit_id, count in db.session.execute(
            select(Position.unit_id, func.count(Objection.id))
            .select_from(Objection)
            .join(Evaluation, Objection.evaluation_id == Evaluation.id)
            .join(Plan, Evaluation.plan_id == Plan.id)
            .join(Employee, Plan.employee_id == Employee.id)
            .join(Position, Employee.position_id == Position.id)
            .where(Objection.status == ObjectionStatus.OPEN, Position.unit_id.in_(ids))
            .group_by(Position.unit_id)):
        rows[unit_id].open_objections = count
    return [rows[i] for i in ids]
