"""Rules of an IKI that every stage applies the same way (one home, not copies)."""

from __future__ import annotations

from app.regions.types import Aspect, Target


def accumulates(aspect: str, unit: str) -> bool:
    """Whether an IKI's sub-period realisations add up to the year (kuantitas
    or biaya, not in %): its annual target is shared out over the sub-periods,
    and the year's realisation is their sum (the others use the mean)."""
    return aspect in (Aspect.KUANTITAS.value, Aspect.BIAYA.value) and unit.strip() != "%"


def sub_period_target(annual: Target, aspect: str, unit: str, sub_period_count: int) -> Target:
    """The target one sub-period's realisation is measured against: an
    accumulating IKI's annual target divided by the sub-periods; every other
    IKI keeps the annual target."""
    if sub_period_count > 1 and accumulates(aspect, unit):
        return Target(annual.lower / sub_period_count, annual.upper / sub_period_count)
    return annual
