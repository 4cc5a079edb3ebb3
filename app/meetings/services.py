"""Evaluation meetings: schedule, invite, record attendance and minutes, mark
held or cancelled, decide follow-up actions and close them.

Every change is audited (``app.audit.record``) and the people concerned are
told through ``app.notifications.notify``. Errors are those of ``app.errors``:
``Forbidden`` for a role that may not act, ``Invalid`` on a field, ``Conflict``
for a step the meeting's status does not allow, ``NotFound`` for a
participant or employee that is not there. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.models import User
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.meetings.access import (
    can_close,
    can_organise,
    organised_units,
)
from app.meetings.models import (
    ActionStatus,
    Attendance,
    EvaluationMeeting,
    MeetingAction,
    MeetingParticipant,
    MeetingStatus,
)
from app.notifications import notify
from app.org.hierarchy import unit_and_descendants
from app.org.models import Employee, Position, Unit
from app.periods.models import Period
from app.tenancy import tenant_today, utc_now

MAX_TEXT = 10000
MAX_PLACE = 200


@dataclass(frozen=True)
class MeetingData:
    unit_id: int | None
    period_id: int | None
    held_on: date | None
    starts_at: time | None
    place: str | None
    agenda: str | None


def _require_organiser(user: User, meeting: EvaluationMeeting) -> None:
    if not can_organise(user, meeting):
        raise Forbidden(_("Rapat evaluasi kinerja diatur oleh admin instansi dan kepala unit."))


def _text(value: str | None, field: str, message: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(message, field)
    if len(value) > limit:
        raise Invalid(_("Terlalu panjang (paling banyak %(n)d karakter).", n=limit), field)
    return value


def _checked(user: User, data: MeetingData) -> tuple[Unit, Period, date, time, str, str]:
    allowed = organised_units(user)
    unit = db.session.get(Unit, data.unit_id) if data.unit_id is not None else None
    if unit is None or not unit.active or (allowed is not None and unit.id not in allowed):
        raise Invalid(_("Pilih unit kerja yang rapatnya boleh Anda atur."), "unit_id")
    period = db.session.get(Period, data.period_id) if data.period_id is not None else None
    if period is None:
        raise Invalid(_("Pilih periode penilaian."), "period_id")
    if data.held_on is None:
        raise Invalid(_("Isi tanggal rapat (YYYY-MM-DD)."), "held_on")
    # From the period's start; the closing meeting may fall in the next year.
    if not period.starts_on <= data.held_on <= date(period.ends_on.year + 1, 12, 31):
        raise Invalid(_("Tanggal rapat harus sejak awal periode dan paling lambat akhir tahun berikutnya."),
                      "held_on")
    if data.starts_at is None:
        raise Invalid(_("Isi jam rapat (JJ:MM)."), "starts_at")
    place = _text(data.place, "place", _("Isi tempat rapat."), MAX_PLACE)
    agenda = _text(data.agenda, "agenda", _("Isi agenda rapat."))
    return unit, period, data.held_on, data.starts_at, place, agenda


def unit_employee_ids(unit_id: int) -> list[int]:
    """Active employees of the unit and of the units under it."""
    units = unit_and_descendants({unit_id})
    return list(db.session.scalars(
        select(Employee.id).join(Position, Employee.position_id == Position.id)
        .where(Position.unit_id.in_(units), Employee.active).order_by(Employee.name, Employee.id)))


def _participant_ids(meeting: EvaluationMeeting) -> list[int]:
    return [p.employee_id for p in meeting.participants]


def _when(meeting: EvaluationMeeting) -> str:
    return f"{format_date(meeting.held_on, 'dd-MM-yyyy')} {meeting.starts_at.strftime('%H:%M')}"


def schedule(user: User, data: MeetingData) -> EvaluationMeeting:
    """A new meeting; every active employee of the unit (and the units under it) is invited."""
    unit, period, held_on, starts_at, place, agenda = _checked(user, data)
    meeting = EvaluationMeeting(unit=unit, period=period, held_on=held_on, starts_at=starts_at, place=place,
                                agenda=agenda, status=MeetingStatus.SCHEDULED, created_by_id=user.id,
                                created_at=utc_now())
    db.session.add(meeting)
    for employee_id in unit_employee_ids(unit.id):
        meeting.participants.append(MeetingParticipant(employee_id=employee_id))
    db.session.flush()
    audit.record("meeting.schedule", meeting, None, employee_id=None)
    notify("meeting.scheduled",
           lambda: _("Anda diundang ke rapat evaluasi kinerja %(unit)s pada %(when)s di %(place)s.",
                     unit=unit.name, when=_when(meeting), place=place),
           employees=_participant_ids(meeting), about=("meeting", meeting.id), exclude_user_id=user.id)
    return meeting


def _require_scheduled(meeting: EvaluationMeeting) -> None:
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise Conflict(_("Rapat ini sudah dilaksanakan atau dibatalkan."))


def update(user: User, meeting: EvaluationMeeting, data: MeetingData) -> EvaluationMeeting:
    """Change the time, place or agenda of a scheduled meeting (its unit stays)."""
    _require_organiser(user, meeting)
    _require_scheduled(meeting)
    unit, period, held_on, starts_at, place, agenda = _checked(user, MeetingData(
        meeting.unit_id, data.period_id, data.held_on, data.starts_at, data.place, data.agenda))
    before = audit.snapshot(meeting)
    moved = (held_on, starts_at, place) != (meeting.held_on, meeting.starts_at, meeting.place)
    meeting.period, meeting.held_on, meeting.starts_at = period, held_on, starts_at
    meeting.place, meeting.agenda = place, agenda
    db.session.flush()
    audit.record("meeting.update", meeting, before, employee_id=None)
    if moved:
        notify("meeting.changed",
               lambda: _("Rapat evaluasi kinerja %(unit)s diubah: %(when)s di %(place)s.",
                         unit=unit.name, when=_when(meeting), place=place),
               employees=_participant_ids(meeting), about=("meeting", meeting.id), exclude_user_id=user.id)
    return meeting


def add_participant(user: User, meeting: EvaluationMeeting, employee_id: int | None) -> MeetingParticipant:
    _require_organiser(user, meeting)
    if meeting.status is MeetingStatus.CANCELLED:
        raise Conflict(_("Rapat ini sudah dibatalkan."))
    employee = db.session.get(Employee, employee_id) if employee_id is not None else None
    if employee is None or not employee.active:
        raise Invalid(_("Pilih pegawai yang aktif."), "employee_id")
    if employee.id in _participant_ids(meeting):
        raise Invalid(_("Pegawai ini sudah menjadi peserta."), "employee_id")
    participant = MeetingParticipant(employee_id=employee.id)
    meeting.participants.append(participant)
    db.session.flush()
    audit.record("meeting.participant_add", participant, None)
    if meeting.status is MeetingStatus.SCHEDULED:
        notify("meeting.scheduled",
               lambda: _("Anda diundang ke rapat evaluasi kinerja %(unit)s pada %(when)s di %(place)s.",
                         unit=meeting.unit.name, when=_when(meeting), place=meeting.place),
               employees=[employee.id], about=("meeting", meeting.id), exclude_user_id=user.id)
    return participant


def _participant(meeting: EvaluationMeeting, participant_id: int | None) -> MeetingParticipant:
    found = next((p for p in meeting.participants if p.id == participant_id), None)
    if found is None:
        raise NotFound(_("Peserta ini tidak terdaftar pada rapat tersebut."))
    return found


def remove_participant(user: User, meeting: EvaluationMeeting, participant_id: int | None) -> None:
    _require_organiser(user, meeting)
    _require_scheduled(meeting)
    participant = _participant(meeting, participant_id)
    audit.record("meeting.participant_remove", participant, audit.snapshot(participant), after=None)
    meeting.participants.remove(participant)
    db.session.flush()


def record_attendance(user: User, meeting: EvaluationMeeting,
                      attendance: Mapping[int, Attendance | None], today: date | None = None) -> int:
    """Attendance per participant id (None: not recorded); returns how many changed."""
    _require_organiser(user, meeting)
    if meeting.status is MeetingStatus.CANCELLED:
        raise Conflict(_("Rapat ini sudah dibatalkan."))
    if meeting.held_on > (today or tenant_today()):
        raise Invalid(_("Kehadiran dicatat pada atau setelah tanggal rapat."))
    known = {p.id: p for p in meeting.participants}
    unknown = set(attendance) - set(known)
    if unknown:
        raise NotFound(_("Peserta ini tidak terdaftar pada rapat tersebut."))
    changed = 0
    for participant_id, value in attendance.items():
        participant = known[participant_id]
        if participant.attendance != value:
            before = audit.snapshot(participant)
            participant.attendance = value
            db.session.flush()
            audit.record("meeting.attendance", participant, before)
            changed += 1
    return changed


def save_minutes(user: User, meeting: EvaluationMeeting, minutes: str | None) -> EvaluationMeeting:
    _require_organiser(user, meeting)
    if meeting.status is MeetingStatus.CANCELLED:
        raise Conflict(_("Rapat ini sudah dibatalkan."))
    text = _text(minutes, "minutes", _("Tuliskan notulen rapat."))
    before = audit.snapshot(meeting)
    meeting.minutes = text
    db.session.flush()
    audit.record("meeting.minutes", meeting, before, employee_id=None)
    return meeting


def mark_held(user: User, meeting: EvaluationMeeting, today: date | None = None) -> EvaluationMeeting:
    """Scheduled → held: on or after its date, with minutes and everyone's attendance."""
    _require_organiser(user, meeting)
    _require_scheduled(meeting)
    if meeting.held_on > (today or tenant_today()):
        raise Invalid(_("Rapat belum dapat dinyatakan terlaksana sebelum tanggalnya (%(day)s).",
                        day=format_date(meeting.held_on, "dd-MM-yyyy")))
    if not (meeting.minutes or "").strip():
        raise Invalid(_("Tuliskan notulen rapat sebelum menyatakan rapat terlaksana."))
    missing = [p for p in meeting.participants if p.attendance is None]
    if missing:
        raise Invalid(_("Kehadiran %(n)d peserta belum dicatat.", n=len(missing)))
    if not any(p.attendance is Attendance.PRESENT for p in meeting.participants):
        raise Invalid(_("Rapat terlaksana memerlukan sedikitnya satu peserta yang hadir."))
    before = audit.snapshot(meeting)
    # Held once: a second organiser (or a double click) meanwhile finds it done.
    claimed = db.session.execute(sql_update(EvaluationMeeting).where(
        EvaluationMeeting.id == meeting.id, EvaluationMeeting.status == MeetingStatus.SCHEDULED,
    ).values(status=MeetingStatus.HELD).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise Conflict(_("Rapat ini sudah dinyatakan terlaksana atau dibatalkan."))
    meeting.status = MeetingStatus.HELD
    db.session.flush()
    audit.record("meeting.held", meeting, before, employee_id=None)
    notify("meeting.held",
           lambda: _("Notulen rapat evaluasi kinerja %(unit)s tanggal %(day)s sudah tersedia.",
                     unit=meeting.unit.name, day=format_date(meeting.held_on, "dd-MM-yyyy")),
           employees=_participant_ids(meeting), about=("meeting", meeting.id), exclude_user_id=user.id)
    return meeting


def cancel(user: User, meeting: EvaluationMeeting, reason: str | None) -> EvaluationMeeting:
    _require_organiser(user, meeting)
    _require_scheduled(meeting)
    text = _text(reason, "reason", _("Tuliskan alasan pembatalan."))
    before = audit.snapshot(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = text
    db.session.flush()
    audit.record("meeting.cancel", meeting, before, reason=text, employee_id=None)
    notify("meeting.cancelled",
           lambda: _("Rapat evaluasi kinerja %(unit)s pada %(when)s dibatalkan.",
                     unit=meeting.unit.name, when=_when(meeting)),
           employees=_participant_ids(meeting), about=("meeting", meeting.id), exclude_user_id=user.id)
    return meeting


# --- follow-up actions ------------------------------------------------------------------

def add_action(user: User, meeting: EvaluationMeeting, description: str | None, owner_id: int | None,
               due_on: date | None) -> MeetingAction:
    """A decision of a held meeting, owned by an active employee, due on or after the meeting."""
    _require_organiser(user, meeting)
    if meeting.status is not MeetingStatus.HELD:
        raise Conflict(_("Tindak lanjut dicatat setelah rapat dinyatakan terlaksana."))
    text = _text(description, "description", _("Tuliskan keputusan / tindak lanjut."))
    owner = db.session.get(Employee, owner_id) if owner_id is not None else None
    if owner is None or not owner.active:
        raise Invalid(_("Pilih penanggung jawab (pegawai aktif)."), "owner_id")
    if due_on is None:
        raise Invalid(_("Isi batas waktu (YYYY-MM-DD)."), "due_on")
    if due_on < meeting.held_on:
        raise Invalid(_("Batas waktu tidak boleh sebelum tanggal rapat."), "due_on")
    action = MeetingAction(description=text, owner_id=owner.id, due_on=due_on, status=ActionStatus.OPEN,
                           created_at=utc_now())
    meeting.actions.append(action)
    db.session.flush()
    audit.record("meeting_action.create", action, None, employee_id=owner.id)
    notify("meeting.action",
           lambda: _("Tindak lanjut rapat evaluasi kinerja untuk Anda, batas %(day)s: %(text)s",
                     day=format_date(due_on, "dd-MM-yyyy"), text=text[:200]),
           employees=[owner.id], about=("meeting-action", action.id), exclude_user_id=user.id)
    return action


def close_action(user: User, action: MeetingAction, note: str | None) -> MeetingAction:
    if not can_close(user, action):
        raise Forbidden(_("Tindak lanjut ditutup oleh penanggung jawabnya."))
    if action.status is ActionStatus.CLOSED:
        raise Conflict(_("Tindak lanjut ini sudah ditutup."))
    text = _text(note, "note", _("Tuliskan catatan penyelesaian."))
    before = audit.snapshot(action)
    action.status = ActionStatus.CLOSED
    action.closing_note = text
    action.closed_at = utc_now()
    action.closed_by_id = user.id
    db.session.flush()
    audit.record("meeting_action.close", action, before, employee_id=action.owner_id)
    notify("meeting.action_closed",
           lambda: _("Tindak lanjut rapat evaluasi kinerja ditutup: %(text)s", text=action.description[:200]),
           users=[action.meeting.created_by_id], about=("meeting-action", action.id), exclude_user_id=user.id)
    return action


# --- reading ----------------------------------------------------------------------------

def visible_query(user: User):
    """Meetings the user may open, newest first: the admin's all; else those of units
    they head (and below), those they are invited to and those they own an action of."""
    query = (select(EvaluationMeeting)
             .options(joinedload(EvaluationMeeting.unit), joinedload(EvaluationMeeting.period))
             .order_by(EvaluationMeeting.held_on.desc(), EvaluationMeeting.id.desc()))
    units = organised_units(user)
    if units is None:
        return query
    conditions = [EvaluationMeeting.unit_id.in_(units)] if units else []
    if user.employee_id is not None:
        conditions.append(EvaluationMeeting.id.in_(select(MeetingParticipant.meeting_id).where(
            MeetingParticipant.employee_id == user.employee_id)))
        conditions.append(EvaluationMeeting.id.in_(select(MeetingAction.meeting_id).where(
            MeetingAction.owner_id == user.employee_id)))
    if not conditions:
        return query.where(EvaluationMeeting.id.is_(None))
    return query.where(or_(*conditions))


def participants_of(meeting: EvaluationMeeting) -> list[MeetingParticipant]:
    return list(db.session.scalars(
        select(MeetingParticipant).join(Employee, MeetingParticipant.employee_id == Employee.id)
        .options(joinedload(MeetingParticipant.employee).joinedload(Employee.position))
        .where(MeetingParticipant.meeting_id == meeting.id).order_by(Employee.name, MeetingParticipant.id)))


def actions_of(meeting: EvaluationMeeting) -> list[MeetingAction]:
    return list(db.session.scalars(
        select(MeetingAction).options(joinedload(MeetingAction.owner))
        .where(MeetingAction.meeting_id == meeting.id).order_by(MeetingAction.due_on, MeetingAction.id)))


def open_actions_for(employee_id: int) -> list[MeetingAction]:
    """The employee's open follow-up actions, soonest due first (one query)."""
    return list(db.session.scalars(
        select(MeetingAction)
        .options(joinedload(MeetingAction.meeting).joinedload(EvaluationMeeting.unit),
                 joinedload(MeetingAction.meeting).joinedload(EvaluationMeeting.period))
        .where(MeetingAction.owner_id == employee_id, MeetingAction.status == ActionStatus.OPEN)
        .order_by(MeetingAction.due_on, MeetingAction.id)))


def action_link_values(action_id: int) -> dict[str, int] | None:
    """The URL values of the meeting page an action is on (for notifications about it)."""
    meeting_id = db.session.scalar(select(MeetingAction.meeting_id).where(MeetingAction.id == action_id))
    return {"meeting_id": meeting_id} if meeting_id is not None else None
