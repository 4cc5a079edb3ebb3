"""Who may do what with evaluation meetings.

* The admin instansi organises (schedules, records, cancels) meetings of any unit.
* A kepala unit — who carries a unit's top structural position, as holder or
  as Plt/Plh (``app.org.hierarchy.positions_led_by``) — organises meetings of
  that unit and of the units under it.
* Participants and follow-up owners read the meeting; a follow-up owner (or
  an organiser) closes the action with a note.
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.meetings.models import EvaluationMeeting, MeetingAction, MeetingParticipant
from app.meetings.units import is_head_position
from app.org.hierarchy import positions_led_by, unit_and_ancestors, unit_and_descendants
from app.org.models import Position


def headed_units(user: User) -> set[int]:
    """Units whose head the user's employee is (holder or acting)."""
    employee = user.employee if user.is_authenticated else None
    if employee is None or not employee.active:
        return set()
    led = positions_led_by(employee)
    if not led:
        return set()
    positions = db.session.scalars(select(Position).where(Position.id.in_(led))).all()
    return {p.unit_id for p in positions if is_head_position(p)}


def organised_units(user: User) -> set[int] | None:
    """Units the user may hold meetings for; None: every unit (the admin)."""
    if user.is_admin:
        return None
    headed = headed_units(user)
    return unit_and_descendants(headed) if headed else set()


def can_schedule(user: User) -> bool:
    return user.is_admin or bool(headed_units(user))


def can_organise(user: User, meeting: EvaluationMeeting) -> bool:
    if user.is_admin:
        return True
    headed = headed_units(user)
    return bool(headed) and bool(headed & set(unit_and_ancestors(meeting.unit)))


def is_participant(user: User, meeting: EvaluationMeeting) -> bool:
    if user.employee_id is None:
        return False
    return db.session.scalar(select(MeetingParticipant.id).where(
        MeetingParticipant.meeting_id == meeting.id, MeetingParticipant.employee_id == user.employee_id)) is not None


def owns_an_action(user: User, meeting: EvaluationMeeting) -> bool:
    if user.employee_id is None:
        return False
    return db.session.scalar(select(MeetingAction.id).where(
        MeetingAction.meeting_id == meeting.id, MeetingAction.owner_id == user.employee_id).limit(1)) is not None


def can_view(user: User, meeting: EvaluationMeeting) -> bool:
    return can_organise(user, meeting) or is_participant(user, meeting) or owns_an_action(user, meeting)


def can_close(user: User, action: MeetingAction) -> bool:
    own = user.employee_id is not None and user.employee_id == action.owner_id
    return own or can_organise(user, action.meeting)
