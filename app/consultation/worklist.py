"""The criteria-consultation part of an employee's work list on the home page:
the open consultations that concern them and that they have not answered.
A fixed number of queries, whatever the number of consultations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select

from app.consultation.access import enabled
from app.consultation.models import Answer, Consultation
from app.extensions import db
from app.org.models import Employee, Unit


def _unit_and_ancestors(unit_id: int | None) -> set[int]:
    """The unit and every unit above it (one query for the whole tree)."""
    if unit_id is None:
        return set()
    parents: dict[int, int | None] = {row.id: row.parent_id for row in db.session.execute(select(Unit.id, Unit.parent_id))}
    found: set[int] = set()
    while unit_id is not None and unit_id not in found:
        found.add(unit_id)
        unit_id = parents.get(unit_id)
    return found


def consultations_to_answer(employee: Employee, today: date) -> list[Consultation]:
    """Open consultations (window includes ``today``, not decided) on the
    employee's unit, a unit above it or the whole tenant, without their answer;
    the soonest to close first. Empty when the tenant does not consult."""
    if not employee.active or not enabled():
        return []
    units = _unit_and_ancestors(employee.position.unit_id if employee.position is not None else None)
    answered = exists().where(Answer.consultation_id == Consultation.id, Answer.employee_id == employee.id)
    return list(db.session.scalars(
        select(Consultation)
        .where(Consultation.decision.is_(None), Consultation.opens_on <= today, Consultation.closes_on >= today,
               Consultation.unit_id.is_(None) | Consultation.unit_id.in_(units), ~answered)
        .order_by(Consultation.closes_on, Consultation.id)))
