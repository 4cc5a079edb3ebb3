"""The periods of a year under each period scheme."""

from __future__ import annotations

from dataclasses import dataclass

from app.regions.types import PeriodScheme

_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember")


@dataclass(frozen=True)
class PeriodSpec:
    index: int
    label: str
    first_month: int
    last_month: int


def periods_in_year(scheme: PeriodScheme, year: int) -> tuple[PeriodSpec, ...]:
    """The assessment periods of ``year``, e.g. ``Semester I 2026`` (Jan–Jun)."""
    if scheme is PeriodScheme.MONTHLY:
        return tuple(PeriodSpec(m, f"{_MONTHS[m - 1]} {year}", m, m) for m in range(1, 13))
    if scheme is PeriodScheme.QUARTERLY:
        return tuple(PeriodSpec(q, f"Triwulan {['I', 'II', 'III', 'IV'][q - 1]} {year}", 3 * q - 2, 3 * q)
                     for q in range(1, 5))
    if scheme is PeriodScheme.SEMESTER:
        return (PeriodSpec(1, f"Semester I {year}", 1, 6), PeriodSpec(2, f"Semester II {year}", 7, 12))
    return (PeriodSpec(1, f"Tahun {year}", 1, 12),)
