"""The admin's indicator sets: indicators given to a whole unit (with its
sub-units) or position, added to every matching plan that can still change
and to plans created later. Nothing here commits."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.auth.models import User
from app.errors import Invalid
from app.extensions import db
from app.org.hierarchy import unit_and_ancestors, unit_and_descendants
from app.org.models import Employee, Position, Unit
from app.periods.models import Period, PeriodKind
from app.regions.types import RuleSet
from app.skp.planning.access import can_assign_indicators
from app.skp.planning.guards import audit_child, plans_locked, require, touch
from app.skp.planning.models import (
    IndicatorAssignment,
    Plan,
    PlanIndicator,
    PlanResult,
    PlanStatus,
    ResultKind,
)
from app.tenancy import tenant_rules


def assignments_for(plan: Plan) -> list[IndicatorAssignment]:
    """The sets given to the plan owner's position or to its unit or a parent unit."""
    position = plan.employee.position
    if position is None:
        return []
    units = unit_and_ancestors(position.unit)
    return list(db.session.scalars(
        select(IndicatorAssignment)
        .where(IndicatorAssignment.period_id == plan.period_id,
               IndicatorAssignment.unit_id.in_(units) | (IndicatorAssignment.position_id == position.id))
        .order_by(IndicatorAssignment.id)
    ))


def apply_assignments(plan: Plan, assignments: Iterable[IndicatorAssignment], rule_set: RuleSet) -> int:
    """Add the assigned indicators the plan lacks, each as an RHK utama with
    its IKI (library defaults; the pegawai edits description and target)."""
    have = {i.indicator_code for r in plan.results for i in r.indicators if i.indicator_code}
    position = max((r.position for r in plan.results), default=-1)
    added = 0
    for assignment in assignments:
        for code in assignment.indicator_codes:
            library = rule_set.indicator(code)
            if library is None or code in have:
                continue
            have.add(code)
            position += 1
            target = library.target
            result = PlanResult(kind=ResultKind.UTAMA, description=library.name, position=position)
            indicator = PlanIndicator(
                indicator_code=library.code, name=library.name, aspect=library.aspect.value,
                direction=library.direction.value, unit=library.unit,
                # No default target: 0 until the pegawai sets one (submitting checks it).
                target_lower=target.lower if target else 0, target_upper=target.upper if target else 0)
            result.indicators.append(indicator)
            plan.results.append(result)
            db.session.flush()
            reason = f"indicator_assignment #{assignment.id}"
            audit_child("plan_result.create", result, plan, None, reason=reason)
            audit_child("plan_indicator.create", indicator, plan, None, reason=reason)
            added += 1
    if added:
        touch(plan)
    return added


def assign_indicators(user: User, period: Period, codes: list[str], unit_id: int | None = None,
                      position_id: int | None = None) -> tuple[IndicatorAssignment, int]:
    """Give an indicator set to a whole unit (with its sub-units) or position:
    added now to every matching plan that is still editable, and to plans
    created later. Returns the assignment and how many plans changed."""
    require(can_assign_indicators(user), _l("Hanya admin instansi yang dapat menetapkan indikator."))
    if period.kind is not PeriodKind.YEAR:
        raise Invalid(_l("Pilih periode tahunan."), "period_id")
    if (unit_id is None) == (position_id is None):
        raise Invalid(_l("Pilih satu unit kerja atau satu jabatan."), "unit_id")
    if unit_id is not None and db.session.get(Unit, unit_id) is None:
        raise Invalid(_l("Unit kerja tidak ditemukan."), "unit_id")
    if position_id is not None and db.session.get(Position, position_id) is None:
        raise Invalid(_l("Jabatan tidak ditemukan."), "position_id")
    rule_set = tenant_rules().rule_set
    codes = list(dict.fromkeys(c for c in codes if c))
    if not codes:
        raise Invalid(_l("Pilih paling sedikit satu indikator."), "indicator_codes")
    unknown = [c for c in codes if rule_set.indicator(c) is None]
    if unknown:
        raise Invalid(_l("Indikator tidak dikenal: %(codes)s.", codes=", ".join(unknown)), "indicator_codes")
    assignment = IndicatorAssignment(period_id=period.id, unit_id=unit_id, position_id=position_id,
                                     indicator_codes=codes, created_by_id=user.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record("indicator_assignment.create", assignment, None)

    query = (select(Plan).join(Employee, Plan.employee_id == Employee.id)
             .join(Position, Employee.position_id == Position.id)
             .where(Plan.period_id == period.id, Plan.status.in_((PlanStatus.DRAFT, PlanStatus.RETURNED)))
             .options(joinedload(Plan.period), selectinload(Plan.results).selectinload(PlanResult.indicators)))
    if unit_id is not None:
        query = query.where(Position.unit_id.in_(unit_and_descendants({unit_id})))
    else:
        query = query.where(Employee.position_id == position_id)
    changed = 0
    if not plans_locked(period):
        for plan in db.session.scalars(query).unique():
            if apply_assignments(plan, [assignment], rule_set):
                changed += 1
    return assignment, changed


def assignments(period_id: int | None = None, limit: int | None = None) -> list[IndicatorAssignment]:
    """The indicator sets, newest first (of one year when ``period_id`` is given)."""
    query = select(IndicatorAssignment).order_by(IndicatorAssignment.id.desc())
    if period_id is not None:
        query = query.where(IndicatorAssignment.period_id == period_id)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))
