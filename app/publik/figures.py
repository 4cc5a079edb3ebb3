"""The citizens' figures other domains weigh, provided through ``app.providers``.

Evaluation (``app.skp``) asks ``app.providers`` for a unit's IKM and the
complaints about an employee in one of the tenant's ``Period`` rows; this
module answers from the surveys and complaints kept here. ``create_app``
calls ``provide_figures()`` once.
"""

from __future__ import annotations

from app import providers
from app.org.models import Employee, Unit
from app.periods.models import Period
from app.publik.complaints import complaints_about
from app.publik.periods import ReportingPeriod
from app.publik.surveys import unit_satisfaction
from app.regions.inputs import Complaint, UnitSatisfaction


def unit_satisfaction_in(unit: Unit, period: Period) -> UnitSatisfaction | None:
    """The unit's IKM over the dates of the tenant's period (None without responses)."""
    return unit_satisfaction(unit, ReportingPeriod.of(period))


def complaints_about_in(employee: Employee, period: Period) -> tuple[Complaint, ...]:
    """Complaints about the employee received within the dates of the tenant's period."""
    return complaints_about(employee, ReportingPeriod.of(period))


def provide_figures() -> None:
    """Register the citizens' side as the provider of these figures."""
    providers.provide(unit_satisfaction=unit_satisfaction_in, complaints_about=complaints_about_in)
