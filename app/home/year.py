"""The appraisal year a work list is drawn up for, and its running sub-period."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.periods.models import Period
from app.periods.services import year_period


def year_and_sub_period(today: date) -> tuple[Period | None, Period | None]:
    """``today``'s YEAR period (None when not opened) and the sub-period that
    contains ``today`` (None when there is none)."""
    year = year_period(today.year)
    if year is None:
        return None, None
    return year, db.session.scalar(select(Period).where(Period.parent_id == year.id,
                                                        Period.starts_on <= today, Period.ends_on >= today))
