"""The admin's dashboard: per unit, people, plans per status, final
evaluations and open objections of a year — four GROUP BY queries for the
whole page, however many units and people there are, kept per process like
the dashboard's other figures (``FIGURES_SECONDS``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select

from app.extensions import db
from app.home.dashboards import FIGURES_SECONDS
from app.org.models import Employee, Position, Unit
from app.periods.models import Period
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections.models import Objection, ObjectionStatus
from app.skp.planning.models import Plan, PlanStatus
from app.tenancy.current import kept_for


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
    if not ids:
        return []
    counts = kept_for(FIGURES_SECONDS, ("unit_progress", year, tuple(ids)), lambda: _counts(ids, year))
    return [UnitProgress(u, *counts[u.id]) for u in units]


def _counts(ids: list[int], year: int) -> dict[int, tuple[int, dict[str, int], int, int]]:
    """unit id → (people, plans per status, final evaluations, open objections): plain data."""
    people = dict(db.session.execute(
        select(Position.unit_id, func.count(Employee.id))
        .join(Employee, Employee.position_id == Position.id)
        .where(Employee.active, Position.unit_id.in_(ids)).group_by(Position.unit_id)).all())
    plans: dict[int, dict[str, int]] = {}
    for unit_id, status, count in db.session.execute(
            select(Position.unit_id, Plan.status, func.count(Plan.id))
            .select_from(Plan)
            .join(Employee, Plan.employee_id == Employee.id)
            .join(Position, Employee.position_id == Position.id)
            .join(Period, Plan.period_id == Period.id)
            .where(Period.year == year, Position.unit_id.in_(ids))
            .group_by(Position.unit_id, Plan.status)):
        plans.setdefault(unit_id, {})[PlanStatus(status).value] = count
    finals = dict(db.session.execute(
        select(Position.unit_id, func.count(distinct(Evaluation.id)))
        .select_from(Evaluation)
        .join(Plan, Evaluation.plan_id == Plan.id)
        .join(Employee, Plan.employee_id == Employee.id)
        .join(Position, Employee.position_id == Position.id)
        .join(Period, Evaluation.period_id == Period.id)
        .where(Evaluation.status == EvaluationStatus.FINAL, Period.year == year, Position.unit_id.in_(ids))
        .group_by(Position.unit_id)).all())
    objections = dict(db.session.execute(
        select(Position.unit_id, func.count(Objection.id))
        .select_from(Objection)
        .join(Evaluation, Objection.evaluation_id == Evaluation.id)
        .join(Plan, Evaluation.plan_id == Plan.id)
        .join(Employee, Plan.employee_id == Employee.id)
        .join(Position, Employee.position_id == Position.id)
        .where(Objection.status == ObjectionStatus.OPEN, Position.unit_id.in_(ids))
        .group_by(Position.unit_id)).all())
    return {i: (people.get(i, 0), plans.get(i, {}), finals.get(i, 0), objections.get(i, 0)) for i in ids}
