"""The evaluation-meeting part of an employee's work list on the home page:
their open follow-up actions and the scheduled meetings they are invited to.
Two queries, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.meetings.models import EvaluationMeeting, MeetingAction, MeetingParticipant, MeetingStatus
from app.meetings.services import open_actions_for

UPCOMING_LIMIT = 10


@dataclass
class MeetingWork:
    actions: list[MeetingAction] = field(default_factory=list)
    upcoming: list[EvaluationMeeting] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.actions or self.upcoming)


def meeting_work(employee_id: int, today: date) -> MeetingWork:
    upcoming = list(db.session.scalars(
        select(EvaluationMeeting)
        .join(MeetingParticipant, MeetingParticipant.meeting_id == EvaluationMeeting.id)
        .options(joinedload(EvaluationMeeting.unit), joinedload(EvaluationMeeting.period))
        .where(MeetingParticipant.employee_id == employee_id, EvaluationMeeting.status == MeetingStatus.SCHEDULED,
               EvaluationMeeting.held_on >= today)
        .order_by(EvaluationMeeting.held_on, EvaluationMeeting.starts_at).limit(UPCOMING_LIMIT)))
    return MeetingWork(open_actions_for(employee_id), upcoming)
