"""Dialog kinerja (messages on a plan) and recorded feedback sessions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.tenancy import TenantScoped, utc_now


class FeedbackMessage(TenantScoped, db.Model):
    """Dialog kinerja: a message in the thread on a plan, or on one RHK/IKI of it."""

    __tablename__ = "skp_feedback_message"
    __table_args__ = (Index("ix_skp_feedback_message_tenant_plan", "tenant_id", "plan_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("skp_plan.id", ondelete="CASCADE"))
    result_id: Mapped[int | None] = mapped_column(ForeignKey("skp_result.id", ondelete="CASCADE"))
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("skp_indicator.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class FeedbackSession(TenantScoped, db.Model):
    """A recorded performance conversation: date, notes, agreed actions."""

    __tablename__ = "skp_feedback_session"
    __table_args__ = (Index("ix_skp_feedback_session_tenant_plan", "tenant_id", "plan_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("skp_plan.id", ondelete="CASCADE"))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id"))
    held_on: Mapped[date]
    face_to_face: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(Text)
    agreed_actions: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
