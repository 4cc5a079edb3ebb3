"""The rule set's ``evaluation_meeting_required``: a period's evaluations of a
unit are finalised only after a held evaluation meeting.

Which meetings count for an employee's evaluation of period P:

* the meeting's unit is the employee's unit or one above it (a meeting of the
  OPD covers its bidang, as Walesi holds one "in each agency");
* its status is *dilaksanakan* (held);
* it is a meeting of P — or, when P is the year, of the sub-period that closes
  the year (Walesi's second-semester meeting is also its year-end meeting).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.meetings.models import EvaluationMeeting, MeetingStatus
from app.org.hierarchy import unit_and_ancestors
from app.org.models import Employee
from app.periods.models import Period, PeriodKind


def _covering_periods(period: Period) -> list[int]:
    ids = [period.id]
    if period.kind is PeriodKind.YEAR:
        ids += [p.id for p in period.children if p.ends_on == period.ends_on]
    return ids


def held_meeting_for(employee: Employee, period: Period) -> EvaluationMeeting | None:
    """A held meeting that covers the employee's evaluation of the period, or None."""
    if employee.position is None:
        return None
    units = unit_and_ancestors(employee.position.unit)
    return db.session.scalar(
        select(EvaluationMeeting)
        .where(EvaluationMeeting.unit_id.in_(units), EvaluationMeeting.period_id.in_(_covering_periods(period)),
               EvaluationMeeting.status == MeetingStatus.HELD)
        .order_by(EvaluationMeeting.held_on.desc()).limit(1))


def required_meeting_blocker(required: bool, employee: Employee, period: Period) -> str | None:
    """The blocker to show before finalising, or None when no meeting is needed or one was held."""
    if not required or held_meeting_for(employee, period) is not None:
        return None
    unit = employee.position.unit.name if employee.position is not None else _("unit pegawai")
    return _("Aturan instansi mewajibkan rapat evaluasi kinerja %(unit)s untuk periode %(period)s "
             "sebelum penilaian difinalkan; rapat itu belum dinyatakan terlaksana.",
             unit=unit, period=period.label)
