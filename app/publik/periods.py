"""Reporting periods for survey and complaint figures.

Kept simple on purpose: the admin screens and publications use calendar
quarters (Triwulan I–IV) and whole years, whatever the region's assessment
scheme, because SKM results are commonly reported per quarter/semester/year
and a quarter is fine enough for a trend yet large enough for small units.
Region plugins, which work on the tenant's own ``Period`` rows (months for
Salor, semesters for Walesi), get figures for exactly that row's dates via
``ReportingPeriod.of``. A response or complaint counts on the tenant's local
calendar date (``app.tenancy.tenant_today``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class ReportingPeriod:
    starts_on: date
    ends_on: date
    label: str
    year: int
    quarter: int = 0  # 1–4 for a calendar quarter, 0 otherwise

    @classmethod
    def calendar_quarter(cls, year: int, quarter: int) -> ReportingPeriod:
        if quarter not in ROMAN:
            raise ValueError(f"Quarter must be 1–4, got {quarter}.")
        first = 3 * (quarter - 1) + 1
        last_day = calendar.monthrange(year, first + 2)[1]
        return cls(date(year, first, 1), date(year, first + 2, last_day),
                   f"Triwulan {ROMAN[quarter]} {year}", year, quarter)

    @classmethod
    def calendar_year(cls, year: int) -> ReportingPeriod:
        return cls(date(year, 1, 1), date(year, 12, 31), f"Tahun {year}", year, 0)

    @classmethod
    def for_publication(cls, year: int, quarter: int) -> ReportingPeriod:
        return cls.calendar_year(year) if quarter == 0 else cls.calendar_quarter(year, quarter)

    @classmethod
    def of(cls, period) -> ReportingPeriod:
        """The dates of a tenant's ``Period`` row (month, quarter, semester, year)."""
        return cls(period.starts_on, period.ends_on, period.label, period.year, 0)

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def quarters(self) -> list[ReportingPeriod]:
        """The calendar quarters of a whole-year period."""
        return [ReportingPeriod.calendar_quarter(self.year, q) for q in ROMAN]

