"""Matching employees and positions by NIP or name, the way an index can serve it.

On PostgreSQL the tenant policy (app/tenancy/rls.py) keeps the planner from using
an index for any condition that is not LEAKPROOF, so ``name ILIKE '%…%'`` reads
every row of the tenant there however the trigram indexes stand. So:

* a NIP prefix is a range (``>=``/``<`` are leakproof): the ``(tenant_id, nip)`` index;
* a name is matched by the functions of migration 0025, which run the ``ILIKE``
  as the tables' owner on the trigram index, restricted to the transaction's
  tenant; elsewhere (SQLite) by a plain ``ILIKE``.

Each name matcher returns a select of ids to use as ``Model.id.in_(...)``; the
ORM's tenant criteria apply to it as to any query.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, func, select

from app.extensions import db
from app.org.models import Employee, Position
from app.org.nip import normalise_nip
from app.web.listing import contains_pattern


def nip_prefix(term: str) -> ColumnElement[bool]:
    """``nip`` starts with the term's digits."""
    digits = normalise_nip(term)
    return and_(Employee.nip >= digits, Employee.nip < digits + ":")  # ":" sorts right after "9"


def employee_ids_named(term: str) -> Select:
    """Ids of the tenant's employees whose name contains ``term`` (any case)."""
    return _ids_named(Employee, func.kinerja_employee_ids_named, term)


def position_ids_named(term: str) -> Select:
    """Ids of the tenant's positions whose name contains ``term`` (any case)."""
    return _ids_named(Position, func.kinerja_position_ids_named, term)


def _ids_named(model, function, term: str) -> Select:
    pattern = contains_pattern(term)
    if db.session.get_bind().dialect.name == "postgresql":
        return select(function(pattern).column_valued("id"))
    return select(model.id).where(model.name.ilike(pattern, escape="\\"))
