"""The training catalogue and recommendations following evaluations."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.org.models import Employee
from app.tenancy import TenantScoped, utc_now


class TrainingCourse(TenantScoped, db.Model):
    """The admin's training catalogue."""

    __tablename__ = "training_course"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[float] = mapped_column(default=0)  # JP (jam pelajaran)
    # Which rule-set training recommendation codes this course answers.
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)


class TrainingStatus(enum.StrEnum):
    RECOMMENDED = "recommended"
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    DECLINED = "declined"


class TrainingRecord(TenantScoped, db.Model):
    """A recommendation for an employee and how far it got."""

    __tablename__ = "training_record"
    __table_args__ = (Index("ix_training_record_tenant_employee", "tenant_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("skp_evaluation.id", ondelete="SET NULL"))
    recommendation_code: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("training_course.id"))
    status: Mapped[TrainingStatus] = mapped_column(str_enum(TrainingStatus, 12), default=TrainingStatus.RECOMMENDED)
    year: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)

    employee: Mapped[Employee] = relationship()
    course: Mapped[TrainingCourse | None] = relationship()
