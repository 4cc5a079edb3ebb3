"""The pejabat penilai's work list: plans waiting for agreement, evaluations
falling due, evidence to review and the team's progress.

The plans a penilai rates are their team's (``hierarchy.team_ids``: the
organisation chart) unless the admin assigned another penilai, and any plan
assigned to them. Every query here is a fixed one whatever the team's size
(aggregates use GROUP BY; related rows are loaded with joins).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.database import by_id
from app.extensions import db
from app.home.year import year_and_sub_period
from app.org.hierarchy import team_of
from app.org.models import Employee
from app.periods.models import Period, PeriodKind
from app.periods.services import periods_of_year
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.planning.models import Plan, PlanIndicator, PlanResult, PlanStatus
from app.skp.realisation.models import Evidence, EvidenceReview, Realisation

# A sub-period's evaluation shows as due this many days before the sub-period ends.
DUE_SOON_DAYS = 14
EVIDENCE_LIMIT = 50


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
    year_period: Period | None = None
    year_plans: list[Plan] = field(default_factory=list)  # the rated plans of the year (dashboard)

    @property
    def has_work(self) -> bool:
        return bool(self.team or self.plans_to_agree or self.evaluations_due or self.evidence)


def rated_by(penilai_id: int, team_ids: list[int]):
    """Plans this employee rates: the team's (org chart) and any assigned to them."""
    return or_(and_(Plan.employee_id.in_(team_ids or [-1]), Plan.assigned_penilai_id.is_(None)),
               Plan.assigned_penilai_id == penilai_id)


def penilai_work(employee: Employee, today: date, team: list[Employee] | None = None) -> PenilaiWork:
    team = team_of(employee, today) if team is None else team
    year_period, sub_period = year_and_sub_period(today)
    if not team and not _assigned_any(employee.id):  # most employees rate nobody: one query, not three
        return PenilaiWork(today.year, sub_period, [], [], [], [], 0, [], year_period, [])
    rated = rated_by(employee.id, [e.id for e in team])
    # The plans waiting for agreement (any year) and the year's rated plans, in one statement.
    wanted = Plan.status == PlanStatus.SUBMITTED
    if year_period is not None:
        wanted = or_(wanted, Plan.period_id == year_period.id)
    plans = list(db.session.scalars(
        select(Plan).options(joinedload(Plan.employee), joinedload(Plan.period))
        .where(wanted, rated, Plan.employee_id != employee.id)))
    plans_to_agree = sorted((p for p in plans if p.status is PlanStatus.SUBMITTED),
                            key=lambda p: (p.submitted_at is None, p.submitted_at.timestamp() if p.submitted_at else 0.0, p.id))
    year_plans = [p for p in plans if year_period is not None and p.period_id == year_period.id]
    evidence, evidence_total = _evidence_to_review(rated, employee.id)
    return PenilaiWork(today.year, sub_period, team, plans_to_agree,
                       _evaluations_due(year_period, year_plans, today), evidence, evidence_total,
                       _progress(team, year_plans, sub_period), year_period, year_plans)


def _assigned_any(penilai_id: int) -> bool:
    """Whether an admin assigned any plan to this employee to rate."""
    return db.session.scalar(select(exists().where(Plan.assigned_penilai_id == penilai_id)))


def _evaluations_due(year_period: Period | None, plans: list[Plan], today: date) -> list[DueEvaluation]:
    agreed = [p for p in plans if p.status is PlanStatus.AGREED]
    if year_period is None or not agreed:
        return []
    periods = [p for p in periods_of_year(year_period.year) if p.parent_id == year_period.id]  # by start
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
    """The oldest pending evidence (at most EVIDENCE_LIMIT) and how many are pending, in one statement:
    the realisation and indicator come from the query's own joins (few joins keep PostgreSQL's
    planning short: each extra joined table multiplies the orders it weighs)."""
    rows = db.session.execute(
        select(Evidence, Plan, func.count().over())
        .join(Realisation, Evidence.realisation_id == Realisation.id)
        .join(PlanIndicator, Realisation.indicator_id == PlanIndicator.id)
        .join(PlanResult, PlanIndicator.result_id == PlanResult.id)
        .join(Plan, PlanResult.plan_id == Plan.id)
        .where(Evidence.review == EvidenceReview.PENDING, rated, Plan.employee_id != penilai_id)
        .options(contains_eager(Evidence.realisation).contains_eager(Realisation.indicator))
        .order_by(Evidence.uploaded_at, Evidence.id).limit(EVIDENCE_LIMIT)).all()
    # Their people and periods are mostly the work list's own (its plans, the running year):
    # only the others are asked for.
    people = by_id(Employee, (plan.employee_id for _evidence, plan, _total in rows))
    periods = by_id(Period, (evidence.realisation.period_id for evidence, _plan, _total in rows))
    for evidence, plan, _total in rows:
        set_committed_value(plan, "employee", people[plan.employee_id])
        set_committed_value(evidence.realisation, "period", periods[evidence.realisation.period_id])
    return [(evidence, plan) for evidence, plan, _total in rows], rows[0][2] if rows else 0


def _progress(team: list[Employee], plans: list[Plan], sub_period: Period | None) -> list[MemberProgress]:
    by_employee = {p.employee_id: p for p in plans}
    plan_ids = [p.id for p in plans]
    indicators: dict[int, int] = {}
    realised: dict[int, int] = {}
    if plan_ids:  # both counts in one statement: a realisation of the sub-period joins its indicator
        in_period = Realisation.period_id == sub_period.id if sub_period is not None else false()
        for plan_id, indicator_count, realised_count in db.session.execute(
                select(PlanResult.plan_id, func.count(PlanIndicator.id), func.count(Realisation.id))
                .join(PlanIndicator, PlanIndicator.result_id == PlanResult.id)
                .outerjoin(Realisation, and_(Realisation.indicator_id == PlanIndicator.id,
                                             in_period, Realisation.value.is_not(None)))
                .where(PlanResult.plan_id.in_(plan_ids)).group_by(PlanResult.plan_id)):
            indicators[plan_id], realised[plan_id] = indicator_count, realised_count
    result = []
    for member in team:
        plan = by_employee.get(member.id)
        result.append(MemberProgress(member, plan, indicators.get(plan.id, 0) if plan else 0,
                                     realised.get(plan.id, 0) if plan else 0))
    return result
