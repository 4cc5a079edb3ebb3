"""BKPSDM recaps: what a recap is, the filter it runs under, the organisation tree.

A recap is a title, its columns and a generator of rows for a filter (a
tenant period and optionally a unit with everything below it). The same rows
feed the table on screen, the XLSX (``app.reports.workbook``) and the CSV, so
the download always equals the screen. The recaps themselves live in
``recaps_skp`` (plans, predikat, roster, objections, training) and
``recaps_publik`` (IKM, complaints); every query is set-based (GROUP BY or one
streamed SELECT), tenant-scoped by the ORM and independent of the row count.

An OPD (perangkat daerah) is a unit without a parent; a unit's OPD is its
top-most ancestor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.org.models import Unit
from app.periods.models import Period, PeriodKind
from app.tenancy import tenant_today

ROMAN = {1: "i", 2: "ii", 3: "iii", 4: "iv"}
MAX_DEPTH = 20  # guards the walk up the unit tree against a cycle in the data


@dataclass(frozen=True)
class Column:
    """One column: its header, how its values are written, its width in characters.

    ``kind``: "text", "nip" (text, 18 digits kept), "int", "num", "pct", "date".
    """

    label: Any
    kind: str = "text"
    width: int = 14


@dataclass
class OrgTree:
    """Every unit of the tenant (one query): names, parents, the OPD of each unit."""

    names: dict[int, str]
    codes: dict[int, str]
    parents: dict[int, int | None]

    @classmethod
    def load(cls) -> OrgTree:
        rows = db.session.execute(select(Unit.id, Unit.name, Unit.code, Unit.parent_id)).all()
        return cls({r.id: r.name for r in rows}, {r.id: r.code for r in rows}, {r.id: r.parent_id for r in rows})

    def opd_of(self, unit_id: int | None) -> int | None:
        current = unit_id
        for _step in range(MAX_DEPTH):
            parent = self.parents.get(current) if current is not None else None
            if parent is None or parent not in self.parents:
                return current
            current = parent
        return current

    def name(self, unit_id: int | None) -> str:
        return self.names.get(unit_id, "") if unit_id is not None else _("Tanpa unit kerja")

    def opd_name(self, unit_id: int | None) -> str:
        return self.name(self.opd_of(unit_id))

    def below(self, unit_id: int) -> set[int]:
        """The unit and every unit under it."""
        children: dict[int | None, list[int]] = {}
        for uid, parent in self.parents.items():
            children.setdefault(parent, []).append(uid)
        found, frontier = {unit_id}, [unit_id]
        while frontier:
            nxt = [c for uid in frontier for c in children.get(uid, ()) if c not in found]
            found.update(nxt)
            frontier = nxt
        return found


@dataclass
class RecapFilter:
    """What the admin picked: a period (always) and a unit (optional)."""

    period: Period
    unit: Unit | None
    tree: OrgTree
    unit_ids: set[int] | None = field(default=None)  # the unit and those below it; None: all

    @classmethod
    def of(cls, period: Period, unit: Unit | None) -> RecapFilter:
        tree = OrgTree.load()
        return cls(period, unit, tree, tree.below(unit.id) if unit is not None else None)

    def includes(self, unit_id: int | None) -> bool:
        return self.unit_ids is None or unit_id in self.unit_ids

    def unit_clause(self, column):
        """A WHERE clause keeping ``column`` (a unit id) inside the filter, or None."""
        return column.in_(sorted(self.unit_ids)) if self.unit_ids is not None else None

    @property
    def year_period(self) -> Period:
        """The YEAR period of the chosen one (plans belong to the year)."""
        if self.period.kind is PeriodKind.YEAR or self.period.parent is None:
            return self.period
        return self.period.parent


@dataclass(frozen=True)
class Recap:
    code: str  # in the URL and the file name
    title: Any  # lazy Indonesian title
    description: Any
    # The columns and a generator of the rows for a filter (queries run once per call).
    build: Callable[[RecapFilter], tuple[list[Column], Iterator[list[Any]]]]
    uses_period: bool = True


def simple(columns: Callable[[RecapFilter], list[Column]],
           rows: Callable[[RecapFilter], Iterator[list[Any]]]):
    """A ``Recap.build`` from a columns function and a rows function."""
    return lambda flt: (columns(flt), rows(flt))


def numbered(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """Prefix each row with its number (the "No" column)."""
    for number, row in enumerate(rows, start=1):
        yield [number, *row]


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, one decimal; None when there is no whole."""
    return round(part * 100 / whole, 1) if whole else None


NO = Column(_l("No"), "int", 5)


# --- periods ------------------------------------------------------------------------

def tenant_periods() -> list[Period]:
    """The tenant's periods, newest year first, the year before its sub-periods."""
    periods = db.session.scalars(select(Period)).all()
    return sorted(periods, key=lambda p: (-p.year, p.kind is not PeriodKind.YEAR, p.starts_on, p.sequence))


def default_period(periods: list[Period], today: date | None = None) -> Period | None:
    """The latest period that has ended (the year when a year and its last
    sub-period end together), else the latest that has begun, else the first."""
    today = today or tenant_today()
    ended = [p for p in periods if p.ends_on < today]
    if ended:
        return max(ended, key=lambda p: (p.ends_on, p.kind is PeriodKind.YEAR))
    begun = [p for p in periods if p.starts_on <= today]
    if begun:
        return max(begun, key=lambda p: (p.starts_on, p.kind is not PeriodKind.YEAR))
    return periods[0] if periods else None


def period_slug(period: Period) -> str:
    """"2026", "2026-triwulan-i", "2026-semester-ii", "2026-bulan-03"."""
    if period.kind is PeriodKind.QUARTER:
        return f"{period.year}-triwulan-{ROMAN.get(period.sequence, period.sequence)}"
    if period.kind is PeriodKind.SEMESTER:
        return f"{period.year}-semester-{ROMAN.get(period.sequence, period.sequence)}"
    if period.kind is PeriodKind.MONTH:
        return f"{period.year}-bulan-{period.starts_on:%m}"
    return str(period.year)


def _slug(text: str) -> str:
    cleaned = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in cleaned.split("-") if part)[:40]


def filename(recap: Recap, flt: RecapFilter, extension: str) -> str:
    """``rekap-predikat-2026-triwulan-i.xlsx`` (with the unit's code when filtered)."""
    parts = ["rekap", recap.code]
    if recap.uses_period:
        parts.append(period_slug(flt.period))
    if flt.unit is not None:
        parts.append(_slug(flt.unit.code) or str(flt.unit.id))
    return "-".join(parts) + f".{extension}"
