"""Locking a year's plans: the region's rule decides first, whoever locks.

``lock_plans`` (the admin's "lock now") and ``set_year_dates`` (a lock date
that is already here) ask the region's rule set for blockers
(``kinerja_plan_lock_blockers``) themselves and refuse with ``Invalid``
naming them, so the web screen, the CLI, the demo and the API all get the
same answer. Nothing here commits.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import providers
from app.auth.models import User
from app.errors import Invalid
from app.extensions import db
from app.periods import services as calendar
from app.periods.models import Period
from app.regions.inputs import CriteriaConsultation, PlanningInput
from app.settings.services import rules_for_period
from app.skp.planning.access import can_manage_periods
from app.skp.planning.guards import plans_locked, require
from app.skp.planning.models import Plan, PlanStatus
from app.skp.planning.sectors import active_sectors
from app.tenancy import tenant_today


def lock_blockers(period: Period, lock_on: date, consultation: CriteriaConsultation | None = None) -> list[str]:
    """What the region's rules say still stands in the way of locking the
    year's plans on ``lock_on`` (empty: it may lock). Without an explicit
    ``consultation``, the one recorded for the year (``app.consultation``,
    through ``app.providers``) is what the rules receive."""
    if consultation is None:
        consultation = providers.criteria_consultation(period)
    runtime = rules_for_period(period)  # the settings version in force for that year
    planning = PlanningInput(period_label=period.label, lock_on=lock_on,
                             sectors=active_sectors(runtime.rule_set), consultation=consultation)
    return list(runtime.plan_lock_blockers(planning))


def _refuse_if_blocked(period: Period, lock_on: date, consultation: CriteriaConsultation | None,
                       message: str, field: str | None = None) -> None:
    blockers = lock_blockers(period, lock_on, consultation)
    if blockers:
        raise Invalid(" ".join([message, *blockers]), field)


def lock_plans(user: User, period: Period, lock_on: date | None = None,
               consultation: CriteriaConsultation | None = None, note: str | None = None) -> date:
    """Lock the year's plans from ``lock_on`` (default: the tenant's today),
    after the region's rules allow it. ``note`` and the consultation go to
    the audit trail. Returns the lock date."""
    require(can_manage_periods(user), _("Hanya admin instansi yang dapat mengunci SKP."))
    on = lock_on or tenant_today()
    if consultation is None:
        consultation = providers.criteria_consultation(period)
    if plans_locked(period, on):
        raise Invalid(_("SKP tahun ini sudah terkunci sejak %(day)s.",
                        day=format_date(period.plans_lock_on, "dd-MM-yyyy")))
    _refuse_if_blocked(period, on, consultation, _("Aturan daerah belum mengizinkan SKP dikunci:"))
    held = ""
    if consultation is not None:
        held = _("konsultasi indikator %(start)s s.d. %(end)s, %(n)d masukan",
                 start=format_date(consultation.published_on, "dd-MM-yyyy"),
                 end=format_date(consultation.closes_on, "dd-MM-yyyy"),
                 n=consultation.comments_received)
    reason = "; ".join(part for part in ((note or "").strip(), held) if part) or None
    calendar.lock_plans(period, on, reason)
    return on


def set_year_dates(user: User, period: Period, plans_lock_on: date | None,
                   evaluation_due_on: date | None) -> None:
    """Set when the year's plans lock and its evaluations are due. A lock
    date that is already here locks the plans now: the region's rules decide
    first, as for ``lock_plans``."""
    require(can_manage_periods(user), _("Hanya admin instansi yang dapat mengubah periode."))
    if (plans_lock_on is not None and plans_lock_on <= tenant_today()
            and plans_lock_on != period.plans_lock_on):
        _refuse_if_blocked(period, plans_lock_on, None,
                           _("SKP belum dapat dikunci per tanggal ini:"), "plans_lock_on")
    calendar.set_dates(period, plans_lock_on, evaluation_due_on)


def plan_counts(period_ids: list[int]) -> dict[int, dict[str, int]]:
    """How many plans each year has, by status value."""
    counts: dict[int, dict[str, int]] = {pid: {} for pid in period_ids}
    if period_ids:
        rows = db.session.execute(
            select(Plan.period_id, Plan.status, func.count()).where(Plan.period_id.in_(period_ids))
            .group_by(Plan.period_id, Plan.status)).all()
        for period_id, status, n in rows:
            counts[period_id][PlanStatus(status).value] = n
    return counts
