"""The objection lists of the home page and the objections pages: the
pegawai's final evaluations with their objection windows, and the open
objections an atasan must decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.org.models import Employee
from app.periods.models import Period
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections.models import Objection, ObjectionStatus
from app.skp.objections.services import decision_deadline, lodging_deadline
from app.skp.planning.models import Plan

EVALUATION_LIMIT = 12


@dataclass
class EvaluationRow:
    evaluation: Evaluation
    objection: Objection | None
    deadline: date | None
    window_open: bool


def my_evaluations(employee_id: int, today: date, limit: int = EVALUATION_LIMIT) -> list[EvaluationRow]:
    """The employee's latest final evaluations with their objection (if any) and deadline."""
    rows = db.session.execute(
        select(Evaluation, Objection)
        .join(Plan, Evaluation.plan_id == Plan.id)
        .join(Period, Evaluation.period_id == Period.id)
        .outerjoin(Objection, Objection.evaluation_id == Evaluation.id)
        .options(joinedload(Evaluation.period))
        .where(Plan.employee_id == employee_id, Evaluation.status == EvaluationStatus.FINAL)
        .order_by(Period.ends_on.desc(), Period.kind, Evaluation.id.desc())
        .limit(limit)).all()
    result = []
    for evaluation, objection in rows:
        deadline = objection.deadline if objection is not None else lodging_deadline(evaluation)
        result.append(EvaluationRow(evaluation, objection, deadline, deadline is not None and today <= deadline))
    return result


@dataclass
class ObjectionRow:
    objection: Objection
    due_on: date
    overdue: bool


def to_decide_query(employee_id: int):
    """Open objections stamped for this atasan, oldest first."""
    return (select(Objection)
            .options(joinedload(Objection.evaluation).joinedload(Evaluation.plan).joinedload(Plan.employee),
                     joinedload(Objection.evaluation).joinedload(Evaluation.period))
            .where(Objection.decider_id == employee_id, Objection.status == ObjectionStatus.OPEN)
            .order_by(Objection.lodged_at))


def objections_to_decide(employee: Employee, today: date) -> list[ObjectionRow]:
    rows = []
    for objection in db.session.scalars(to_decide_query(employee.id)).unique():
        due = decision_deadline(objection)
        rows.append(ObjectionRow(objection, due, today > due))
    return rows
