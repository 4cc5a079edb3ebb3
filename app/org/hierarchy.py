"""Who rates whom: the supervisor relation derived from positions, both ways.

The pejabat penilai of an employee is whoever holds the position their
position reports to — or, while a Plt/Plh assignment runs, the acting
employee. A vacant position with nobody acting is skipped: the next
position up the chain rates instead; so is a position the employee
themselves carries (nobody rates their own work). The atasan pejabat
penilai is the pejabat penilai's own pejabat penilai.

``supervisor_of`` walks that rule up from one employee; ``team_of`` and
``team_ids`` give its exact inverse — everyone whose ``supervisor_of`` is a
given employee — walking down the positions a level at a time (one query
each), so the number of queries depends on how deep vacant posts nest, never on how
many people a team has. Every "who is my team" in the application asks
``team_of``/``team_ids``. A plan's admin-assigned penilai
(``Plan.assigned_penilai``) is a property of that plan, not of the
organisation: it changes neither answer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date, and_, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload

from app.extensions import db
from app.org.models import ActingAssignment, Employee, Position, Unit
from app.tenancy import tenant_today
from app.tenancy.current import per_request

MAX_CHAIN = 20  # guards against a cycle slipping into the data


def _running(on: date):
    """Acting assignments in force on ``on``."""
    return and_(ActingAssignment.starts_on <= on,
                or_(ActingAssignment.ends_on.is_(None), ActingAssignment.ends_on >= on))


# --- the unit tree --------------------------------------------------------------------

def unit_and_descendants(unit_ids: Iterable[int]) -> set[int]:
    """The units and every unit below them (one query per level). What is given to
    a unit — an indicator set, a meeting, a consultation — holds for its sub-units."""
    found = set(unit_ids)
    frontier = set(found)
    for _ in range(MAX_CHAIN):
        if not frontier:
            break
        frontier = set(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier)))) - found
        found |= frontier
    return found


def unit_and_ancestors(unit: Unit | None) -> list[int]:
    """The unit and the units above it, nearest first."""
    found: list[int] = []
    while unit is not None and unit.id not in found and len(found) < MAX_CHAIN:
        found.append(unit.id)
        unit = unit.parent
    return found


# --- upwards: one employee's supervisor ------------------------------------------------

def holder(position_id: int, on: date) -> Employee | None:
    """Who carries the position's authority on a day: the active employee acting in it (the
    latest assignment wins, then the latest recorded), else the holder (the lowest id when the
    data holds several). One statement: both candidates ranked in a union."""
    acting = (select(ActingAssignment.employee_id.label("employee_id"), literal(0).label("rank"),
                     ActingAssignment.starts_on.label("starts_on"), (-ActingAssignment.id).label("tiebreak"))
              .join(Employee, ActingAssignment.employee_id == Employee.id)
              .where(ActingAssignment.position_id == position_id, _running(on), Employee.active))
    held = select(Employee.id, literal(1), null().cast(Date), Employee.id) \
        .where(Employee.position_id == position_id, Employee.active)
    candidates = union_all(acting, held).subquery()
    return db.session.scalar(
        select(Employee).join(candidates, candidates.c.employee_id == Employee.id)
        .options(joinedload(Employee.position))
        .order_by(candidates.c.rank, candidates.c.starts_on.desc(), candidates.c.tiebreak)
        .limit(1)
    )


def supervisor_of(employee: Employee, on: date | None = None) -> Employee | None:
    """The employee's pejabat penilai on ``on`` (default: the tenant's today); asked once per request."""
    on = on or tenant_today()
    return per_request(("supervisor_of", employee.id, employee.position_id, on),
                       lambda: _supervisor_of(employee, on))


def _supervisor_of(employee: Employee, on: date) -> Employee | None:
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
    """Positions whose authority the employee may carry on ``on``: the
    structural post they hold and those they act in. (A candidate list for
    queries; ``team_of`` decides who really reports to them.)"""
    on = on or tenant_today()
    led = []
    if employee.position_id is not None and employee.position.kind.single_holder:
        led.append(employee.position_id)
    led.extend(db.session.scalars(
        select(ActingAssignment.position_id).where(ActingAssignment.employee_id == employee.id, _running(on))))
    return led


# --- downwards: everyone an employee rates ----------------------------------------------

@functools.cache
def _aliases() -> tuple[Any, Any]:
    """The holders' and the acting employees' aliases of ``Employee``, made once: an alias
    costs more to build (~0.7 ms) than the query that joins it. (Not at import: making one
    configures the mappers, and not every model is imported yet.)"""
    return aliased(Employee), aliased(Employee)


@dataclass
class _Post:
    parent_id: int | None
    people: list[int] = field(default_factory=list)  # its active holders
    acting: tuple[date, int, int] | None = None  # (starts_on, assignment id, employee id) of the latest

    @property
    def carrier(self) -> int | None:
        """Who carries the post's authority (as ``holder`` picks): the latest acting, else the first holder."""
        if self.acting is not None:
            return self.acting[2]
        return min(self.people, default=None)


