"""Rules for changing the organisation: what the admin screens and imports call.

Every change is appended to the tenant's audit trail (``app.audit``) in the
caller's transaction: it commits, or rolls back, with the change itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit
from app.database import unique_or_invalid
from app.errors import Invalid, Stale
from app.extensions import db
from app.org.models import ActingAssignment, ActingKind, Employee, Position, PositionKind, Unit
from app.org.nip import EmployeeType, NipError, Sex, normalise_nip, validate_nip
from app.org.ranks import grade_label, normalise_grade, valid_grade


class _Keep:
    """The value of an optional field that a caller does not set: the stored one stays."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def check_version(obj: Any, submitted_version: int | None) -> None:
    """Refuse a save from a form opened on an older version of ``obj`` (``Stale``)."""
    if submitted_version is not None and obj.version != submitted_version:
        raise Stale(_l("Data ini sudah diubah orang lain sejak formulir dibuka. "
                       "Periksa isian Anda, lalu simpan lagi untuk menimpa."))


def _taken_by(model: type, key: Any, value: str) -> int | None:
    """The id of the row whose unique ``key`` is ``value`` already: a pre-check
    (``unique_or_invalid`` catches a row another request commits after it)."""
    return db.session.scalar(select(model.id).where(key == value))


def _ancestors(start: Any, parent_attr: str, model: type) -> set[int]:
    seen: set[int] = set()
    current = start
    while current is not None and current.id not in seen:
        seen.add(current.id)
        parent_id = getattr(current, parent_attr)
        current = db.session.get(model, parent_id) if parent_id else None
    return seen


# --- units --------------------------------------------------------------------

@dataclass
class UnitData:
    code: str
    name: str
    kind: str
    parent_id: int | None = None
    letterhead: str | None = KEEP  # the agency line on documents (app.org.letterhead)


LETTERHEAD_MAX = 200


def save_unit(data: UnitData, unit: Unit | None = None) -> Unit:
    code = data.code.strip().upper()
    taken = _l("Kode unit %(code)s sudah dipakai.", code=code)
    clash = _taken_by(Unit, func.upper(Unit.code), code)
    if clash is not None and (unit is None or clash != unit.id):
        raise Invalid(taken, "code")
    parent = db.session.get(Unit, data.parent_id) if data.parent_id else None
    if data.parent_id and parent is None:
        raise Invalid(_l("Unit induk tidak ditemukan."), "parent_id")
    if unit is not None and parent is not None and unit.id in _ancestors(parent, "parent_id", Unit):
        raise Invalid(_l("Unit induk tidak boleh unit ini sendiri atau bawahannya."), "parent_id")
    letterhead = KEEP if data.letterhead is KEEP else (" ".join((data.letterhead or "").split()) or None)
    if letterhead is not KEEP and letterhead is not None and len(letterhead) > LETTERHEAD_MAX:
        raise Invalid(_l("Paling banyak %(n)d karakter.", n=LETTERHEAD_MAX), "letterhead")
    before = audit.snapshot(unit) if unit is not None else None
    unit = unit or Unit()
    with unique_or_invalid(taken, "code"):
        unit.code, unit.name, unit.kind, unit.parent = code, data.name.strip(), data.kind, parent
        if letterhead is not KEEP:
            unit.letterhead = letterhead
        db.session.add(unit)
    audit.record("unit.create" if before is None else "unit.update", unit, before)
    return unit


def deactivate_unit(unit: Unit) -> None:
    in_use = db.session.scalar(
        select(func.count()).select_from(Position).where(Position.unit_id == unit.id, Position.active)
    )
    if in_use:
        raise Invalid(_l("Unit masih memiliki %(n)d jabatan aktif; pindahkan atau nonaktifkan dulu.", n=in_use), "active")
    before = audit.snapshot(unit)
    unit.active = False
    audit.record("unit.deactivate", unit, before)


# --- positions ----------------------------------------------------------------

@dataclass
class PositionData:
    code: str
    name: str
    kind: str
    unit_id: int
    reports_to_id: int | None = None
    grade: str | None = KEEP  # jenjang (app.org.ranks.GRADES), by the position's kind


def save_position(data: PositionData, position: Position | None = None) -> Position:
    code = data.code.strip().upper()
    taken = _l("Kode jabatan %(code)s sudah dipakai.", code=code)
    clash = _taken_by(Position, func.upper(Position.code), code)
    if clash is not None and (position is None or clash != position.id):
        raise Invalid(taken, "code")
    unit = db.session.get(Unit, data.unit_id) if data.unit_id else None
    if unit is None:
        raise Invalid(_l("Unit kerja tidak ditemukan."), "unit_id")
    boss = db.session.get(Position, data.reports_to_id) if data.reports_to_id else None
    if data.reports_to_id and boss is None:
        raise Invalid(_l("Jabatan atasan tidak ditemukan."), "reports_to_id")
    if position is not None and boss is not None and position.id in _ancestors(boss, "reports_to_id", Position):
        raise Invalid(_l("Jabatan atasan tidak boleh jabatan ini sendiri atau bawahannya."), "reports_to_id")
    kind = PositionKind(data.kind)
    if position is not None and kind.single_holder:
        holders = db.session.scalar(
            select(func.count()).select_from(Employee).where(Employee.position_id == position.id, Employee.active)
        )
        if holders > 1:
            raise Invalid(_l("Jabatan struktural hanya boleh dipegang satu orang; saat ini %(n)d.", n=holders), "kind")
    if data.grade is KEEP:
        grade = position.grade if position is not None else None
    else:
        grade = normalise_grade(data.grade) or None
    if not valid_grade(kind, grade):
        raise Invalid(_l("Jenjang %(grade)s tidak berlaku untuk jenis jabatan ini.", grade=grade_label(grade)), "grade")
    before = audit.snapshot(position) if position is not None else None
    position = position or Position()
    with unique_or_invalid(taken, "code"):
        position.code, position.name, position.kind = code, data.name.strip(), kind
        position.unit, position.reports_to, position.grade = unit, boss, grade
        db.session.add(position)
    audit.record("position.create" if before is None else "position.update", position, before)
    return position


