"""Internal seams: figures one domain supplies to another that may not import it.

Evaluation (``app.skp``) weighs a unit's IKM and the complaints about an
employee; those figures belong to the citizens' side (``app.publik``), which
sits beside ``app.skp``, not below it. So ``app.publik`` provides them here
(``app.publik.figures.provide_figures``, wired in ``create_app``) and
evaluation asks here — the way Datasette's core uses its own plugin hooks.
Without a provider the answer is "no figures" (None, no complaints).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.org.models import Employee, Unit
from app.periods.models import Period
from app.regions.inputs import Complaint, UnitSatisfaction

UnitSatisfactionProvider = Callable[[Unit, Period], UnitSatisfaction | None]
ComplaintsProvider = Callable[[Employee, Period], tuple[Complaint, ...]]

_providers: dict[str, Any] = {}


def provide(*, unit_satisfaction: UnitSatisfactionProvider | None = None,
            complaints_about: ComplaintsProvider | None = None) -> None:
    """Register the functions that answer for the citizens' side."""
    if unit_satisfaction is not None:
        _providers["unit_satisfaction"] = unit_satisfaction
    if complaints_about is not None:
        _providers["complaints_about"] = complaints_about


def unit_satisfaction(unit: Unit, period: Period) -> UnitSatisfaction | None:
    """The unit's IKM for the period, as region plugins receive it; None without one."""
    provider = _providers.get("unit_satisfaction")
    return provider(unit, period) if provider is not None else None


def complaints_about(employee: Employee, period: Period) -> tuple[Complaint, ...]:
    """Complaints about the employee received in the period, as region plugins receive them."""
    provider = _providers.get("complaints_about")
    return tuple(provider(employee, period)) if provider is not None else ()
