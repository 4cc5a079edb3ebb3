"""The penilai's evaluation work list and which periods of a plan are closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.extensions import db
from app.org.hierarchy import team_ids
from app.org.models import Employee
from app.periods.models import Period, PeriodKind
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.planning.models import Plan, PlanStatus


@dataclass
class DueRow:
    plan: Plan
    periods: list[tuple[Period, Evaluation | None]]


def due_for(user: User, year: int) -> list[DueRow]:
    """The penilai's team × periods of ``year``: agreed plans the user rates, with their evaluations.

    The plans are those ``is_penilai`` allows, found set-wise: the team from the
    organisation chart (``team_ids``, the exact inverse of ``supervisor_of``)
    unless the admin assigned another penilai, and any plan assigned to the user
    — a fixed number of queries however large the team."""
    me = db.session.get(Employee, user.employee_id) if user.employee_id else None
    if me is None:
        return []
    team = team_ids(me)
    mine = db.session.scalars(
        select(Plan).join(Period, Plan.period_id == Period.id)
        .where(Period.year == year, Plan.status == PlanStatus.AGREED, Plan.employee_id != me.id,
               or_(Plan.assigned_penilai_id == me.id,
                   and_(Plan.assigned_penilai_id.is_(None), Plan.employee_id.in_(team or [-1]))))
        .options(joinedload(Plan.employee).joinedload(Employee.position),
                 joinedload(Plan.assigned_penilai), joinedload(Plan.period).selectinload(Period.children))
    ).unique().all()
    evaluations = {(e.plan_id, e.period_id): e for e in db.session.scalars(
        select(Evaluation).where(Evaluation.plan_id.in_([p.id for p in mine])))} if mine else {}
    rows = []
    for plan in sorted(mine, key=lambda p: p.employee.name):
        periods = [*plan.period.children, plan.period]
        rows.append(DueRow(plan, [(p, evaluations.get((plan.id, p.id))) for p in periods]))
    return rows


def final_period_ids(plan: Plan) -> set[int]:
    """Ids of the periods of ``plan`` whose evaluation is FINAL (their realisation is closed)."""
    return set(db.session.scalars(
        select(Evaluation.period_id).where(Evaluation.plan_id == plan.id,
                                           Evaluation.status == EvaluationStatus.FINAL)))


def due_year(today: date) -> int:
    """The year whose periods are due for evaluation on ``today``.

    Periods are evaluated once they have ended, so the list opens on the year
    of the latest opened period that has ended (in January that is still last
    year's fourth quarter, even when next year's planning is already open in
    November). Before any period has ended: the opened year containing today,
    else the earliest opened year, else today's year."""
    ended = db.session.scalar(select(Period.year).where(Period.ends_on < today)
                              .order_by(Period.ends_on.desc(), Period.year.desc()).limit(1))
    if ended is not None:
        return ended
    years = list(db.session.scalars(select(Period.year).where(Period.kind == PeriodKind.YEAR)
                                    .order_by(Period.year)))
    if today.year in years:
        return today.year
    return years[0] if years else today.year
