"""An evaluation meeting of a unit for a period, its participants and its follow-up actions."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.org.models import Employee, Unit
from app.periods.models import Period
from app.tenancy import TenantScoped, utc_now


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # dijadwalkan
    HELD = "held"  # dilaksanakan
    CANCELLED = "cancelled"  # dibatalkan


class Attendance(enum.StrEnum):
    PRESENT = "present"  # hadir
    ABSENT = "absent"  # tidak hadir
    EXCUSED = "excused"  # izin


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class EvaluationMeeting(TenantScoped, db.Model):
    """Rapat evaluasi kinerja of a unit (and the units under it) for a period."""

    __tablename__ = "evaluation_meeting"
    __audit_type__ = "meeting"
    __table_args__ = (
        Index("ix_evaluation_meeting_tenant_unit_period", "tenant_id", "unit_id", "period_id"),
        Index("ix_evaluation_meeting_tenant_held_on", "tenant_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))
    held_on: Mapped[date]
    starts_at: Mapped[time]  # the tenant's wall-clock time
    place: Mapped[str] = mapped_column(String(200))
    agenda: Mapped[str] = mapped_column(Text)
    minutes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[MeetingStatus] = mapped_column(str_enum(MeetingStatus, 10), default=MeetingStatus.SCHEDULED)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
    participants: Mapped[list[MeetingParticipant]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingParticipant.id")
    actions: Mapped[list[MeetingAction]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAction.id")

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.period.label}"


class MeetingParticipant(TenantScoped, db.Model):
    """An employee invited to the meeting; ``attendance`` is None until recorded."""

    __tablename__ = "evaluation_meeting_participant"
    __audit_type__ = "meeting_participant"
    __table_args__ = (
        UniqueConstraint("tenant_id", "meeting_id", "employee_id",
                         name="uq_evaluation_meeting_participant_tenant_meeting_employee"),
        Index("ix_evaluation_meeting_participant_tenant_employee", "tenant_id", "employee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("evaluation_meeting.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    attendance: Mapped[Attendance | None] = mapped_column(str_enum(Attendance, 10))

    meeting: Mapped[EvaluationMeeting] = relationship(back_populates="participants")
    employee: Mapped[Employee] = relationship()


class MeetingAction(TenantScoped, db.Model):
    """A decision of the meeting: a follow-up action with an owner and a due date."""

    __tablename__ = "evaluation_meeting_action"
    __audit_type__ = "meeting_action"
    __table_args__ = (
        Index("ix_evaluation_meeting_action_tenant_owner_status", "tenant_id", "owner_id", "status"),
        Index("ix_evaluation_meeting_action_tenant_meeting", "tenant_id", "meeting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("evaluation_meeting.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    due_on: Mapped[date]
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus, 10), default=ActionStatus.OPEN)
    closing_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    meeting: Mapped[EvaluationMeeting] = relationship(back_populates="actions")
    owner: Mapped[Employee] = relationship()
