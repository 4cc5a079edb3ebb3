"""Writing a checked import batch: units and positions through the organisation
services, row by row; employees in bulk (``app.imports.bulk``).

Runs inside ``services.apply_batch``'s transaction: a row the services refuse
(``Invalid``) gets its error on the file's column and nothing of the file is
written. A clash with a row another request committed meanwhile is such an
``Invalid`` too (``app.database.unique_or_invalid``); when it could not be
undone by a savepoint the transaction is over, and so is the writing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app.errors import Invalid
from app.extensions import db
from app.imports import bulk
from app.imports.models import ImportKind
from app.imports.rows import UNCHANGED, Plan, parents_first
from app.org import services
from app.org.models import Position, Unit, UnitKind


def _apply_units(plan: Plan, progress: Callable[[int], None]) -> None:
    # Every unit, held here so that the service's walk up the parents hits the
    # identity map (the session only keeps weak references).
    units = {unit.code.upper(): unit for unit in db.session.scalars(select(Unit))}
    for done, row in enumerate(parents_first(plan.rows, "kode", "kode_induk"), start=1):
        progress(done)
        if row.action == UNCHANGED:
            continue
        new, unit = row.clean, units.get(row.clean["kode"])
        if "kode_induk" in new:
            parent = units.get(new["kode_induk"]) if new["kode_induk"] else None
            parent_id = parent.id if parent is not None else None
        else:
            parent_id = unit.parent_id if unit is not None else None
        kind = new.get("jenis") or (unit.kind if unit is not None else UnitKind.LAINNYA)
        try:
            # The letterhead is not a column: it stays (services.KEEP).
            unit = services.save_unit(services.UnitData(new["kode"], new["nama"], kind, parent_id), unit)
            db.session.flush()
        except Invalid as exc:
            row.error(_UNIT_FIELDS.get(exc.field, "kode"), exc.message)
            if not db.session.is_active:
                break
            continue
        units[new["kode"]] = unit


def _apply_positions(plan: Plan, progress: Callable[[int], None]) -> None:
    # Every unit and position, held here so that the service's lookups and its walk up
    # the superiors hit the identity map (the session only keeps weak references).
    units = {unit.code.upper(): unit for unit in db.session.scalars(select(Unit))}
    positions = {position.code.upper(): position for position in db.session.scalars(select(Position))}
    for done, row in enumerate(parents_first(plan.rows, "kode", "kode_atasan"), start=1):
        progress(done)
        if row.action == UNCHANGED:
            continue
        new, position = row.clean, positions.get(row.clean["kode"])
        if "kode_atasan" in new:
            boss = positions.get(new["kode_atasan"]) if new["kode_atasan"] else None
            boss_id = boss.id if boss is not None else None
        else:
            boss_id = position.reports_to_id if position is not None else None
        try:
            position = services.save_position(services.PositionData(
                new["kode"], new["nama"], new["jenis"], _id_of(units.get(new["kode_unit"])), boss_id,
                (new["jenjang"] or None) if "jenjang" in new else services.KEEP), position)
            db.session.flush()
        except Invalid as exc:
            row.error(_POSITION_FIELDS.get(exc.field, "kode"), exc.message)
            if not db.session.is_active:
                break
            continue
        positions[new["kode"]] = position


# Invalid.field (a form field of the org screens) → the file's column.
_UNIT_FIELDS = {"code": "kode", "parent_id": "kode_induk"}
_POSITION_FIELDS = {"code": "kode", "kind": "jenis", "unit_id": "kode_unit", "reports_to_id": "kode_atasan",
                    "grade": "jenjang"}

WRITERS: dict[ImportKind, Callable[[Plan, Callable[[int], None]], None]] = {
    ImportKind.UNITS: _apply_units,
    ImportKind.POSITIONS: _apply_positions,
    ImportKind.EMPLOYEES: bulk.apply_employees,  # in bulk: see app.imports.bulk
}


def _id_of(obj: Any) -> int | None:
    return obj.id if obj is not None else None

