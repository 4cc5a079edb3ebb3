"""Internal seams: figures one domain supplies to another that may not import it.

``app.skp`` and ``app.publik`` sit side by side; neither imports the other.
Evaluation weighs a unit's IKM and the complaints about an employee, which
belong to the citizens' side: ``app.publik`` provides them here
(``app.publik.figures.provide_figures``). The transparency page publishes
predikat counts, which belong to evaluation: ``app.skp`` provides them here
(``app.skp.evaluation.wiring.connect``). Both are wired in ``create_app`` —
the way Datasette's core uses its own plugin hooks. Without a provider the
answer is "no figures".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from app.org.models import Employee, Unit
from app.periods.models import Period
from app.regions.inputs import Complaint, CriteriaConsultation, UnitSatisfaction


class PredikatRow(NamedTuple):
    """Employees of one unit with one final predikat in a period (no names)."""

    unit_id: int | None  # the employee's current unit; None when they have no position any more
    recorded_unit_name: str | None  # the unit name their plan recorded, for unit_id None
    predikat_code: str
    employees: int


UnitSatisfactionProvider = Callable[[Unit, Period], UnitSatisfaction | None]
ComplaintsProvider = Callable[[Employee, Period], tuple[Complaint, ...]]
ManySatisfactionProvider = Callable[[Sequence[Unit], Period], Mapping[int, UnitSatisfaction | None]]
ManyComplaintsProvider = Callable[[Sequence[Employee], Period], Mapping[int, Iterable[Complaint]]]

_providers: dict[str, Any] = {}


def provide(**providers: Callable[..., Any]) -> None:
    """Register the functions that answer: ``unit_satisfaction``, ``unit_satisfaction_many``,
    ``complaints_about``, ``complaints_about_many`` (the citizens' side); ``predikat_rows``,
    ``evaluated_period_dates``, ``stored_predikat_labels`` (evaluation);
    ``criteria_consultation`` (the criteria consultation, for plan lock)."""
    unknown = set(providers) - set(_NAMES)
    if unknown:
        raise TypeError(f"Unknown provider(s): {', '.join(sorted(unknown))}")
    _providers.update(providers)


def unit_satisfaction(unit: Unit, period: Period) -> UnitSatisfaction | None:
    """The unit's IKM for the period, as region plugins receive it; None without one."""
    provider = _providers.get("unit_satisfaction")
    return provider(unit, period) if provider is not None else None


def unit_satisfaction_many(units: Iterable[Unit], period: Period) -> dict[int, UnitSatisfaction | None]:
    """``unit_satisfaction`` for several units at once (bulk work: re-applying rules),
    by unit id, every one of them present. A provider of ``unit_satisfaction_many``
    answers with one query; without one, each unit is asked about in turn."""
    units = list(units)
    many = _providers.get("unit_satisfaction_many")
    if many is None or _providers.get("unit_satisfaction") is None:
        return {u.id: unit_satisfaction(u, period) for u in units}
    found = many(units, period) if units else {}
    return {u.id: found.get(u.id) for u in units}


def complaints_about(employee: Employee, period: Period) -> tuple[Complaint, ...]:
    """Complaints about the employee received in the period, as region plugins receive them."""
    provider = _providers.get("complaints_about")
    return tuple(provider(employee, period)) if provider is not None else ()


def complaints_about_many(employees: Iterable[Employee], period: Period) -> dict[int, tuple[Complaint, ...]]:
    """``complaints_about`` for several employees at once (bulk work: re-applying
    rules), by employee id, every one of them present. A provider of
    ``complaints_about_many`` answers with one query; without one, each employee
    is asked about through ``complaints_about``."""
    employees = list(employees)
    many = _providers.get("complaints_about_many")
    if many is None or _providers.get("complaints_about") is None:
        return {e.id: complaints_about(e, period) for e in employees}
    found = many(employees, period) if employees else {}
    return {e.id: tuple(found.get(e.id, ())) for e in employees}


def predikat_rows(starts_on: date, ends_on: date) -> list[PredikatRow]:
    """Final predikat per unit for the period with exactly these dates."""
    provider = _providers.get("predikat_rows")
    return list(provider(starts_on, ends_on)) if provider is not None else []


def evaluated_period_dates() -> list[tuple[date, date]]:
    """(starts_on, ends_on) of the periods that have final results."""
    provider = _providers.get("evaluated_period_dates")
    return list(provider()) if provider is not None else []


def stored_predikat_labels(codes: Iterable[str]) -> dict[str, str]:
    """The labels final results stored for these predikat codes."""
    provider = _providers.get("stored_predikat_labels")
    return dict(provider(codes)) if provider is not None else {}


def criteria_consultation(period: Period) -> CriteriaConsultation | None:
    """The year's recorded criteria consultation, as region rules receive it at
    plan lock (``app.consultation`` provides it); None without one."""
    provider = _providers.get("criteria_consultation")
    return provider(period) if provider is not None else None


_NAMES = ("unit_satisfaction", "unit_satisfaction_many", "complaints_about", "complaints_about_many", "predikat_rows",
          "evaluated_period_dates", "stored_predikat_labels", "criteria_consultation")
