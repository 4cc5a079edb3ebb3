"""The citizens' figures other domains weigh, provided through ``app.providers``.

Evaluation (``app.skp``) asks ``app.providers`` for a unit's IKM and the
complaints about an employee in one of the tenant's ``Period`` rows; this
module answers from the surveys and complaints kept here. ``create_app``
calls ``provide_figures()`` once.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from app import providers
from app.extensions import db
from app.org.models import Employee, Unit
from app.periods.models import Period
from app.publik.complaints import as_plugin_complaint, complaints_about
from app.publik.models import Complaint as ComplaintRow
from app.publik.periods import ReportingPeriod
from app.publik.surveys import ikm_by_unit, unit_satisfaction
from app.regions.inputs import Complaint, UnitSatisfaction


def unit_satisfaction_in(unit: Unit, period: Period) -> UnitSatisfaction | None:
    """The unit's IKM over the dates of the tenant's period (None without responses)."""
    return unit_satisfaction(unit, ReportingPeriod.of(period))


def unit_satisfaction_many_in(units: Sequence[Unit], period: Period) -> dict[int, UnitSatisfaction | None]:
    """``unit_satisfaction_in`` for several units with one query (every unit's IKM in the
    period, ``ikm_by_unit``), by unit id: the same figures as asking about each one."""
    reporting = ReportingPeriod.of(period)
    ikm = ikm_by_unit(reporting)
    return {unit.id: None if unit.id not in ikm else UnitSatisfaction(
        unit_code=unit.code, ikm=float(ikm[unit.id].index), respondents=ikm[unit.id].respondents,
        period_label=reporting.label) for unit in units}


def complaints_about_in(employee: Employee, period: Period) -> tuple[Complaint, ...]:
    """Complaints about the employee received within the dates of the tenant's period."""
    return complaints_about(employee, ReportingPeriod.of(period))


def complaints_about_many_in(employees: Sequence[Employee], period: Period) -> dict[int, tuple[Complaint, ...]]:
    """``complaints_about_in`` for several employees with one query per ``CHUNK`` of
    them (re-applying rules to a batch of drafts), by employee id; the same
    complaints in the same order as asking about each one."""
    reporting = ReportingPeriod.of(period)
    found: dict[int, list[Complaint]] = {e.id: [] for e in employees}
    ids = sorted(found)
    for start in range(0, len(ids), CHUNK):
        rows = db.session.scalars(
            select(ComplaintRow).where(ComplaintRow.employee_id.in_(ids[start:start + CHUNK]),
                                       ComplaintRow.received_on >= reporting.starts_on,
                                       ComplaintRow.received_on <= reporting.ends_on)
            .order_by(ComplaintRow.received_on, ComplaintRow.id))
        for row in rows:
            found[row.employee_id].append(as_plugin_complaint(row))
    return {employee_id: tuple(complaints) for employee_id, complaints in found.items()}


CHUNK = 1000


def provide_figures() -> None:
    """Register the citizens' side as the provider of these figures."""
    providers.provide(unit_satisfaction=unit_satisfaction_in, complaints_about=complaints_about_in,
                      unit_satisfaction_many=unit_satisfaction_many_in, complaints_about_many=complaints_about_many_in)
