"""Final results as figures for the citizens' side (``app.providers``): counts of
predikat per unit and the periods that have them. No person is named here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import case, func, select

from app.extensions import db
from app.org.models import Employee, Position
from app.periods.models import Period
from app.providers import PredikatRow
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.planning.models import Plan

_COUNTED = (Evaluation.status == EvaluationStatus.FINAL, Evaluation.predikat_code.is_not(None))


def predikat_rows(starts_on: date, ends_on: date) -> list[PredikatRow]:
    """Employees per unit × predikat code, from FINAL evaluations of the tenant's
    ``Period`` row with exactly these dates, in one GROUP BY. An objection that
    changed the result has already rewritten ``Evaluation.predikat_code``.

    The unit is the stable ``Unit.id`` of the employee's current position; only
    an employee without a position any more falls back to the unit name their
    plan recorded (``Plan.unit_name``, a free snapshot string)."""
    snapshot_name = case((Position.unit_id.is_(None), Plan.unit_name), else_=None)
    rows = db.session.execute(
        select(Position.unit_id, snapshot_name, Evaluation.predikat_code,
               func.count(func.distinct(Plan.employee_id)))
        .select_from(Evaluation)
        .join(Period, Evaluation.period_id == Period.id)
        .join(Plan, Evaluation.plan_id == Plan.id)
        .join(Employee, Plan.employee_id == Employee.id)
        .outerjoin(Position, Employee.position_id == Position.id)
        .where(*_COUNTED, Period.starts_on == starts_on, Period.ends_on == ends_on)
        .group_by(Position.unit_id, snapshot_name, Evaluation.predikat_code)
    ).all()
    return [PredikatRow(unit_id, recorded, code, n) for unit_id, recorded, code, n in rows]


def evaluated_period_dates() -> list[tuple[date, date]]:
    """(starts_on, ends_on) of every period with FINAL evaluations."""
    return [tuple(row) for row in db.session.execute(
        select(Period.starts_on, Period.ends_on).select_from(Evaluation)
        .join(Period, Evaluation.period_id == Period.id)
        .where(*_COUNTED)
        .group_by(Period.starts_on, Period.ends_on)).all()]


def stored_predikat_labels(codes: Iterable[str]) -> dict[str, str]:
    """The label evaluations stored with each predikat code (for codes an older
    rule-set version had)."""
    codes = list(codes)
    if not codes:
        return {}
    return {code: label for code, label in db.session.execute(
        select(Evaluation.predikat_code, func.max(Evaluation.predikat_label))
        .where(Evaluation.predikat_code.in_(codes)).group_by(Evaluation.predikat_code)) if label}