def _posts(condition, on: date) -> dict[int, _Post]:
    """The positions matching ``condition`` with their active holders and the active employee
    acting in each on ``on``: one statement (a row per holder × running assignment)."""
    held, acting = _aliases()
    rows = db.session.execute(
        select(Position.id, Position.reports_to_id, held.id, ActingAssignment.starts_on, ActingAssignment.id,
               acting.id)
        .outerjoin(held, and_(held.position_id == Position.id, held.active))
        .outerjoin(ActingAssignment, and_(ActingAssignment.position_id == Position.id, _running(on)))
        .outerjoin(acting, and_(acting.id == ActingAssignment.employee_id, acting.active))
        .where(condition)
    ).all()
    posts: dict[int, _Post] = {}
    for position_id, parent_id, holder_id, starts_on, assignment_id, acting_id in rows:
        post = posts.setdefault(position_id, _Post(parent_id))
        if holder_id is not None and holder_id not in post.people:
            post.people.append(holder_id)
        if acting_id is not None and (post.acting is None or (starts_on, assignment_id) > post.acting[:2]):
            post.acting = (starts_on, assignment_id, acting_id)
    return posts


def _carried_by(employee: Employee, on: date) -> list[int]:
    """Positions whose authority ``employee`` carries on ``on`` (``holder`` is them)."""
    if not employee.active:
        return []
    candidates = select(ActingAssignment.position_id).where(ActingAssignment.employee_id == employee.id,
                                                            _running(on))
    if employee.position_id is not None:  # a union, not an OR: the OR would scan the positions
        candidates = candidates.union_all(select(literal(employee.position_id)))
    posts = _posts(Position.id.in_(candidates), on)
    return [position_id for position_id, post in posts.items() if post.carrier == employee.id]


def team_ids(employee: Employee, on: date | None = None) -> set[int]:
    """Ids of the active employees whose pejabat penilai (``supervisor_of``)
    is ``employee`` on ``on`` (default: the tenant's today).

    Walks down from the positions the employee carries, one level per round
    (one query each). A position below passes the authority on to the
    positions under it when nobody carries it (vacant, nobody acting), or —
    for that one person only — when it is carried by someone who sits below
    it (their own acting post does not rate them)."""
    on = on or tenant_today()
    return set(per_request(("team_ids", employee.id, employee.position_id, employee.active, on),
                           lambda: _team_ids(employee, on)))


def _team_ids(employee: Employee, on: date) -> set[int]:
    # position → who may be rated through it: None for anyone, else one employee id
    frontier: dict[int, int | None] = dict.fromkeys(_carried_by(employee, on))
    team: set[int] = set()
    for _ in range(MAX_CHAIN):
        if not frontier:
            break
        below: dict[int, int | None] = {}
        for position_id, post in _posts(Position.reports_to_id.in_(list(frontier)), on).items():
            only = frontier[post.parent_id]
            team.update(e for e in post.people if only is None or e == only)
            carrier = post.carrier
            if carrier is None:
                below[position_id] = only
            elif only in (None, carrier) and carrier != employee.id:
                below[position_id] = carrier
        frontier = below
    team.discard(employee.id)
    return team


def team_of(employee: Employee, on: date | None = None) -> list[Employee]:
    """The employees ``employee`` rates on ``on`` (see ``team_ids``), by name,
    with their positions loaded."""
    ids = team_ids(employee, on)
    if not ids:
        return []
    return list(db.session.scalars(
        select(Employee).options(joinedload(Employee.position))
        .where(Employee.id.in_(ids)).order_by(Employee.name, Employee.id)))