def deactivate_position(position: Position) -> None:
    holders = db.session.scalar(
        select(func.count()).select_from(Employee).where(Employee.position_id == position.id, Employee.active)
    )
    if holders:
        raise Invalid(_l("Jabatan masih dipegang %(n)d pegawai aktif.", n=holders), "active")
    before = audit.snapshot(position)
    position.active = False
    audit.record("position.deactivate", position, before)


# --- employees ----------------------------------------------------------------

@dataclass
class EmployeeData:
    nip: str
    name: str
    sex: str
    employee_type: str
    position_id: int | None = None
    email: str | None = None
    # None leaves the stored SIASN id as it is; "" clears it.
    siasn_id: str | None = None


SIASN_ID_MAX = 64


def clean_siasn_id(value: str | None) -> str | None:
    """The SIASN PNS id as stored: up to 64 characters, no spaces; empty is none."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > SIASN_ID_MAX or any(ch.isspace() for ch in value):
        raise Invalid(_l("ID SIASN paling banyak 64 karakter, tanpa spasi."), "siasn_id")
    return value


def validate_employee_nip(nip: str, employee_type: str, sex: str, today: date | None = None) -> str:
    """Normalised NIP, or ``Invalid`` on the nip/sex field. ``today``: the tenant's day when the
    caller has it already (an import checks thousands of NIPs against one day)."""
    try:
        info = validate_nip(nip, EmployeeType(employee_type), today)
    except NipError as exc:
        raise Invalid(exc.message, "nip") from None
    if info.sex != Sex(sex):
        raise Invalid(_l("Jenis kelamin tidak sesuai dengan digit ke-15 NIP."), "sex")
    return info.nip


def save_employee(data: EmployeeData, employee: Employee | None = None) -> Employee:
    nip = validate_employee_nip(normalise_nip(data.nip), data.employee_type, data.sex)
    taken = _l("NIP ini sudah terdaftar untuk pegawai lain.")
    clash = _taken_by(Employee, Employee.nip, nip)
    if clash is not None and (employee is None or clash != employee.id):
        raise Invalid(taken, "nip")
    position = db.session.get(Position, data.position_id) if data.position_id else None
    if data.position_id and position is None:
        raise Invalid(_l("Jabatan tidak ditemukan."), "position_id")
    if position is not None and position.kind.single_holder:
        other = db.session.scalar(
            select(Employee.name).where(
                Employee.position_id == position.id,
                Employee.active,
                Employee.id != (employee.id if employee else -1),
            )
        )
        if other is not None:
            raise Invalid(_l("Jabatan %(position)s sudah dipegang %(name)s.", position=position.name, name=other), "position_id")
    before = audit.snapshot(employee) if employee is not None else None
    employee = employee or Employee()
    with unique_or_invalid(taken, "nip"):
        employee.nip, employee.name = nip, data.name.strip()
        employee.sex, employee.employee_type = Sex(data.sex), EmployeeType(data.employee_type)
        employee.position, employee.email = position, (data.email or None)
        if data.siasn_id is not None:
            employee.siasn_id = clean_siasn_id(data.siasn_id)
        db.session.add(employee)
    audit.record("employee.create" if before is None else "employee.update", employee, before)
    return employee


def reactivate(obj: Unit | Position | Employee) -> None:
    """Undo a deactivation, unless a structural position got a new holder meanwhile."""
    if isinstance(obj, Employee) and obj.position is not None and obj.position.kind.single_holder:
        other = db.session.scalar(
            select(Employee.name).where(Employee.position_id == obj.position_id, Employee.active, Employee.id != obj.id)
        )
        if other is not None:
            raise Invalid(_l("Jabatan %(position)s sudah dipegang %(name)s.", position=obj.position.name, name=other), "active")
    before = audit.snapshot(obj)
    obj.active = True
    audit.record(f"{audit.object_type(obj)}.reactivate", obj, before)


def deactivate_employee(employee: Employee) -> None:
    """Mark the employee inactive. Their accounts are ended one layer up
    (``app.auth.accounts.deactivate_employee``), which is what screens call."""
    before = audit.snapshot(employee)
    employee.active = False
    audit.record("employee.deactivate", employee, before)


# --- acting assignments (Plt / Plh) ---------------------------------------------

def _parse_day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(_l("Tanggal %(value)s tidak valid.", value=value), field) from None


def assign_acting(position: Position, employee_nip: str, kind: str, starts_on: str,
                  ends_on: str | None = None, decree: str | None = None) -> ActingAssignment:
    employee = db.session.scalar(select(Employee).where(Employee.nip == normalise_nip(employee_nip), Employee.active))
    if employee is None:
        raise Invalid(_l("Tidak ada pegawai aktif dengan NIP itu."), "employee_nip")
    start, end = _parse_day(starts_on, "starts_on"), _parse_day(ends_on, "ends_on")
    if end is not None and end < start:
        raise Invalid(_l("Tanggal selesai harus sesudah tanggal mulai."), "ends_on")
    if employee.position_id == position.id:
        raise Invalid(_l("Pegawai ini sudah memegang jabatan tersebut."), "employee_nip")
    assignment = ActingAssignment(position=position, employee=employee, kind=ActingKind(kind),
                                  starts_on=start, ends_on=end, decree=decree or None)
    db.session.add(assignment)
    audit.record("acting_assignment.create", assignment, None)
    return assignment
