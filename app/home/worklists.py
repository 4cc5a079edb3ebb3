"""What waits for whom: the work lists and dashboards of the home page, and
an employee's history across years.

Every function here runs a fixed number of queries whatever the number of
rows (aggregates use GROUP BY; related rows are loaded with joins), so the
home page costs the same for a team of three and a team of three hundred.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError

from app.extensions import db
from app.org.hierarchy import acting_holder, positions_led_by
from app.org.models import Employee, Position, Unit
from app.periods.models import Period, PeriodKind
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections import services as objection_rules
from app.skp.objections.models import Objection, ObjectionStatus
from app.skp.planning.models import Plan, PlanIndicator, PlanResult, PlanStatus
from app.skp.realisation.models import Evidence, EvidenceReview, Realisation
from app.skp.training.models import TrainingRecord
from app.skp.training.services import open_training_for

# A sub-period's evaluation shows as due this many days before the sub-period ends.
DUE_SOON_DAYS = 14
EVIDENCE_LIMIT = 50
EVALUATION_LIMIT = 12

# Pages of the other appraisal screens the lists link to: (endpoint, parameter).
# A link is left out when its screen is not installed.
LINKS = {
    "plan": ("skp.plan_view", "plan_id"),
    "evaluation": ("penilaian.detail", "evaluation_id"),
    "realisations": ("realisasi.grid", "plan_id"),
}


def today() -> date:
    """The day the work lists are drawn up for (a seam for tests)."""
    return date.today()


def link(kind: str, object_id: int) -> str | None:
    endpoint, parameter = LINKS[kind]
    try:
        return url_for(endpoint, **{parameter: object_id})
    except BuildError:
        return None


# --- the team ---------------------------------------------------------------------

def team_of(employee: Employee, on: date) -> list[Employee]:
    """Everyone whose pejabat penilai is ``employee`` on ``on`` — the same
    answer as ``hierarchy.direct_reports`` in a number of queries that
    depends on the positions the employee leads, not on the team's size."""
    led = positions_led_by(employee, on)
    if not led:
        return []
    # Who carries each led position's authority: a Plh or Plt first, then the holder.
    mine = []
    for position_id in led:
        acting = acting_holder(position_id, on)
        if acting is not None:
            if acting.id == employee.id:
                mine.append(position_id)
        elif employee.position_id == position_id:
            mine.append(position_id)
    if not mine:
        return []
    return list(db.session.scalars(
        select(Employee).options(joinedload(Employee.position))
        .join(Position, Employee.position_id == Position.id)
        .where(Position.reports_to_id.in_(mine), Employee.active, Employee.id != employee.id)
        .order_by(Employee.name)).unique())


def _penilai_condition(penilai_id: int, team_ids: list[int]):
    """Plans this employee rates: the team's (org chart) and any assigned to them."""
    return or_(and_(Plan.employee_id.in_(team_ids or [-1]), Plan.assigned_penilai_id.is_(None)),
               Plan.assigned_penilai_id == penilai_id)


def _year_period(year: int) -> Period | None:
    return db.session.scalar(select(Period).where(Period.year == year, Period.kind == PeriodKind.YEAR,
                                                  Period.sequence == 1))


def _current_sub_period(year_period: Period | None, today: date) -> Period | None:
    if year_period is None:
        return None
    return db.session.scalar(select(Period).where(Period.parent_id == year_period.id,
                                                  Period.starts_on <= today, Period.ends_on >= today))


# --- the pegawai --------------------------------------------------------------------

@dataclass
class EvaluationRow:
    evaluation: Evaluation
    objection: Objection | None
    deadline: date | None
    window_open: bool


@dataclass
class PegawaiWork:
    year: int
    plan: Plan | None
    sub_period: Period | None
    missing: list[PlanIndicator]
    evaluations: list[EvaluationRow]
    training: list[TrainingRecord]

    @property
    def open_objections(self) -> list[EvaluationRow]:
        return [r for r in self.evaluations if r.objection is not None and r.objection.status is ObjectionStatus.OPEN]


