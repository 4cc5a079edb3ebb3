"""An evaluation meeting with one follow-up action, built directly from the
models, for the tests that sweep every route (isolation, fuzz)."""

from __future__ import annotations

from datetime import date, time

from app.extensions import db


def add_meeting(org, period_id: int) -> tuple[int, int]:
    """A held meeting of the org's unit for the period, the pegawai invited and
    owning an open follow-up action. Returns (meeting id, action id)."""
    from app.meetings.models import (
        ActionStatus,
        Attendance,
        EvaluationMeeting,
        MeetingAction,
        MeetingParticipant,
        MeetingStatus,
    )
    from app.tenancy import tenant_scope

    with tenant_scope(org.tenant):
        meeting = EvaluationMeeting(unit_id=org.unit_id, period_id=period_id, held_on=date(2026, 7, 2),
                                    starts_at=time(9, 0), place="Aula", agenda="Evaluasi kinerja",
                                    minutes="Notulen", status=MeetingStatus.HELD)
        meeting.participants.append(MeetingParticipant(employee_id=org.pegawai_id, attendance=Attendance.PRESENT))
        action = MeetingAction(description="Lengkapi bukti dukung", owner_id=org.pegawai_id,
                               due_on=date(2026, 8, 1), status=ActionStatus.OPEN)
        meeting.actions.append(action)
        db.session.add(meeting)
        db.session.commit()
        return meeting.id, action.id
