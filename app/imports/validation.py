"""Checking import rows against the organisation rules, for a whole file at once.

The rules are those of ``app.org.services`` (the NIP rules of
``validate_employee_nip``, with the tenant's day looked up once per file; the
same messages for unknown parents, cycles and structural positions), applied
to what the database and the file together will look like afterwards. The
existing codes and NIPs are fetched in bulk — a few queries per file, not per
row — and a code or NIP that already exists makes the row an update, not a
clash. Units and positions are applied through the services themselves, which
check every rule once more against the database; employees in bulk
(``app.imports.bulk``), from the records read here (``Plan.existing``) and
guarded by the ``(tenant_id, nip)`` unique index and each row's version.

Every row collects every problem it has; the file is only applied when no row
has any.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Enum as EnumType
from sqlalchemy import String, func, inspect, select, type_coerce

from app.errors import Invalid
from app.extensions import db
from app.imports.models import ImportKind
from app.imports.rows import (
    CREATE,
    CUT_OFF_NUMBER_RE,
    UNCHANGED,
    UPDATE,
    Plan,
    Progress,
    Row,
    check_references,
    keep_present,
    mark_duplicates,
    no_progress,
    read_choice,
    read_code,
    read_date,
    read_email,
    read_text,
)
from app.org import people
from app.org.models import Employee, Position, PositionKind, Unit, UnitKind
from app.org.nip import EmployeeType, Sex, normalise_nip
from app.org.ranks import grade_label, normalise_grade, valid_grade
from app.org.services import validate_employee_nip
from app.tenancy import tenant_today


def check(kind: ImportKind, rows: list[Row], columns: Iterable[str], progress: Progress = no_progress) -> Plan:
    """Check every row; each row ends with errors or with an action."""
    plan = Plan(kind, set(columns), rows)
    _CHECKS[kind](plan, progress)
    return plan


# --- units ----------------------------------------------------------------------------

def _check_units(plan: Plan, progress: Progress) -> None:
    existing = {r.code.upper(): r for r in db.session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.parent_id, Unit.active))}
    code_of = {r.id: code for code, r in existing.items()}
    for done, row in enumerate(plan.rows, start=1):
        keep_present(row, plan.columns, {
            "kode": read_code(row, "kode", required=True),
            "nama": read_text(row, "nama", required=True),
            "jenis": read_choice(row, "jenis", UnitKind, required=False),
            "kode_induk": read_code(row, "kode_induk", required=False),
        })
        progress(done)
    mark_duplicates(plan.rows, "kode", lambda code, lines: _(
        "Kode %(code)s muncul lebih dari sekali dalam berkas (baris %(lines)s).", code=code, lines=lines))
    check_references(
        plan.rows, plan, "kode_induk", existing, code_of, "parent_id",
        lambda code: _("Unit induk %(code)s tidak ditemukan, baik di data maupun di berkas ini.", code=code),
        lambda code: _("Unit induk %(code)s tidak aktif.", code=code),
        _("Unit induk tidak boleh unit ini sendiri atau bawahannya."),
    )
    for row in plan.rows:
        if row.errors:
            continue
        rec = existing.get(row.clean["kode"])
        if rec is None:
            row.action = CREATE
            continue
        new = row.clean
        row.changes = [name for name, changed in (
            ("nama", new["nama"] != rec.name),
            ("jenis", bool(new.get("jenis")) and new.get("jenis") != rec.kind),
            ("kode_induk", "kode_induk" in new and (new["kode_induk"] or None) != code_of.get(rec.parent_id)),
        ) if changed]
        row.action = UPDATE if row.changes else UNCHANGED


# --- positions ------------------------------------------------------------------------

def _check_positions(plan: Plan, progress: Progress) -> None:
    units = {r.code.upper(): r for r in db.session.execute(select(Unit.id, Unit.code, Unit.active))}
    unit_code_of = {r.id: code for code, r in units.items()}
    existing = {r.code.upper(): r for r in db.session.execute(
        select(Position.id, Position.code, Position.name, Position.kind, Position.unit_id,
               Position.reports_to_id, Position.grade, Position.active))}
    code_of = {r.id: code for code, r in existing.items()}
    holders = dict(db.session.execute(
        select(Employee.position_id, func.count()).where(Employee.active, Employee.position_id.is_not(None))
        .group_by(Employee.position_id)).all())
    for done, row in enumerate(plan.rows, start=1):
        values = {
            "kode": read_code(row, "kode", required=True),
            "nama": read_text(row, "nama", required=True),
            "jenis": read_choice(row, "jenis", PositionKind, required=True),
            "kode_unit": read_code(row, "kode_unit", required=True),
            "kode_atasan": read_code(row, "kode_atasan", required=False),
            "jenjang": normalise_grade(row.raw("jenjang")),
        }
        rec = existing.get(values["kode"])
        grade = values["jenjang"] if "jenjang" in plan.columns else (rec.grade if rec is not None else "")
        if values["jenis"] and not valid_grade(values["jenis"], grade or None):
            row.error("jenjang" if "jenjang" in plan.columns else "jenis", _(
                "Jenjang %(grade)s tidak berlaku untuk jabatan %(kind)s.", grade=grade_label(grade), kind=values["jenis"]))
        unit = units.get(values["kode_unit"]) if values["kode_unit"] else None
        if values["kode_unit"] and unit is None:
            row.error("kode_unit", _("Unit %(code)s tidak ditemukan. Impor unit lebih dulu.", code=values["kode_unit"]))
        elif unit is not None and not unit.active:
            row.error("kode_unit", _("Unit %(code)s tidak aktif.", code=values["kode_unit"]))
        keep_present(row, plan.columns, values)
        progress(done)
    mark_duplicates(plan.rows, "kode", lambda code, lines: _(
        "Kode %(code)s muncul lebih dari sekali dalam berkas (baris %(lines)s).", code=code, lines=lines))
    check_references(
        plan.rows, plan, "kode_atasan", existing, code_of, "reports_to_id",
        lambda code: _("Jabatan atasan %(code)s tidak ditemukan, baik di data maupun di berkas ini.", code=code),
        lambda code: _("Jabatan atasan %(code)s tidak aktif.", code=code),
        _("Jabatan atasan tidak boleh jabatan ini sendiri atau bawahannya."),
    )
    for row in plan.rows:
        rec = existing.get(row.clean.get("kode", ""))
        kind = row.clean.get("jenis")
        if rec is not None and kind and PositionKind(kind).single_holder and holders.get(rec.id, 0) > 1:
            row.error("jenis", _("Jabatan struktural hanya boleh dipegang satu orang; saat ini %(n)d.",
                                 n=holders[rec.id]))
        if row.errors:
            continue
        if rec is None:
            row.action = CREATE
            continue
        new = row.clean
        row.changes = [name for name, changed in (
            ("nama", new["nama"] != rec.name),
            ("jenis", new["jenis"] != rec.kind),
            ("kode_unit", new["kode_unit"] != unit_code_of.get(rec.unit_id)),
            ("kode_atasan", "kode_atasan" in new and (new["kode_atasan"] or None) != code_of.get(rec.reports_to_id)),
            ("jenjang", "jenjang" in new and (new["jenjang"] or None) != rec.grade),
        ) if changed]
        row.action = UPDATE if row.changes else UNCHANGED


# --- employees ------------------------------------------------------------------------

_NIP_FIELD_COLUMNS = {"nip": "nip", "sex": "jenis_kelamin"}
_RANK_COLUMNS = {"rank_code": "pangkat", "rank_tmt": "tmt_pangkat"}


def _nip(row: Row) -> str:
    raw = row.raw("nip")
    if not raw:
        row.error("nip", _("Wajib diisi."))
        return ""
    if CUT_OFF_NUMBER_RE.match(raw):
        row.error("nip", _("NIP tersimpan sebagai angka sehingga digitnya terpotong oleh Excel (%(value)s). "
                           "Format kolom NIP sebagai Teks, ketik ulang NIP-nya, lalu unggah lagi.", value=raw))
        return ""
    return normalise_nip(raw)


def _check_employees(plan: Plan, progress: Progress) -> None:
    positions = {r.code.upper(): r for r in db.session.execute(
        select(Position.id, Position.code, Position.name, Position.kind, Position.active))}
    position_by_id = {r.id: r for r in positions.values()}
    code_of = {r.id: code for code, r in positions.items()}
    # One read of the tenant's employees: every column the checks and the writer
    # (``bulk.apply_employees``: version and audited state) need.
    existing = {r.nip: r for r in db.session.execute(select(*_employee_columns()))}
    plan.existing = existing
    today = tenant_today()  # once per file, not once per NIP
    for done, row in enumerate(plan.rows, start=1):
        nip = _nip(row)
        sex = read_choice(row, "jenis_kelamin", Sex, required=True)
        employee_type = read_choice(row, "jenis_asn", EmployeeType, required=True)
        if nip and sex and employee_type:
            try:
                nip = validate_employee_nip(nip, employee_type, sex, today)
            except Invalid as exc:
                row.error(_NIP_FIELD_COLUMNS.get(exc.field, "nip"), exc.message)
        position_code = read_code(row, "kode_jabatan", required=False)
        position = positions.get(position_code) if position_code else None
        if position_code and position is None:
            row.error("kode_jabatan", _("Jabatan %(code)s tidak ditemukan. Impor jabatan lebih dulu.", code=position_code))
        elif position is not None and not position.active:
            row.error("kode_jabatan", _("Jabatan %(code)s tidak aktif.", code=position_code))
        row.ref_id = position.id if position is not None else None
        rank, tmt = _rank(row, plan, employee_type, existing.get(nip))
        keep_present(row, plan.columns, {
            "nip": nip,
            "nama": read_text(row, "nama", required=True),
            "jenis_kelamin": sex,
            "jenis_asn": employee_type,
            "kode_jabatan": position_code,
            "email": read_email(row, "email"),
            "pangkat": rank,
            "tmt_pangkat": tmt,
        })
        progress(done)
    mark_duplicates(plan.rows, "nip", lambda nip, lines: _(
        "NIP %(nip)s muncul lebih dari sekali dalam berkas (baris %(lines)s).", nip=nip, lines=lines))
    _check_structural_holders(plan, position_by_id, existing)
    for row in plan.rows:
        if row.errors:
            continue
        rec = existing.get(row.clean["nip"])
        if rec is None:
            row.action = CREATE
            continue
        new = row.clean
        row.changes = [name for name, changed in (
            ("nama", new["nama"] != rec.name),
            ("jenis_kelamin", new["jenis_kelamin"] != rec.sex),
            ("jenis_asn", new["jenis_asn"] != rec.employee_type),
            ("kode_jabatan", "kode_jabatan" in new and (new["kode_jabatan"] or None) != code_of.get(rec.position_id)),
            ("email", "email" in new and (new["email"] or None) != rec.email),
            ("pangkat", "pangkat" in new and (new["pangkat"] or None) != rec.rank_code),
            ("tmt_pangkat", "tmt_pangkat" in new and new["tmt_pangkat"] != _iso(rec.rank_tmt)),
        ) if changed]
        row.action = UPDATE if row.changes else UNCHANGED


def _employee_columns() -> list[Any]:
    """id, version and every other column of ``Employee`` (bar ``tenant_id``); enum
    columns as their stored text (what the comparisons and the audit entries use)."""
    columns = []
    for attr in inspect(Employee).column_attrs:
        column = attr.columns[0]
        if attr.key == "tenant_id":
            continue
        if isinstance(column.type, EnumType):
            columns.append(type_coerce(column, String).label(attr.key))
        else:
            columns.append(getattr(Employee, attr.key))
    return columns


def _iso(day: Any) -> str:
    return day.isoformat() if day is not None else ""


def _rank(row: Row, plan: Plan, employee_type: str, rec: Any) -> tuple[str, str]:
    """The row's pangkat and TMT (normalised), checked by the service's rule against the
    row's type; a column the file lacks keeps the employee's current value (checked too)."""
    given_rank, given_tmt = "pangkat" in plan.columns, "tmt_pangkat" in plan.columns
    tmt = read_date(row, "tmt_pangkat") if given_tmt else ""
    if not employee_type or (not given_rank and not given_tmt and rec is None):
        return row.raw("pangkat"), tmt
    rank = row.raw("pangkat") if given_rank else (rec.rank_code or "" if rec is not None else "")
    day = tmt if given_tmt else _iso(rec.rank_tmt if rec is not None else None)
    if given_tmt and row.raw("tmt_pangkat") and not tmt:
        return rank, tmt  # the date itself is wrong: reported once
    try:
        code, _day = people.check_rank(employee_type, rank, people.parse_tmt(day or None),
                                       "rank_code", "rank_tmt")
    except Invalid as exc:
        row.error(_RANK_COLUMNS.get(exc.field, "pangkat"), exc.message)
        return rank, tmt
    return code or "", tmt


def _check_structural_holders(plan: Plan, position_by_id: dict[int, Any], existing: dict[str, Any]) -> None:
    """A structural position has one active holder once the file is applied
    (so a file may swap two officials: both rows are applied together)."""
    if "kode_jabatan" not in plan.columns:
        return  # nobody changes position
    in_file = {row.clean["nip"] for row in plan.rows if row.clean.get("nip")}
    claims: dict[int, list[tuple[str, Row | None]]] = defaultdict(list)
    for rec in existing.values():
        if rec.active and rec.position_id and rec.nip not in in_file:
            claims[rec.position_id].append((rec.name, None))
    for row in plan.rows:
        rec = existing.get(row.clean.get("nip", ""))
        if row.ref_id and (rec is None or rec.active):
            claims[row.ref_id].append((row.clean.get("nama", ""), row))
    for position_id, holders in claims.items():
        position = position_by_id[position_id]
        if len(holders) < 2 or not PositionKind(position.kind).single_holder:
            continue
        current = [name for name, row in holders if row is None]
        lines = ", ".join(str(row.line) for _name, row in holders if row is not None)
        for _name, row in holders:
            if row is None:
                continue
            if current:
                row.error("kode_jabatan", _("Jabatan %(position)s sudah dipegang %(name)s.",
                                            position=position.name, name=current[0]))
            else:
                row.error("kode_jabatan", _(
                    "Jabatan struktural %(position)s diberikan kepada lebih dari satu pegawai dalam berkas (baris %(lines)s).",
                    position=position.name, lines=lines))


_CHECKS: dict[ImportKind, Callable[[Plan, Progress], None]] = {
    ImportKind.UNITS: _check_units,
    ImportKind.POSITIONS: _check_positions,
    ImportKind.EMPLOYEES: _check_employees,
}
