"""Units, positions and employees: read, and employees written through the
same services the admin screens call (``app.org.services``,
``app.auth.accounts``), so the same rules (NIP, single holders, uniqueness)
and the same audit entries apply."""

from __future__ import annotations

from typing import Any

from flask import abort, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.api import bulk
from app.api import schemas as s
from app.api.auth import api_blueprint, requires
from app.api.paging import page
from app.api.writes import IDEMPOTENCY_KEY, IF_MATCH, check_if_match, etag, writes
from app.auth import accounts
from app.extensions import db
from app.org import services
from app.org.models import Employee, Position, Unit
from app.org.nip import normalise_nip
from app.org.search import employees_matching
from app.web.errors import problem

bp = api_blueprint("api_org", __name__, description="Units (unit kerja), positions (jabatan) and employees.")


def _get(model: type, object_id: int) -> Any:
    return db.get_or_404(model, object_id)  # another tenant's is not found either


def _active(query, column, value):
    return query if value is None else query.where(column.is_(value))


# --- units --------------------------------------------------------------------------------

@bp.route("/units")
@requires("org:read")
@bp.arguments(s.UnitArgs, location="query")
@bp.response(200, s.UnitPage)
def units(args):
    """List units"""
    return page(_active(select(Unit), Unit.active, args["active"]), Unit.id, args)


@bp.route("/units/<int:unit_id>")
@requires("org:read")
@bp.response(200, s.Unit)
def unit(unit_id):
    """Get a unit"""
    return _get(Unit, unit_id)


# --- positions ----------------------------------------------------------------------------

@bp.route("/positions")
@requires("org:read")
@bp.arguments(s.PositionArgs, location="query")
@bp.response(200, s.PositionPage)
def positions(args):
    """List positions"""
    query = _active(select(Position), Position.active, args["active"])
    if args["unit"] is not None:
        query = query.where(Position.unit_id == args["unit"])
    return page(query, Position.id, args)


@bp.route("/positions/<int:position_id>")
@requires("org:read")
@bp.response(200, s.Position)
def position(position_id):
    """Get a position"""
    return _get(Position, position_id)


# --- employees ----------------------------------------------------------------------------

def _with_etag(employee: Employee, status: int = 200) -> tuple:
    return employee, status, {"ETag": etag(employee)}


@bp.route("/employees")
@requires("org:read")
@bp.arguments(s.EmployeeArgs, location="query")
@bp.response(200, s.EmployeePage)
def employees(args):
    """List employees

    Filters: `unit` (the unit of the employee's position), `active`, and `q`:
    the start of the name, or of the NIP when it is digits."""
    query = _active(select(Employee).options(joinedload(Employee.position)), Employee.active, args["active"])
    if args["unit"] is not None:
        query = query.where(Employee.position_id.in_(select(Position.id).where(Position.unit_id == args["unit"])))
    if term := (args["q"] or "").strip():
        query = query.where(employees_matching(term, anywhere=False))
    return page(query, Employee.id, args)


@bp.route("/employees/<int:employee_id>")
@requires("org:read")
@bp.response(200, s.Employee, headers={"ETag": {"description": "The version, for If-Match",
                                                 "schema": {"type": "string"}}})
def employee(employee_id):
    """Get an employee"""
    return _with_etag(_get(Employee, employee_id))


@bp.route("/employees/by-nip/<string:nip>")
@requires("org:read")
@bp.response(200, s.Employee)
def employee_by_nip(nip):
    """Get an employee by NIP"""
    found = db.session.scalar(select(Employee).where(Employee.nip == normalise_nip(nip)[:25]))
    if found is None:
        abort(404)
    return _with_etag(found)


def _data(body: dict, current: Employee | None = None) -> services.EmployeeData:
    def pick(name: str, default: Any) -> Any:
        return body.get(name, default)

    return services.EmployeeData(
        pick("nip", current.nip if current else ""), pick("name", current.name if current else ""),
        pick("sex", current.sex.value if current else ""),
        pick("employee_type", current.employee_type.value if current else ""),
        pick("position_id", current.position_id if current else None),
        pick("email", current.email if current else None))


@bp.route("/employees", methods=["POST"])
@bp.doc(parameters=[IDEMPOTENCY_KEY])
@requires("org:write")
@writes
@bp.arguments(s.EmployeeIn)
@bp.response(201, s.Employee, headers={"ETag": {"schema": {"type": "string"}},
                                       "Location": {"schema": {"type": "string"}}})
def employee_create(body):
    """Create an employee

    Send `Idempotency-Key` to make a retry safe: the same key with the same
    body answers the same again (for 24 hours)."""
    created = services.save_employee(_data(body))
    db.session.flush()
    location = url_for("api_org.employee", employee_id=created.id)
    return created, 201, {"ETag": etag(created), "Location": location}


@bp.route("/employees/<int:employee_id>", methods=["PATCH"])
@bp.doc(parameters=[IF_MATCH])
@requires("org:write")
@writes
@bp.arguments(s.EmployeePatch(partial=True))
@bp.response(200, s.Employee)
def employee_update(body, employee_id):
    """Update an employee

    Needs `If-Match` with the ETag from a GET: 428 without it, 412 when the
    employee changed meanwhile."""
    current = _get(Employee, employee_id)
    check_if_match(current)
    services.save_employee(_data(body, current), current)
    db.session.flush()
    return _with_etag(current)


@bp.route("/employees/<int:employee_id>/deactivate", methods=["POST"])
@bp.doc(parameters=[IF_MATCH, IDEMPOTENCY_KEY])
@requires("org:write")
@writes
@bp.response(200, s.Employee)
def employee_deactivate(employee_id):
    """Deactivate an employee

    Their accounts are ended too, as on the admin screen. `If-Match` is
    checked when sent."""
    current = _get(Employee, employee_id)
    if "If-Match" in request.headers:
        check_if_match(current)
    accounts.deactivate_employee(current)
    db.session.flush()
    return _with_etag(current)


@bp.route("/employees/bulk", methods=["POST"])
@bp.doc(parameters=[IDEMPOTENCY_KEY])
@requires("org:write")
@writes
@bp.arguments(s.BulkEmployeesIn)
@bp.response(200, s.BulkReport)
@bp.alt_response(422, schema=s.BulkProblem, content_type="application/problem+json", description="A row has an error: nothing was written; `rows` reports "
                                                     "every row, `errors` every message as `<index>.<field>`.")
def employees_bulk(body):
    """Create or update employees by NIP, in bulk

    Up to 1,000 rows with the employee import's fields (`nip`, `nama`,
    `jenis_kelamin`, `jenis_asn`, and optionally `kode_jabatan`, `email`,
    `pangkat`, `tmt_pangkat`) and its rules. All or nothing: when any row has
    an error nothing is written and the answer is 422 with a report of every
    row; else 200 with the report. `dry_run` only checks."""
    report = bulk.upsert(body["rows"], dry_run=body["dry_run"])
    if not report.ok:
        db.session.rollback()
        return problem(422, _("Isian tidak dapat diproses"),
                       _("Ada baris yang salah, jadi tidak ada yang ditulis. Lihat rows dan errors."), "invalid",
                       errors=report.field_errors(), rows=report.rows, counts=report.counts)
    return {"written": report.written, "counts": report.counts, "rows": report.rows}
