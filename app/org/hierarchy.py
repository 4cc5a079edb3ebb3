"""Who rates whom: the supervisor relation derived from positions.

The pejabat penilai of an employee is whoever holds the position their
position reports to — or, while a Plt/Plh assignment runs, the acting
employee. A vacant position with nobody acting is skipped: the next
position up the chain rates instead. The atasan pejabat penilai is the
pejabat penilai's own pejabat penilai.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from app.extensions import db
from app.org.models import ActingAssignment, Employee, Position

MAX_CHAIN = 20  # guards against a cycle slipping into the data


def acting_holder(position_id: int, on: date) -> Employee | None:
    return db.session.scalar(
        select(Employee)
        .join(ActingAssignment, ActingAssignment.employee_id == Employee.id)
        .where(
            ActingAssignment.position_id == position_id,
            ActingAssignment.starts_on <= on,
            or_(ActingAssignment.ends_on.is_(None), ActingAssignment.ends_on >= on),
            Employee.active,
        )
        .order_by(ActingAssignment.starts_on.desc())
        .limit(1)
    )


def holder(position_id: int, on: date) -> Employee | None:
    """Who carries the position's authority on a day: acting first, then the holder."""
    acting = acting_holder(position_id, on)
    if acting is not None:
        return acting
    return db.session.scalar(
        select(Employee)
        .where(Employee.position_id == position_id, Employee.active)
        .order_by(Employee.id)
        .limit(1)
    )


def supervisor_of(employee: Employee, on: date | None = None) -> Employee | None:
    """The employee's pejabat penilai on ``on`` (default today)."""
    on = on or date.today()
    position = employee.position
    for _ in range(MAX_CHAIN):
        if position is None or position.reports_to_id is None:
            return None
        boss = holder(position.reports_to_id, on)
        if boss is not None and boss.id != employee.id:
            return boss
        position = db.session.get(Position, position.reports_to_id)
    return None


def second_supervisor_of(employee: Employee, on: date | None = None) -> Employee | None:
    """The atasan pejabat penilai."""
    first = supervisor_of(employee, on)
    return supervisor_of(first, on) if first is not None else None


def positions_led_by(employee: Employee, on: date | None = None) -> list[int]:
    """Positions whose authority the employee carries on ``on``."""
    on = on or date.today()
    led = []
    if employee.position_id is not None and employee.position.kind.single_holder:
        led.append(employee.position_id)
    acting = db.session.scalars(
        select(ActingAssignment.position_id).where(
            ActingAssignment.employee_id == employee.id,
            ActingAssignment.starts_on <= on,
            or_(ActingAssignment.ends_on.is_(None), ActingAssignment.ends_on >= on),
        )
    ).all()
    led.extend(acting)
    return led


def direct_reports(employee: Employee, on: date | None = None) -> list[Employee]:
    """Everyone whose pejabat penilai is ``employee`` on ``on``."""
    on = on or date.today()
    led = positions_led_by(employee, on)
    if not led:
        return []
    candidates = db.session.scalars(
        select(Employee)
        .join(Position, Employee.position_id == Position.id)
        .where(Position.reports_to_id.in_(led), Employee.active, Employee.id != employee.id)
        .order_by(Employee.name)
    ).all()
    # A Plh covers for a holder who is still there: the holder's reports move
    # to the Plh, the rule in supervisor_of decides each case the same way.
    return [e for e in candidates if (s := supervisor_of(e, on)) is not None and s.id == employee.id]
