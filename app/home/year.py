"""The appraisal year a work list is drawn up for, and its running sub-period."""

from __future__ import annotations

from datetime import date

from app.periods.models import Period, PeriodKind
from app.periods.services import periods_of_year
from app.tenancy.current import per_request


def year_and_sub_period(today: date) -> tuple[Period | None, Period | None]:
    """``today``'s YEAR period (None when not opened) and the sub-period that
    contains ``today`` (None when there is none). One query, once per request."""
    return per_request(("year_and_sub_period", today), lambda: _year_and_sub_period(today))


def _year_and_sub_period(today: date) -> tuple[Period | None, Period | None]:
    periods = periods_of_year(today.year)
    year = next((p for p in periods if p.kind is PeriodKind.YEAR and p.sequence == 1), None)
    if year is None:
        return None, None
    return year, next((p for p in periods if p.parent_id == year.id and p.starts_on <= today <= p.ends_on), None)
