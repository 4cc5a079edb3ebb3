"""Sending due reminders, each to each person once.

The ``reminder_sent`` rows and the notifications are written in one
transaction per tenant: a run that fails sends nothing and leaves nothing
marked, and two runs at once cannot both send (the second's commit meets the
unique key and is rolled back, notifications and all).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import jobs
from app.extensions import db
from app.notifications import notify
from app.reminders.due import KINDS, Due, due_reminders
from app.reminders.models import ReminderSent
from app.tenancy import all_tenants, tenant_scope, tenant_today
from app.tenancy.models import Tenant

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    slug: str
    due: int  # reminders due today
    sent: int  # of which sent now (the rest went out before)


def send_due(today: date | None = None) -> int:
    """Send the current tenant's due reminders not sent before; returns how many
    were sent. Commits."""
    return _send(due_reminders(today or tenant_today()))


def _send(due: list[Due]) -> int:
    if not due:
        return 0
    try:
        sent_before = set(db.session.execute(
            select(ReminderSent.kind, ReminderSent.subject_id, ReminderSent.user_id, ReminderSent.due_on)
            .where(ReminderSent.kind.in_(KINDS), ReminderSent.due_on.in_(sorted({d.due_on for d in due})))
        ).all())
        fresh: dict[tuple, list[Due]] = {}
        for item in due:
            key = (item.kind, item.subject_id, item.user_id, item.due_on)
            if key in sent_before:
                continue
            sent_before.add(key)
            db.session.add(ReminderSent(kind=item.kind, subject_id=item.subject_id, user_id=item.user_id,
                                        due_on=item.due_on))
            fresh.setdefault((item.kind, item.subject_id, item.due_on, item.about), []).append(item)
        for (kind, _subject, _due_on, about), items in fresh.items():
            # Reminders that share a subject and a page go out together (two queries for all).
            notify(kind, items[0].message, users=[i.user_id for i in items], about=about)
        db.session.commit()
    except IntegrityError:  # another run sent them first
        db.session.rollback()
        log.warning("Reminders: another run sent the same reminders first; this run sent none")
        return 0
    return sum(len(items) for items in fresh.values())


def send_all(slug: str | None = None) -> list[Outcome]:
    """Send due reminders in every active tenant (or the one named ``slug``).
    What ``flask reminders send`` runs, and what a scheduler can call."""
    with all_tenants("finding the tenants to send reminders in"):
        query = select(Tenant).where(Tenant.active).order_by(Tenant.slug)
        if slug is not None:
            query = query.where(Tenant.slug == slug)
        rows = db.session.scalars(query).all()
    outcomes = []
    for row in rows:
        slug_of_row = row.slug
        with jobs.link_context(), tenant_scope(row):
            due = due_reminders(tenant_today())
            outcomes.append(Outcome(slug_of_row, len(due), _send(due)))
    return outcomes
