"""Opening an assessment year: the YEAR period and its sub-periods.

How a year is divided comes from the tenant's rule set (``PeriodScheme``):
quarters, semesters, months, or nothing below the year. ``open_year`` is
idempotent, so onboarding, the demo seed and a future admin screen may all
call it; asking for a year that is already open with another division is a
``Invalid``, never a silent second set of periods. Broken rules raise
``app.errors.Invalid`` on the form field they concern.

Everything here runs for the current tenant (``tenant_scope`` or a tenant
request): the ORM scoping filters the queries and stamps the new rows.
Nothing here commits; the caller owns the transaction.
"""

from __future__ import annotations

import calendar
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit
from app.errors import Invalid
from app.extensions import db
from app.periods.models import Period, PeriodKind
from app.regions.types import PeriodScheme
from app.tenancy import TenantScopeError, current_tenant_id
from app.tenancy.current import per_request

MIN_YEAR = 2000
MAX_YEAR = 2100

# The kind of sub-period each scheme creates and how many months each spans.
_SUB_PERIODS: dict[PeriodScheme, tuple[PeriodKind, int] | None] = {
    PeriodScheme.QUARTERLY: (PeriodKind.QUARTER, 3),
    PeriodScheme.SEMESTER: (PeriodKind.SEMESTER, 6),
    PeriodScheme.MONTHLY: (PeriodKind.MONTH, 1),
    PeriodScheme.ANNUAL: None,
}
_SCHEME_OF_KIND = {kind_months[0]: scheme for scheme, kind_months in _SUB_PERIODS.items() if kind_months}

# How a scheme is named to the user.
SCHEME_LABELS = {
    PeriodScheme.QUARTERLY: _l("triwulanan"),
    PeriodScheme.SEMESTER: _l("semesteran"),
    PeriodScheme.MONTHLY: _l("bulanan"),
    PeriodScheme.ANNUAL: _l("tahunan"),
}


def sub_period_dates(year: int, scheme: PeriodScheme | str) -> list[tuple[PeriodKind, int, date, date]]:
    """The sub-periods a scheme divides ``year`` into: (kind, sequence, first day, last day)."""
    spec = _SUB_PERIODS[PeriodScheme(scheme)]
    if spec is None:
        return []
    kind, months = spec
    result = []
    for sequence, first_month in enumerate(range(1, 13, months), start=1):
        last_month = first_month + months - 1
        last_day = calendar.monthrange(year, last_month)[1]
        result.append((kind, sequence, date(year, first_month, 1), date(year, last_month, last_day)))
    return result


def year_period(year: int) -> Period | None:
    """The current tenant's YEAR period for ``year``, or None if not opened."""
    return db.session.scalar(
        select(Period).where(Period.year == year, Period.kind == PeriodKind.YEAR, Period.sequence == 1)
    )


def scheme_of(year: Period) -> PeriodScheme:
    """How an opened year is divided, read from its sub-periods."""
    kinds = {child.kind for child in year.children}
    if not kinds:
        return PeriodScheme.ANNUAL
    if len(kinds) > 1:
        raise Invalid(_l("Tahun %(year)d memiliki sub-periode dengan jenis campuran.", year=year.year))
    return _SCHEME_OF_KIND[kinds.pop()]


def periods_of_year(year: int) -> list[Period]:
    """The current tenant's periods of ``year``: the year first, then its
    sub-periods in calendar order. Empty when the year was never opened.
    Read once per request (a work list, its dashboard and the page's year all ask)."""
    return list(per_request(("periods_of_year", year), lambda: _periods_of_year(year)))


def _periods_of_year(year: int) -> list[Period]:
    periods = db.session.scalars(select(Period).where(Period.year == year)).all()
    return sorted(periods, key=lambda p: (p.kind is not PeriodKind.YEAR, p.starts_on, p.sequence))


def _check_dates(year: int, plans_lock_on: date | None, evaluation_due_on: date | None) -> None:
    if plans_lock_on is not None and plans_lock_on.year != year:
        raise Invalid(_l("Batas penyusunan SKP harus jatuh di tahun %(year)d.", year=year), "plans_lock_on")
    if evaluation_due_on is not None:
        if evaluation_due_on < date(year, 1, 1):
            raise Invalid(_l("Batas penilaian tidak boleh sebelum tahun %(year)d dimulai.", year=year),
                          "evaluation_due_on")
        if plans_lock_on is not None and evaluation_due_on < plans_lock_on:
            raise Invalid(_l("Batas penilaian tidak boleh sebelum batas penyusunan SKP."), "evaluation_due_on")


