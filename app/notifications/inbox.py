"""Reading the inbox: counts, pages, marking read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select, update

from app.extensions import db
from app.notifications.models import Notification
from app.tenancy import utc_now


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def inbox_query(user_id: int) -> Select:
    return (select(Notification).where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def mark_read(note: Notification, now: datetime | None = None) -> None:
    if note.read_at is None:
        note.read_at = now or utc_now()


def mark_all_read(user_id: int, now: datetime | None = None) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now or utc_now())
        .execution_options(synchronize_session=False))
    return result.rowcount or 0
