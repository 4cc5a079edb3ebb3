"""A consultation on a proposal, and each employee's one answer to it."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.tenancy import TenantScoped, utc_now


class Subject(enum.Enum):
    INDICATOR_SET = "indicator_set"  # proposal: {"codes": [...]}, the unit's (or every unit's) new set
    SETTINGS = "settings"  # proposal: {"overrides": {...}}, the tenant's settings overrides


class Decision(enum.Enum):
    ADOPTED = "adopted"
    AMENDED = "amended"  # adopted after the admin changed the proposal
    DROPPED = "dropped"


class Consultation(TenantScoped, db.Model):
    """A proposal open for answers from ``opens_on`` to ``closes_on`` (tenant's
    days, both included) to the active employees of ``unit_id`` and its
    sub-units, or of the whole tenant when ``unit_id`` is None."""

    __tablename__ = "consultation"
    __table_args__ = (Index("ix_consultation_tenant_period", "tenant_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[Subject] = mapped_column(str_enum(Subject, 20))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    proposal: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    decision: Mapped[Decision | None] = mapped_column(str_enum(Decision, 10))
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    # Frozen at the decision: concerned, answered, agree, disagree, comments, changes (no names).
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    published_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    period = relationship("Period")
    unit = relationship("Unit")


class Answer(TenantScoped, db.Model):
    """One employee's setuju / tidak setuju with an optional comment, changeable
    while the window is open; the admin's response to the comment after it closes."""

    __tablename__ = "consultation_answer"
    __table_args__ = (
        # One answer each; tenant_id leads, as in every key (it also serves the tallies' lookups).
        UniqueConstraint("tenant_id", "consultation_id", "employee_id",
                         name="uq_consultation_answer_tenant_consultation_employee"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    agrees: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(default=utc_now)
    response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None]

    consultation = relationship(Consultation)
    employee = relationship("Employee")
