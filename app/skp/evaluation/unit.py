"""The unit: its head, its achievement (what a head's hasil kerja may follow)
and the predikat distribution checked against the rule set's curve.

A unit head is the holder of the unit's top structural position: one that
reports to no position inside the same unit. When the rule set says
``unit_head_follows_unit_achievement``, the head's hasil kerja follows the
mean, over the unit's other employees' evaluations for the same period
(draft or final, with at least one scored IKI), of each evaluation's mean
capaian.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import mean

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.periods.models import Period
from app.regions.distribution import DistributionCheck
from app.regions.manager import RuleSetRuntime
from app.settings.services import rules_for_period
from app.skp.evaluation.access import can_set_organisation_predikat
from app.skp.evaluation.entries import (
    audit_view,
    entries_of,
    record,
    set_organisation_predikat_entry,
)
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.evaluation.outcome import UnitAchievement, UnitMember, outcome_of
from app.skp.planning.access import is_penilai
from app.skp.planning.models import Plan
from app.tenancy import tenant_rules

# Organisation predikat when the rule set names no quotas (PermenPANRB 6/2022 [S]).
DEFAULT_ORGANISATION_PREDIKAT = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")


# --- the head -----------------------------------------------------------------------

def is_unit_head(employee: Employee | None) -> bool:
    """Holds a structural position that reports to no position inside its own unit."""
    if employee is None or employee.position is None:
        return False
    position = employee.position
    if not position.kind.single_holder:
        return False
    return position.reports_to is None or position.reports_to.unit_id != position.unit_id


def unit_head_of(unit_id: int) -> Employee | None:
    heads = db.session.scalars(
        select(Employee).join(Position, Employee.position_id == Position.id)
        .options(joinedload(Employee.position).joinedload(Position.reports_to))
        .where(Position.unit_id == unit_id, Employee.active, Position.active)
        .order_by(Employee.id)
    ).all()
    return next((e for e in heads if is_unit_head(e)), None)


# --- the unit's evaluations and achievement -----------------------------------------------

def unit_evaluation_query(unit_id: int, period_id: int):
    return (
        select(Evaluation)
        .join(Plan, Evaluation.plan_id == Plan.id)
        .join(Employee, Plan.employee_id == Employee.id)
        .join(Position, Employee.position_id == Position.id)
        .where(Position.unit_id == unit_id, Evaluation.period_id == period_id)
        .options(joinedload(Evaluation.plan).joinedload(Plan.employee))
        .order_by(Employee.name)
    )


def _mean_capaian(evaluation: Evaluation) -> float | None:
    period = outcome_of(evaluation).period
    values = [a.capaian for a in period.achievements] if period is not None else []
    return round(mean(values), 2) if values else None


def unit_achievement(unit: Unit, period_id: int, exclude_employee_id: int) -> UnitAchievement:
    """The unit's achievement for a period: mean of its other employees' evaluation capaian."""
    evaluations = unit_evaluation_query(unit.id, period_id).where(Plan.employee_id != exclude_employee_id)
    members = []
    for ev in db.session.scalars(evaluations).unique():
        value = _mean_capaian(ev)
        if value is not None:
            members.append(UnitMember(ev.id, ev.plan.employee.name, ev.status.value, value))
    value = round(mean(m.capaian for m in members), 2) if members else None
    return UnitAchievement(unit.id, tuple(members), value, unit.name)


# --- the distribution ---------------------------------------------------------------------

@dataclass
class UnitSpread:
    unit: Unit
    period: Period
    evaluations: list[Evaluation]
    counts: dict[str, int]
    labels: dict[str, str]
    total: int
    organisation_predikat: str
    organisation_predikat_set: bool
    choices: tuple[str, ...]
    check: DistributionCheck | None
    mode: str

    def share(self, code: str) -> float:
        return self.counts.get(code, 0) / self.total * 100 if self.total else 0.0


def organisation_choices(rt: RuleSetRuntime) -> tuple[str, ...]:
    codes = tuple(q.organisation_predikat for q in rt.rule_set.distribution.quotas)
    return codes or DEFAULT_ORGANISATION_PREDIKAT


def _chosen_organisation_predikat(evaluations: list[Evaluation], requested: str | None,
                                  choices: tuple[str, ...]) -> tuple[str, bool]:
    """The organisation predikat to check against, and whether it was set: the
    requested one, else the one stored most often, else "baik"."""
    if requested in choices:
        return requested, True
    stored = Counter(entries_of(e).organisation_predikat for e in evaluations)
    stored.pop(None, None)
    if stored:
        return stored.most_common(1)[0][0], True
    return ("baik" if "baik" in choices else choices[0]), False


def unit_spread(unit: Unit, period: Period, organisation_predikat: str | None = None,
                rt: RuleSetRuntime | None = None) -> UnitSpread:
    """The unit's predikat spread for the period (draft and final evaluations with a
    predikat) and the rule set's distribution check for the organisation predikat."""
    rt = rt or rules_for_period(period)  # the settings version in force on the period's first day
    evaluations = list(db.session.scalars(unit_evaluation_query(unit.id, period.id)).unique())
    rated = [e for e in evaluations if e.predikat_code]
    counts = Counter(e.predikat_code for e in rated)
    labels = {e.predikat_code: e.predikat_label or e.predikat_code for e in rated}
    choices = organisation_choices(rt)
    chosen, is_set = _chosen_organisation_predikat(evaluations, organisation_predikat, choices)
    check = rt.distribution_check(chosen, [e.predikat_code for e in rated]) if rated else None
    return UnitSpread(unit, period, evaluations, dict(counts), labels, len(rated), chosen, is_set, choices,
                      check, rt.rule_set.distribution.mode.value)


def rates_in_unit(user: User, unit_id: int, period_id: int) -> bool:
    if user.employee_id is None:
        return False
    return any(is_penilai(user, e.plan)
               for e in db.session.scalars(unit_evaluation_query(unit_id, period_id)).unique())


def may_set_organisation_predikat(user: User, unit: Unit, rt: RuleSetRuntime | None = None) -> bool:
    rt = rt or tenant_rules()
    head = unit_head_of(unit.id)
    is_head = head is not None and user.employee_id is not None and head.id == user.employee_id
    return can_set_organisation_predikat(user, is_head, rt.rule_set.unit_head_sets_organisation_predikat)


def set_organisation_predikat(user: User, unit: Unit, period: Period, code: str) -> int:
    """Store the unit's organisation predikat in every draft evaluation of the unit and period."""
    rt = rules_for_period(period)
    if not may_set_organisation_predikat(user, unit, rt):
        raise Forbidden(_("Predikat organisasi unit ditetapkan oleh admin instansi%(head)s.",
                          head=_(" atau kepala unit") if rt.rule_set.unit_head_sets_organisation_predikat else ""))
    if code not in organisation_choices(rt):
        raise Invalid(_("Predikat organisasi tidak dikenal."), "organisation_predikat")
    changed = 0
    for evaluation in db.session.scalars(unit_evaluation_query(unit.id, period.id)).unique():
        if evaluation.status is not EvaluationStatus.DRAFT or entries_of(evaluation).organisation_predikat == code:
            continue
        before = audit_view(evaluation)
        set_organisation_predikat_entry(evaluation, code)
        record("evaluation.organisation_predikat", evaluation, before)
        changed += 1
    return changed
