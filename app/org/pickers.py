"""Search behind the pickers: employees, positions and units by name, NIP or code.

Every finder is tenant-scoped (the session's tenant criteria), returns at most
``LIMIT`` active rows ordered by name, and answers an empty list to a term
shorter than ``MIN_TERM``. A term of digits is a NIP prefix; anything else
matches names (and codes) case-insensitively anywhere, within the tenant's
rows (app/org/search.py: each on an index).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.org.nip import format_nip
from app.org.search import employees_matching, position_ids_named
from app.web.listing import contains_pattern

LIMIT = 20
MIN_TERM = 2
MAX_TERM = 100


@dataclass(frozen=True)
class Choice:
    """One row a picker offers: ``value`` is what the form field takes (a NIP
    or an id), ``label`` what the person reads."""

    value: str
    label: str

    def as_dict(self) -> dict[str, str]:
        return {"value": self.value, "label": self.label}


def clean_term(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_TERM]


def find_employees(term: str | None, unit_id: int | None = None) -> list[Choice]:
    term = clean_term(term)
    if len(term) < MIN_TERM:
        return []
    query = (select(Employee.nip, Employee.name, Position.name.label("position"))
             .outerjoin(Position, Employee.position_id == Position.id)
             .where(Employee.active, employees_matching(term)).order_by(Employee.name, Employee.nip).limit(LIMIT))
    if unit_id is not None:
        query = query.where(Position.unit_id == unit_id)
    return [Choice(r.nip, f"{r.name} — {format_nip(r.nip)}" + (f" — {r.position}" if r.position else ""))
            for r in db.session.execute(query)]


def find_positions(term: str | None) -> list[Choice]:
    term = clean_term(term)
    if len(term) < MIN_TERM:
        return []
    pattern = contains_pattern(term)
    rows = db.session.execute(
        select(Position.id, Position.name, Unit.name.label("unit")).join(Unit, Position.unit_id == Unit.id)
        .where(Position.active, or_(Position.id.in_(position_ids_named(term)),
                                    Position.code.ilike(pattern, escape="\\")))
        .order_by(Position.name, Unit.name).limit(LIMIT))
    return [Choice(str(r.id), f"{r.name} — {r.unit}") for r in rows]


def find_units(term: str | None) -> list[Choice]:
    term = clean_term(term)
    if len(term) < MIN_TERM:
        return []
    pattern = contains_pattern(term)
    rows = db.session.execute(
        select(Unit.id, Unit.code, Unit.name)
        .where(Unit.active, or_(Unit.name.ilike(pattern, escape="\\"), Unit.code.ilike(pattern, escape="\\")))
        .order_by(Unit.name).limit(LIMIT))
    return [Choice(str(r.id), f"{r.name} ({r.code})") for r in rows]


FINDERS = {"pegawai": find_employees, "jabatan": find_positions, "unit": find_units}