def pegawai_work(employee: Employee, today: date) -> PegawaiWork:
    year_period = _year_period(today.year)
    plan = None
    if year_period is not None:
        plan = db.session.scalar(select(Plan).where(Plan.employee_id == employee.id,
                                                    Plan.period_id == year_period.id))
    sub_period = _current_sub_period(year_period, today)
    missing: list[PlanIndicator] = []
    if plan is not None and plan.status is PlanStatus.AGREED and sub_period is not None:
        missing = list(db.session.scalars(
            select(PlanIndicator).join(PlanResult, PlanIndicator.result_id == PlanResult.id)
            .outerjoin(Realisation, and_(Realisation.indicator_id == PlanIndicator.id,
                                         Realisation.period_id == sub_period.id))
            .where(PlanResult.plan_id == plan.id, or_(Realisation.id.is_(None), Realisation.value.is_(None)))
            .order_by(PlanResult.position, PlanIndicator.position, PlanIndicator.id)))
    return PegawaiWork(today.year, plan, sub_period, missing, my_evaluations(employee.id, today),
                       open_training_for(employee.id, today.year))


def my_evaluations(employee_id: int, today: date, limit: int = EVALUATION_LIMIT) -> list[EvaluationRow]:
    """The employee's latest final evaluations with their objection (if any) and deadline."""
    rows = db.session.execute(
        select(Evaluation, Objection)
        .join(Plan, Evaluation.plan_id == Plan.id)
        .join(Period, Evaluation.period_id == Period.id)
        .outerjoin(Objection, Objection.evaluation_id == Evaluation.id)
        .options(joinedload(Evaluation.period))
        .where(Plan.employee_id == employee_id, Evaluation.status == EvaluationStatus.FINAL)
        .order_by(Period.ends_on.desc(), Period.kind, Evaluation.id.desc())
        .limit(limit)).all()
    window = objection_rules.window_days() if rows else 0
    result = []
    for evaluation, objection in rows:
        deadline = objection.deadline if objection is not None else objection_rules.lodging_deadline(evaluation, window)
        result.append(EvaluationRow(evaluation, objection, deadline, deadline is not None and today <= deadline))
    return result


# --- the penilai ----------------------------------------------------------------------

@dataclass
class MemberProgress:
    employee: Employee
    plan: Plan | None
    indicators: int = 0
    realised: int = 0

    @property
    def realisation_complete(self) -> bool:
        return self.plan is not None and self.indicators > 0 and self.realised >= self.indicators


@dataclass
class DueEvaluation:
    plan: Plan
    period: Period
    evaluation: Evaluation | None
    due_on: date


@dataclass
class PenilaiWork:
    year: int
    sub_period: Period | None
    team: list[Employee]
    plans_to_agree: list[Plan]
    evaluations_due: list[DueEvaluation]
    evidence: list[tuple[Evidence, Plan]]
    evidence_total: int
    progress: list[MemberProgress]

    @property
    def has_work(self) -> bool:
        return bool(self.team or self.plans_to_agree or self.evaluations_due or self.evidence)


def penilai_work(employee: Employee, today: date, team: list[Employee] | None = None) -> PenilaiWork:
    team = team_of(employee, today) if team is None else team
    team_ids = [e.id for e in team]
    rated = _penilai_condition(employee.id, team_ids)
    plans_to_agree = list(db.session.scalars(
        select(Plan).options(joinedload(Plan.employee), joinedload(Plan.period))
        .where(Plan.status == PlanStatus.SUBMITTED, rated, Plan.employee_id != employee.id)
        .order_by(Plan.submitted_at, Plan.id)))
    year_period = _year_period(today.year)
    sub_period = _current_sub_period(year_period, today)
    year_plans: list[Plan] = []
    if year_period is not None:
        year_plans = list(db.session.scalars(
            select(Plan).options(joinedload(Plan.employee))
            .where(Plan.period_id == year_period.id, rated, Plan.employee_id != employee.id)))
    evaluations_due = _evaluations_due(year_period, year_plans, today)
    evidence, evidence_total = _evidence_to_review(rated, employee.id)
    progress = _progress(team, year_plans, sub_period)
    return PenilaiWork(today.year, sub_period, team, plans_to_agree, evaluations_due, evidence,
                       evidence_total, progress)


