"""Reading plans, and creating one (empty, copied from last year, with the
admin's indicator sets applied). Nothing here commits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.org.hierarchy import team_ids
from app.periods.models import Period, PeriodKind
from app.skp.planning.access import can_create_plan, penilai_of
from app.skp.planning.guards import check_editable, plans_locked, require, touch
from app.skp.planning.indicator_sets import apply_assignments, assignments_for
from app.skp.planning.models import Plan, PlanBehaviour, PlanIndicator, PlanResult, PlanStatus
from app.tenancy import tenant_rules

# --- reading ------------------------------------------------------------------------


def load_plan(plan_id: int) -> Plan | None:
    """A plan with everything its page shows, in a fixed number of queries."""
    return db.session.scalar(
        select(Plan).where(Plan.id == plan_id).options(
            joinedload(Plan.employee), joinedload(Plan.period), joinedload(Plan.assigned_penilai),
            selectinload(Plan.results).selectinload(PlanResult.indicators),
            selectinload(Plan.results).joinedload(PlanResult.supports),
            selectinload(Plan.behaviours),
        )
    )


def plans_of(employee_id: int) -> list[Plan]:
    return list(db.session.scalars(
        select(Plan).join(Period, Plan.period_id == Period.id)
        .where(Plan.employee_id == employee_id)
        .options(joinedload(Plan.period), joinedload(Plan.assigned_penilai))
        .order_by(Period.year.desc())
    ))


def creatable_years(employee_id: int) -> list[Period]:
    """Open years, not locked, for which the employee has no plan yet."""
    taken = select(Plan.period_id).where(Plan.employee_id == employee_id)
    years = db.session.scalars(
        select(Period).where(Period.kind == PeriodKind.YEAR, Period.id.not_in(taken))
        .order_by(Period.year.desc())
    ).all()
    return [p for p in years if not plans_locked(p)]


def previous_plan(employee_id: int, year: int) -> Plan | None:
    """The employee's most recent plan of an earlier year."""
    return db.session.scalar(
        select(Plan).join(Period, Plan.period_id == Period.id)
        .where(Plan.employee_id == employee_id, Period.year < year)
        .options(selectinload(Plan.results).selectinload(PlanResult.indicators))
        .order_by(Period.year.desc()).limit(1)
    )


def supervisor_results(plan: Plan) -> list[PlanResult]:
    """The RHK of the penilai's submitted or agreed plan of the same year:
    what an RHK of this plan may support."""
    penilai = penilai_of(plan)
    if penilai is None:
        return []
    return list(db.session.scalars(
        select(PlanResult).join(Plan, PlanResult.plan_id == Plan.id)
        .where(Plan.employee_id == penilai.id, Plan.period_id == plan.period_id,
               Plan.status.in_((PlanStatus.SUBMITTED, PlanStatus.AGREED)))
        .order_by(PlanResult.position, PlanResult.id)
    ))


def team_plans(user: User) -> list[Plan]:
    """Plans whose pejabat penilai the user is: assigned to them, or of their
    team by the organisation chart unless assigned to someone else. Waiting
    ones first. A fixed number of queries, whatever the size of the team."""
    employee = user.employee
    if employee is None:
        return []
    team = team_ids(employee)
    condition = Plan.assigned_penilai_id == employee.id
    if team:
        condition = condition | (Plan.assigned_penilai_id.is_(None) & Plan.employee_id.in_(team))
    plans = db.session.scalars(
        select(Plan).join(Period, Plan.period_id == Period.id)
        .where(condition, Plan.employee_id != employee.id)
        .options(joinedload(Plan.employee), joinedload(Plan.period))
        .order_by(Period.year.desc(), Plan.submitted_at)
    ).all()
    return sorted(plans, key=lambda p: p.status is not PlanStatus.SUBMITTED)


# --- creating and copying -------------------------------------------------------------

def create_plan(user: User, period: Period, copy_last_year: bool = False) -> Plan:
    employee = user.employee if user.is_authenticated else None
    require(can_create_plan(user, employee),
            _l("Akun Anda tidak terhubung dengan data pegawai; SKP tidak dapat dibuat."))
    if period.kind is not PeriodKind.YEAR:
        raise Invalid(_l("SKP disusun per tahun; pilih periode tahunan."), "period_id")
    if plans_locked(period):
        raise Invalid(_l("Batas penyusunan SKP tahun %(year)d sudah lewat; hubungi admin.",
                         year=period.year), "period_id")
    exists = db.session.scalar(select(Plan.id).where(Plan.employee_id == employee.id,
                                                     Plan.period_id == period.id))
    if exists is not None:
        raise Invalid(_l("Anda sudah memiliki SKP tahun %(year)d.", year=period.year), "period_id")
    position = employee.position
    plan = Plan(employee=employee, period=period, status=PlanStatus.DRAFT,
                position_name=position.name if position else "",
                unit_name=position.unit.name if position else "")
    rule_set = tenant_rules().rule_set
    for index, behaviour in enumerate(rule_set.behaviours):
        plan.behaviours.append(PlanBehaviour(behaviour_code=behaviour.code, name=behaviour.name,
                                             position=index))
    db.session.add(plan)
    db.session.flush()
    audit.record("plan.create", plan, None)
    if copy_last_year:
        source = previous_plan(employee.id, period.year)
        if source is None:
            raise Invalid(_l("Tidak ada SKP tahun sebelumnya untuk disalin."), "copy_last_year")
        _copy(plan, source)
    apply_assignments(plan, assignments_for(plan), rule_set)
    return plan


def copy_from_last_year(user: User, plan: Plan, version: int | None) -> int:
    """Copy the RHK and IKI of the employee's previous plan into this one
    (targets stay editable). Returns how many RHK were added."""
    check_editable(user, plan, version)
    source = previous_plan(plan.employee_id, plan.period.year)
    if source is None:
        raise Forbidden(_l("Tidak ada SKP tahun sebelumnya untuk disalin."))
    added = _copy(plan, source)
    touch(plan)
    return added


def _copy(plan: Plan, source: Plan) -> int:
    """RHK (without the link to last year's superior RHK) and their IKI;
    an RHK whose description the plan already holds is skipped."""
    before = audit.snapshot(plan)
    have = {r.description.strip().lower() for r in plan.results}
    position = max((r.position for r in plan.results), default=-1)
    added = 0
    for old in source.results:
        if old.description.strip().lower() in have:
            continue
        position += 1
        result = PlanResult(kind=old.kind, description=old.description, position=position)
        for old_indicator in old.indicators:
            result.indicators.append(PlanIndicator(
                indicator_code=old_indicator.indicator_code, name=old_indicator.name,
                aspect=old_indicator.aspect, direction=old_indicator.direction, unit=old_indicator.unit,
                target_lower=old_indicator.target_lower, target_upper=old_indicator.target_upper,
                position=old_indicator.position))
        plan.results.append(result)
        added += 1
    plan.copied_from_id = source.id
    db.session.flush()
    audit.record("plan.copy", plan, before, reason=f"SKP {source.period.year} #{source.id}")
    return added