def open_year(year: int, scheme: PeriodScheme | str, plans_lock_on: date | None = None,
              evaluation_due_on: date | None = None) -> Period:
    """Open ``year`` for the current tenant: the YEAR period plus the
    sub-periods of ``scheme``, each linked to the year as its parent.

    Idempotent: if the year is already open with the same scheme it is
    returned as it is, except that dates passed here replace the stored ones.
    A different scheme raises ``Invalid``. The caller commits.
    """
    if current_tenant_id() is None:
        raise TenantScopeError("open_year needs a tenant: run it inside tenant_scope().")
    scheme = PeriodScheme(scheme)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(_l("Tahun harus antara %(low)d dan %(high)d.", low=MIN_YEAR, high=MAX_YEAR), "year")
    _check_dates(year, plans_lock_on, evaluation_due_on)

    existing = year_period(year)
    if existing is not None:
        current = scheme_of(existing)
        if current is not scheme:
            raise Invalid(_l(
                "Tahun %(year)d sudah dibuka dengan pembagian %(current)s; "
                "tidak dapat dibuka lagi dengan pembagian %(requested)s.",
                year=year, current=SCHEME_LABELS[current], requested=SCHEME_LABELS[scheme]))
        new_lock = plans_lock_on or existing.plans_lock_on
        new_due = evaluation_due_on or existing.evaluation_due_on
        _check_dates(year, new_lock, new_due)
        existing.plans_lock_on, existing.evaluation_due_on = new_lock, new_due
        return existing

    whole = Period(year=year, kind=PeriodKind.YEAR, sequence=1, starts_on=date(year, 1, 1),
                   ends_on=date(year, 12, 31), plans_lock_on=plans_lock_on,
                   evaluation_due_on=evaluation_due_on)
    db.session.add(whole)
    for kind, sequence, starts_on, ends_on in sub_period_dates(year, scheme):
        db.session.add(Period(year=year, kind=kind, sequence=sequence, starts_on=starts_on,
                              ends_on=ends_on, parent=whole))
    db.session.flush()
    return whole


# --- the admin's period screens (added with issue #4) ------------------------------------

def years() -> list[Period]:
    """The current tenant's opened years, newest first, with their sub-periods."""
    return list(db.session.scalars(
        select(Period).where(Period.kind == PeriodKind.YEAR)
        .options(selectinload(Period.children)).order_by(Period.year.desc())
    ))


def open_new_year(year: int, scheme: PeriodScheme | str, plans_lock_on: date | None = None,
                  evaluation_due_on: date | None = None) -> Period:
    """``open_year`` for the admin screen: a year already open is an error
    (its dates are changed on its own page), and the opening is audited."""
    if year_period(year) is not None:
        raise Invalid(_l("Tahun %(year)d sudah dibuka; ubah tanggalnya di halaman tahun itu.", year=year), "year")
    opened = open_year(year, scheme, plans_lock_on, evaluation_due_on)
    audit.record("period.open", opened, None)
    return opened


def set_dates(period: Period, plans_lock_on: date | None, evaluation_due_on: date | None,
              reason: str | None = None) -> None:
    """Set (or clear, with None) when a year's plans lock and its evaluations are due. Audited."""
    if period.kind is not PeriodKind.YEAR:
        raise Invalid(_l("Tanggal batas hanya ditetapkan pada periode tahunan."))
    _check_dates(period.year, plans_lock_on, evaluation_due_on)
    before = audit.snapshot(period)
    period.plans_lock_on, period.evaluation_due_on = plans_lock_on, evaluation_due_on
    audit.record("period.update", period, before, reason=reason)


def lock_plans(period: Period, on: date, reason: str | None = None) -> None:
    """Lock the year's plans from ``on`` (usually today). The caller has asked
    the rule set for blockers first. Audited."""
    if period.kind is not PeriodKind.YEAR:
        raise Invalid(_l("Hanya SKP tahunan yang dikunci."))
    if on.year != period.year:
        raise Invalid(_l("SKP tahun %(year)d hanya dapat dikunci selama tahun %(year)d.", year=period.year))
    _check_dates(period.year, on, period.evaluation_due_on)
    before = audit.snapshot(period)
    period.plans_lock_on = on
    audit.record("period.lock", period, before, reason=reason)