def _evaluations_due(year_period: Period | None, plans: list[Plan], today: date) -> list[DueEvaluation]:
    agreed = [p for p in plans if p.status is PlanStatus.AGREED]
    if year_period is None or not agreed:
        return []
    periods = list(db.session.scalars(select(Period).where(Period.parent_id == year_period.id)
                                      .order_by(Period.starts_on)))
    periods.append(year_period)
    evaluations = {(e.plan_id, e.period_id): e for e in db.session.scalars(
        select(Evaluation).where(Evaluation.plan_id.in_([p.id for p in agreed])))}
    due = []
    for plan in sorted(agreed, key=lambda p: p.employee.name):
        for period in periods:
            due_on = (period.evaluation_due_on or period.ends_on) if period.kind is PeriodKind.YEAR else period.ends_on
            if period.ends_on - timedelta(days=DUE_SOON_DAYS) > today:
                continue
            evaluation = evaluations.get((plan.id, period.id))
            if evaluation is None or evaluation.status is not EvaluationStatus.FINAL:
                due.append(DueEvaluation(plan, period, evaluation, due_on))
    return due


def _evidence_to_review(rated, penilai_id: int) -> tuple[list[tuple[Evidence, Plan]], int]:
    base = (select(Evidence, Plan)
            .join(Realisation, Evidence.realisation_id == Realisation.id)
            .join(PlanIndicator, Realisation.indicator_id == PlanIndicator.id)
            .join(PlanResult, PlanIndicator.result_id == PlanResult.id)
            .join(Plan, PlanResult.plan_id == Plan.id)
            .where(Evidence.review == EvidenceReview.PENDING, rated, Plan.employee_id != penilai_id))
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    if not total:
        return [], 0
    rows = db.session.execute(
        base.options(joinedload(Evidence.realisation).joinedload(Realisation.indicator),
                     joinedload(Evidence.realisation).joinedload(Realisation.period),
                     joinedload(Plan.employee))
        .order_by(Evidence.uploaded_at, Evidence.id).limit(EVIDENCE_LIMIT)).all()
    return [(evidence, plan) for evidence, plan in rows], total


def _progress(team: list[Employee], plans: list[Plan], sub_period: Period | None) -> list[MemberProgress]:
    by_employee = {p.employee_id: p for p in plans}
    plan_ids = [p.id for p in plans]
    indicators: dict[int, int] = {}
    realised: dict[int, int] = {}
    if plan_ids:
        indicators = dict(db.session.execute(
            select(PlanResult.plan_id, func.count(PlanIndicator.id))
            .join(PlanIndicator, PlanIndicator.result_id == PlanResult.id)
            .where(PlanResult.plan_id.in_(plan_ids)).group_by(PlanResult.plan_id)).all())
        if sub_period is not None:
            realised = dict(db.session.execute(
                select(PlanResult.plan_id, func.count(Realisation.id))
                .join(PlanIndicator, PlanIndicator.result_id == PlanResult.id)
                .join(Realisation, Realisation.indicator_id == PlanIndicator.id)
                .where(PlanResult.plan_id.in_(plan_ids), Realisation.period_id == sub_period.id,
                       Realisation.value.is_not(None))
                .group_by(PlanResult.plan_id)).all())
    result = []
    for member in team:
        plan = by_employee.get(member.id)
        result.append(MemberProgress(member, plan, indicators.get(plan.id, 0) if plan else 0,
                                     realised.get(plan.id, 0) if plan else 0))
    return result


# --- the atasan -----------------------------------------------------------------------

@dataclass
class ObjectionRow:
    objection: Objection
    due_on: date
    overdue: bool


def objections_to_decide(employee: Employee, today: date) -> list[ObjectionRow]:
    rows = []
    for objection in db.session.scalars(objection_rules.to_decide_query(employee.id)).unique():
        due = objection_rules.decision_deadline(objection)
        rows.append(ObjectionRow(objection, due, today > due))
    return rows


# --- the admin ------------------------------------------------------------------------

@dataclass
class UnitProgress:
    unit: Unit
    employees: int = 0
    plans: dict[str, int] = field(default_factory=dict)
    evaluations_final: int = 0
    open_objections: int = 0

    @property
    def without_plan(self) -> int:
        return max(self.employees - sum(self.plans.values()), 0)

    def count(self, status: str) -> int:
        return self.plans.get(status, 0)


