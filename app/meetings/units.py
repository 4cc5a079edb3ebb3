"""The unit tree as meetings see it: a meeting of a unit covers the units under it.

The same reading as indicator sets (``app.skp.planning.indicator_sets``): what
is given to a unit holds for its sub-units. Walesi holds its rapat evaluasi
"in each agency": one meeting of the OPD covers every bidang of it, and a
bidang may still hold its own.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.org.models import Position, Unit

MAX_DEPTH = 20  # guards against a cycle slipping into the data


def unit_and_descendants(unit_ids: set[int] | list[int]) -> set[int]:
    """The units and every unit below them (one query per level)."""
    found = set(unit_ids)
    frontier = set(found)
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        frontier = set(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier)))) - found
        found |= frontier
    return found


def unit_and_ancestors(unit: Unit | None) -> list[int]:
    """The unit and its parents, nearest first."""
    found: list[int] = []
    while unit is not None and unit.id not in found and len(found) < MAX_DEPTH:
        found.append(unit.id)
        unit = unit.parent
    return found


def is_head_position(position: Position | None) -> bool:
    """The unit's top structural position: one that reports to no position inside
    its own unit (as ``app.skp.evaluation.unit.is_unit_head`` reads a unit head)."""
    if position is None or not position.active or not position.kind.single_holder:
        return False
    return position.reports_to is None or position.reports_to.unit_id != position.unit_id
