"""An inbox entry: what happened, for whom, and what it is about (kind + id)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.notifications.links import link_for
from app.tenancy import TenantScoped, utc_now


class Notification(TenantScoped, db.Model):
    """An in-app inbox entry: a task or an event for one user.

    It stores what it is about (``about_kind`` + ``about_id``, e.g. ``plan``
    12), not a URL: the link is built when the inbox is shown
    (``app.notifications.links``), so a renamed route never leaves dead links.
    """

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_tenant_user_read", "tenant_id", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(500))
    about_kind: Mapped[str | None] = mapped_column(String(40))
    about_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    read_at: Mapped[datetime | None]

    @property
    def link(self) -> str | None:
        """The page this entry is about, inside this application (needs a request)."""
        return link_for(self.about_kind, self.about_id)
