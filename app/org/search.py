"""Matching employees and positions by NIP or name, the way an index can serve it.

On PostgreSQL the tenant policy (app/tenancy/rls.py) keeps the planner from using
an index for any condition that is not LEAKPROOF, so ``name ILIKE '%…%'`` (or a
``LIKE`` on the NIP) reads every row of the tenant there, whatever the indexes. So:

* a NIP prefix is a range (``>=``/``<`` are leakproof): the ``(tenant_id, nip)`` index;
* a name is matched by the functions of migration 0025, which run the ``ILIKE``
  as the tables' owner on the trigram index, restricted to the transaction's
  tenant by the function itself (none without a tenant, never across tenants);
  elsewhere (SQLite) by a plain ``ILIKE`` under the ORM's tenant criteria.

Each name matcher returns a select of ids for ``Model.id.in_(...)``: PostgreSQL
runs it once per statement. As a top-level condition it becomes a join on the
ids; inside an ``OR`` a set each row is tested against.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, func, select

from app.extensions import db
from app.org.models import Employee, Position
from app.org.nip import normalise_nip
from app.web.listing import contains_pattern, starts_pattern


def nip_prefix(term: str) -> ColumnElement[bool] | None:
    """``nip`` starts with the term's digits (``nip >= "1234" AND nip < "1235"``), or None when
    the term is not ASCII digits (spaces and dots of the display form aside): search names then.

    The upper bound is the prefix with its last digit raised (trailing nines dropped first:
    "1299" → "13"), which sorts right in any collation; none for a prefix of nines only."""
    digits = normalise_nip(term)
    if not (digits.isascii() and digits.isdigit()):  # str.isdigit() alone also takes "²" and "３"
        return None
    raised = digits.rstrip("9")
    if not raised:
        return Employee.nip >= digits
    return and_(Employee.nip >= digits, Employee.nip < raised[:-1] + str(int(raised[-1]) + 1))


def employees_matching(term: str, *, anywhere: bool = True) -> ColumnElement[bool]:
    """Employees whose NIP starts with ``term`` when it is digits, else whose name contains it
    (``anywhere``) or starts with it."""
    by_nip = nip_prefix(term)
    return by_nip if by_nip is not None else Employee.id.in_(employee_ids_named(term, anywhere=anywhere))


def employee_ids_named(term: str, *, anywhere: bool = True) -> Select:
    """Ids of the tenant's employees whose name contains ``term`` (any case), or starts with it."""
    return _ids_named(Employee, func.kinerja_employee_ids_named, term, anywhere)


def position_ids_named(term: str) -> Select:
    """Ids of the tenant's positions whose name contains ``term`` (any case)."""
    return _ids_named(Position, func.kinerja_position_ids_named, term, True)


def _ids_named(model, function, term: str, anywhere: bool) -> Select:
    pattern = contains_pattern(term) if anywhere else starts_pattern(term)
    if db.session.get_bind().dialect.name == "postgresql":
        return select(function(pattern).column_valued("id"))
    return select(model.id).where(model.name.ilike(pattern, escape="\\"))
