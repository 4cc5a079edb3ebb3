"""When each periodic task last ran (one row per task, for the whole installation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class ScheduledTask(db.Model):
    """A periodic task of ``flask jobs tick``: claimed by moving ``last_run_at``,
    so two ticks at once (cron and a worker, two servers) run it once."""

    __tablename__ = "scheduled_task"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    last_run_at: Mapped[datetime | None]
    last_outcome: Mapped[str] = mapped_column(String(200), default="", server_default="")
