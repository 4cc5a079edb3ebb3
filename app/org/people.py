"""An employee's pangkat/golongan: the one way it is set or changed, and its history.

``change_rank`` is what the admin form, the import and the demo call. It
checks the code against the employee's type (a PNS golongan ruang I/a–IV/e,
a PPPK golongan I–XVII; ``app.org.ranks``) and the TMT (not after the
tenant's today, not before 1900), writes ``Employee.rank_code`` and
``rank_tmt``, appends an ``EmployeeRank`` row whenever the rank or its TMT
changes (nothing when neither does) and records the change in the audit
trail. Clearing the rank is allowed (a wrong entry); the history keeps what
was held. Nothing here commits.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.errors import Invalid
from app.extensions import db
from app.org.models import Employee, EmployeeRank
from app.org.ranks import allowed_ranks_text, normalise_rank, rank_label, valid_rank
from app.tenancy import tenant_today

EARLIEST_TMT = date(1900, 1, 1)


def parse_tmt(value: date | str | None, field: str = "rank_tmt") -> date | None:
    """A TMT from a date or ISO text ("2021-04-01"); ``Invalid`` on ``field`` otherwise."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(_l("TMT %(value)s bukan tanggal yang valid (TTTT-BB-HH).", value=text), field) from None


def check_rank(employee_type: str, rank_code: str | None, tmt: date | None,
               rank_field: str = "rank_code", tmt_field: str = "rank_tmt") -> tuple[str | None, date | None]:
    """The normalised (code, TMT) for an employee of ``employee_type``, or
    ``Invalid`` on the field at fault. Shared by the service and the import's check."""
    code = normalise_rank(employee_type, rank_code) or None
    if code is not None and not valid_rank(employee_type, code):
        raise Invalid(_l("Pangkat/golongan %(code)s tidak berlaku untuk %(type)s (pilihan: %(allowed)s).",
                         code=code, type=str(employee_type), allowed=allowed_ranks_text(employee_type)), rank_field)
    if tmt is not None:
        if code is None:
            raise Invalid(_l("TMT diisi tanpa pangkat/golongan: isi pangkat/golongannya juga."), rank_field)
        if tmt < EARLIEST_TMT:
            raise Invalid(_l("TMT pangkat tidak boleh sebelum tahun 1900."), tmt_field)
        if tmt > tenant_today():
            raise Invalid(_l("TMT pangkat tidak boleh sesudah hari ini."), tmt_field)
    return code, tmt


def change_rank(employee: Employee, rank_code: str | None, tmt: date | str | None,
                recorded_by_id: int | None = None) -> EmployeeRank | None:
    """Set the employee's rank and TMT; returns the history row appended (None
    when nothing changed or the rank was cleared). ``recorded_by_id``: the
    account recording it, by default whoever the audit trail names."""
    code, day = check_rank(employee.employee_type, rank_code, parse_tmt(tmt))
    if (code, day) == (employee.rank_code, employee.rank_tmt):
        return None
    before = {"rank_code": employee.rank_code, "rank_tmt": employee.rank_tmt}
    employee.rank_code, employee.rank_tmt = code, day
    row = None
    if code is not None:
        if recorded_by_id is None:
            recorded_by_id = audit.current_actor().user_id
        row = EmployeeRank(employee=employee, rank_code=code, tmt=day, recorded_by_id=recorded_by_id)
        db.session.add(row)
    audit.record("employee.rank_change", employee, before, {"rank_code": code, "rank_tmt": day})
    return row


def rank_history(employee: Employee) -> list[EmployeeRank]:
    """Every rank recorded for the employee, the latest TMT (then the latest recorded) first."""
    return list(db.session.scalars(
        select(EmployeeRank).where(EmployeeRank.employee_id == employee.id)
        .order_by(EmployeeRank.tmt.desc().nulls_last(), EmployeeRank.recorded_at.desc(), EmployeeRank.id.desc())))


def employee_rank_label(employee: Employee) -> str:
    """The PANGKAT/GOL. RUANG text of the employee ("Penata Muda / III/a"; "" when none)."""
    return rank_label(employee.rank_code)
