"""``tick``: run every periodic task that is due, each at most once per its interval.

The tasks, and how often each is due:

- ``webhooks.retry_due`` (every minute): submit webhook deliveries whose next
  attempt is due (``app.webhooks.delivery.retry_due``);
- ``siasn.retry_due`` (every 5 minutes): send again, in every tenant, the
  SIASN sends that failed on SIASN's side once their backoff is over
  (``app.siasn.sender.requeue_due``) — new results are only ever sent when
  an admin asks;
- ``publik.contact_retention`` (daily): blank citizens' contacts on
  complaints closed longer ago than each tenant's retention period
  (``app.portability.retention``, audited per tenant);
- ``reminders.send`` (hourly): deadlines and waiting work, each reminded once
  to each person (``app.reminders.send_all``; hourly so each tenant's new
  day, in its own time zone, is reached soon after it starts).

A tick may come from cron (``flask jobs tick`` every 5 minutes) and from the
queue (``app.scheduling.queue``) at once, or from two servers: a task is
claimed by moving its ``last_run_at`` in one conditional UPDATE, so it runs
once. A task that fails is logged and the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from app import jobs
from app.extensions import db
from app.portability.retention import apply_retention
from app.reminders import send_all as send_reminders
from app.scheduling.models import ScheduledTask
from app.siasn import sender
from app.tenancy import all_tenants, tenant_scope, utc_now
from app.tenancy.models import Tenant
from app.webhooks.delivery import retry_due as webhook_retry_due

log = logging.getLogger(__name__)

GRACE = timedelta(seconds=60)  # a tick a little early (cron jitter) still counts (at most a fifth of the interval)


@dataclass(frozen=True)
class Task:
    name: str
    every: timedelta
    run: Callable[[], str]  # what it did, in a few words


def _active_tenants() -> list[Tenant]:
    with all_tenants("periodic tasks run for every active tenant"):
        tenants = list(db.session.scalars(select(Tenant).where(Tenant.active).order_by(Tenant.id)))
        db.session.expunge_all()
    return tenants


def _webhooks() -> str:
    return f"{webhook_retry_due()} deliveries submitted"


def _siasn() -> str:
    total = 0
    for tenant in _active_tenants():
        with jobs.link_context(), tenant_scope(tenant):
            total += sender.requeue_due()
            db.session.commit()  # the send jobs start after this commit
    return f"{total} SIASN sends queued again"


def _retention() -> str:
    return f"{sum(apply_retention(tenant) for tenant in _active_tenants())} contacts blanked"


def _reminders() -> str:
    return f"{sum(outcome.sent for outcome in send_reminders())} reminders sent"


TASKS: tuple[Task, ...] = (
    Task("webhooks.retry_due", timedelta(minutes=1), _webhooks),
    Task("siasn.retry_due", timedelta(minutes=5), _siasn),
    Task("publik.contact_retention", timedelta(days=1), _retention),
    Task("reminders.send", timedelta(hours=1), _reminders),
)


def _claim(task: Task, now: datetime) -> bool:
    """Mark ``task`` as running now if it is due; False if it is not (or another tick has it)."""
    if db.session.get(ScheduledTask, task.name) is None:
        db.session.add(ScheduledTask(name=task.name, last_run_at=now, last_outcome=""))
        try:
            db.session.commit()
        except IntegrityError:  # another tick created it first: it runs there
            db.session.rollback()
            return False
        return True
    due_before = now - (task.every - min(GRACE, task.every / 5))
    claimed = db.session.execute(
        update(ScheduledTask).where(ScheduledTask.name == task.name,
                                    or_(ScheduledTask.last_run_at.is_(None), ScheduledTask.last_run_at <= due_before))
        .values(last_run_at=now).execution_options(synchronize_session=False))
    db.session.commit()
    return claimed.rowcount == 1


def _record(task: Task, outcome: str) -> None:
    db.session.execute(update(ScheduledTask).where(ScheduledTask.name == task.name)
                       .values(last_outcome=outcome[:200]).execution_options(synchronize_session=False))
    db.session.commit()


def tick(now: datetime | None = None, tasks: tuple[Task, ...] = TASKS) -> list[tuple[str, str]]:
    """Run every due task; (name, outcome) of each one that ran."""
    now = now or utc_now()
    ran = []
    for task in tasks:
        if not _claim(task, now):
            continue
        try:
            outcome = task.run()
        except Exception as exc:
            log.exception("Periodic task %s failed", task.name)
            db.session.rollback()
            outcome = f"failed: {type(exc).__name__}"
        _record(task, outcome)
        ran.append((task.name, outcome))
    return ran


def last_runs() -> list[ScheduledTask]:
    return list(db.session.scalars(select(ScheduledTask).order_by(ScheduledTask.name)))