def unit_progress(units: list[Unit], year: int) -> list[UnitProgress]:
    """Per unit (by the employees' current positions): people, plans per
    status, final evaluations and open objections of ``year`` — four GROUP BY
    queries for the whole page."""
    ids = [u.id for u in units]
    rows = {u.id: UnitProgress(u) for u in units}
    if not ids:
        return []
    for unit_id, count in db.session.execute(
            select(Position.unit_id, func.count(Employee.id))
            .join(Employee, Employee.position_id == Position.id)
            .where(Employee.active, Position.unit_id.in_(ids)).group_by(Position.unit_id)):
        rows[unit_id].employees = count
    plan_scope = (select(Position.unit_id, Plan.status, func.count(Plan.id))
                  .select_from(Plan)
                  .join(Employee, Plan.employee_id == Employee.id)
                  .join(Position, Employee.position_id == Position.id)
                  .join(Period, Plan.period_id == Period.id)
                  .where(Period.year == year, Position.unit_id.in_(ids))
                  .group_by(Position.unit_id, Plan.status))
    for unit_id, status, count in db.session.execute(plan_scope):
        rows[unit_id].plans[PlanStatus(status).value] = count
    for unit_id, count in db.session.execute(
            select(Position.unit_id, func.count(distinct(Evaluation.id)))
            .select_from(Evaluation)
            .join(Plan, Evaluation.plan_id == Plan.id)
            .join(Employee, Plan.employee_id == Employee.id)
            .join(Position, Employee.position_id == Position.id)
            .join(Period, Evaluation.period_id == Period.id)
            .where(Evaluation.status == EvaluationStatus.FINAL, Period.year == year, Position.unit_id.in_(ids))
            .group_by(Position.unit_id)):
        rows[unit_id].evaluations_final = count
    for unit_id, count in db.session.execute(
            select(Position.unit_id, func.count(Objection.id))
            .select_from(Objection)
            .join(Evaluation, Objection.evaluation_id == Evaluation.id)
            .join(Plan, Evaluation.plan_id == Plan.id)
            .join(Employee, Plan.employee_id == Employee.id)
            .join(Position, Employee.position_id == Position.id)
            .where(Objection.status == ObjectionStatus.OPEN, Position.unit_id.in_(ids))
            .group_by(Position.unit_id)):
        rows[unit_id].open_objections = count
    return [rows[i] for i in ids]


# --- history across years ---------------------------------------------------------------

@dataclass
class HistoryYear:
    plan: Plan
    annual: Evaluation | None
    periodic: list[Evaluation]
    objections: dict[int, Objection]

    @property
    def final_predikat(self) -> str | None:
        """The year's predikat: the annual evaluation's, else the last period's."""
        if self.annual is not None:
            return self.annual.predikat_label
        return self.periodic[-1].predikat_label if self.periodic else None


def history(employee_id: int) -> list[HistoryYear]:
    """The employee's plans, newest year first, with their final evaluations (two queries)."""
    plans = list(db.session.scalars(
        select(Plan).options(joinedload(Plan.period))
        .join(Period, Plan.period_id == Period.id)
        .where(Plan.employee_id == employee_id).order_by(Period.year.desc())))
    if not plans:
        return []
    evaluations: dict[int, list[Evaluation]] = defaultdict(list)
    objections: dict[int, Objection] = {}
    for evaluation, objection in db.session.execute(
            select(Evaluation, Objection)
            .outerjoin(Objection, Objection.evaluation_id == Evaluation.id)
            .options(joinedload(Evaluation.period))
            .where(Evaluation.plan_id.in_([p.id for p in plans]), Evaluation.status == EvaluationStatus.FINAL)):
        evaluations[evaluation.plan_id].append(evaluation)
        if objection is not None:
            objections[evaluation.id] = objection
    years = []
    for plan in plans:
        found = sorted(evaluations.get(plan.id, []), key=lambda e: (e.period.starts_on, e.period.ends_on))
        annual = next((e for e in found if e.period_id == plan.period_id), None)
        periodic = [e for e in found if e.period_id != plan.period_id]
        years.append(HistoryYear(plan, annual, periodic, objections))
    return years
