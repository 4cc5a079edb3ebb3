"""Which indicator sector a unit works in, and the library split by it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.extensions import db
from app.org.models import Unit, UnitKind
from app.regions.types import Indicator, RuleSet

# Unit kinds whose sector is clear from the kind alone; other units are
# matched by the sector's name in their own or a parent unit's name.
_SECTOR_OF_KIND = {
    UnitKind.PUSKESMAS: "kesehatan", UnitKind.RSUD: "kesehatan", UnitKind.SEKOLAH: "pendidikan",
    UnitKind.KECAMATAN: "pelayanan", UnitKind.KELURAHAN: "pelayanan",
}


def sector_of(unit: Unit, sectors: Iterable[str]) -> str | None:
    """The indicator sector a unit works in: from its kind where that says it
    (puskesmas → kesehatan), else a sector named in its own or a parent's name
    ("Dinas Kesehatan" → kesehatan). None when nothing matches."""
    sectors = [s for s in sectors if s != "umum"]
    kind_sector = _SECTOR_OF_KIND.get(unit.kind)
    if kind_sector in sectors:
        return kind_sector
    seen: set[int] = set()
    current: Unit | None = unit
    while current is not None and current.id not in seen:
        seen.add(current.id)
        name = current.name.lower()
        for sector in sectors:
            if sector in name:
                return sector
        current = current.parent
    return None


def active_sectors(rule_set: RuleSet) -> tuple[str, ...]:
    """The indicator sectors the tenant's active units work in."""
    units = db.session.scalars(select(Unit).where(Unit.active)).all()
    found = {sector_of(u, rule_set.sectors) for u in units}
    return tuple(sorted(s for s in found if s))


def library_for(unit: Unit | None, rule_set: RuleSet) -> tuple[list[Indicator], list[Indicator]]:
    """The indicator library split into (the unit's sector and "umum", the rest)."""
    sector = sector_of(unit, rule_set.sectors) if unit is not None else None
    if sector is None:
        return list(rule_set.indicators), []
    own = list(rule_set.indicators_for(sector))
    return own, [i for i in rule_set.indicators if i not in own]
