"""What reminder went to whom, so that each is sent at most once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.tenancy import TenantScoped, utc_now


class ReminderSent(TenantScoped, db.Model):
    """One reminder of ``kind`` about object ``subject_id`` (a period, an
    evaluation, a complaint), for the deadline ``due_on``, sent to one account."""

    __tablename__ = "reminder_sent"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "subject_id", "user_id", "due_on", name="uq_reminder_sent_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    due_on: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(default=utc_now)
