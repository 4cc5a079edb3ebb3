"""Retention of citizens' contact details on closed complaints.

A complaint's contact (phone or e-mail, optional) is needed while it is being
handled. Once the complaint has been closed (``selesai``) for longer than the
tenant's ``contact_retention_days`` (a public-pages setting, default 365), the
contact is blanked; the complaint itself, its history and its statistics stay.
``flask publik apply-retention`` runs it for every active tenant (a daily cron
job, see docs/operations.md) and appends one audit entry per tenant and run
with the number of contacts blanked — never the contacts themselves.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from app import audit
from app.extensions import db
from app.publik.models import Complaint, ComplaintStatus, PublikSettings
from app.tenancy import tenant_scope
from app.tenancy.current import utc_now
from app.tenancy.models import Tenant

DEFAULT_RETENTION_DAYS = 365


def retention_days() -> int:
    """The current tenant's retention period, in days."""
    days = db.session.scalar(select(PublikSettings.contact_retention_days))
    return days if days is not None else DEFAULT_RETENTION_DAYS


def apply_retention(tenant: Tenant) -> int:
    """Blank the contacts of ``tenant``'s complaints closed longer ago than its
    retention period; audit the run; commit. Returns how many were blanked."""
    with tenant_scope(tenant):
        days = retention_days()
        cutoff = utc_now() - timedelta(days=days)
        expired = (Complaint.status == ComplaintStatus.SELESAI, Complaint.closed_at < cutoff,
                   Complaint.contact.is_not(None))
        count = db.session.scalar(select(func.count()).select_from(Complaint).where(*expired)) or 0
        if count:
            # Version bumped: a form opened before the run cannot write the contact back.
            db.session.execute(update(Complaint).where(*expired)
                               .values(contact=None, version=Complaint.version + 1)
                               .execution_options(synchronize_session=False))
        audit.record("tenant.contact_retention", db.session.get(Tenant, tenant.id), before=None,
                     after={"retention_days": days, "cleared_contacts": count})
        db.session.commit()
    return count
