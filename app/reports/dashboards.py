"""The figures behind the role dashboards on the home page.

Every function runs a fixed number of statements whatever the number of
employees or units (GROUP BY, or one SELECT over the rows it summarises);
tenant scoping comes from the ORM. Where a BKPSDM recap shows the same figure
(plan status per OPD, the curve check per unit, IKM per unit) the dashboard
reads the recap's rows, so the screen and the download agree.

- admin instansi: :func:`opd_progress`, :func:`curve_compliance`,
  :func:`ikm_bands`, :func:`complaint_summary`;
- pejabat penilai: :func:`team_summary` over the plans they rate;
- pegawai: :func:`own_results`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.org.models import Employee, Position
from app.periods.models import Period, PeriodKind
from app.periods.services import periods_of_year
from app.publik.ikm import BANDS
from app.publik.models import Complaint, ComplaintStatus
from app.publik.periods import ReportingPeriod
from app.publik.surveys import ikm_by_unit
from app.publik.transparency import predikat_labels
from app.reports.recaps import RecapFilter
from app.reports.recaps_skp import PLAN_ORDER, PredikatRecap, status_rows
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.planning.models import Plan, PlanStatus

# An open complaint without a public response this many calendar days after it
# was received counts as overdue on the dashboard.
COMPLAINT_RESPONSE_DAYS = 5


def predikat_levels() -> list[tuple[str, str]]:
    """(code, label) of the tenant's predikat, worst first (the x axis of the kurva distribusi)."""
    return list(reversed(predikat_labels()))


# --- admin instansi ----------------------------------------------------------------------------------

@dataclass
class OpdProgress:
    name: str
    employees: int
    plans: dict[PlanStatus, int]
    without_plan: int
    evaluations: dict[EvaluationStatus, int] = field(default_factory=dict)

    def plan_count(self, status: str) -> int:
        return self.plans.get(PlanStatus(status), 0)

    def evaluation_count(self, status: str) -> int:
        return self.evaluations.get(EvaluationStatus(status), 0)

    @property
    def not_evaluated(self) -> int:
        return max(self.employees - sum(self.evaluations.values()), 0)


def opd_progress(flt: RecapFilter) -> list[OpdProgress]:
    """Per OPD: active employees, their plans of the year per status (the "status SKP" recap's
    rows) and their evaluations of the chosen period, draft and final (one more GROUP BY)."""
    rows: dict[str, OpdProgress] = {}
    # status_rows: No, OPD, employees, *PLAN_ORDER, without a plan, % agreed.
    for row in status_rows(flt):
        name, employees = row[1], row[2]
        plans = dict(zip(PLAN_ORDER, row[3:3 + len(PLAN_ORDER)], strict=True))
        rows[name] = OpdProgress(name, employees, plans, row[3 + len(PLAN_ORDER)])
    counts: dict[str, Counter] = defaultdict(Counter)
    query = (select(Position.unit_id, Evaluation.status, func.count(Evaluation.id))
             .select_from(Evaluation)
             .join(Plan, Evaluation.plan_id == Plan.id)
             .join(Employee, Plan.employee_id == Employee.id)
             .outerjoin(Position, Employee.position_id == Position.id)
             .where(Evaluation.period_id == flt.period.id, Employee.active)
             .group_by(Position.unit_id, Evaluation.status))
    clause = flt.unit_clause(Position.unit_id)
    if clause is not None:
        query = query.where(clause)
    for unit_id, status, n in db.session.execute(query):
        group = unit_id if flt.unit is not None else flt.tree.opd_of(unit_id)
        counts[flt.tree.name(group)][EvaluationStatus(status)] += n
    for name, by_status in counts.items():
        rows.setdefault(name, OpdProgress(name, 0, {}, 0)).evaluations = dict(by_status)
    return sorted(rows.values(), key=lambda r: r.name.lower())


@dataclass
class UnitCurve:
    opd: str
    unit: str
    rated: int
    ok: bool | None  # None: no rated evaluation yet
    notes: str


def curve_compliance(flt: RecapFilter) -> list[UnitCurve]:
    """Per unit: does its predikat spread fit the curve its organisation predikat allows
    (``tenant_rules().distribution_check``)? The rows of the "predikat" recap."""
    return [UnitCurve(u.opd, u.unit, u.rated, u.ok, u.notes) for u in PredikatRecap(flt).units()]


def ikm_bands(period: Period) -> tuple[Counter, int, ReportingPeriod]:
    """Units per IKM quality band (A–D) for the period's dates, and how many respondents in all
    (``ikm_by_unit``: one GROUP BY)."""
    reporting = ReportingPeriod.of(period)
    results = ikm_by_unit(reporting)
    bands = Counter({band.code: 0 for band in BANDS})
    for result in results.values():
        bands[result.band.code] += 1
    return bands, sum(r.respondents for r in results.values()), reporting


@dataclass(frozen=True)
class ComplaintSummary:
    open_by_status: dict[ComplaintStatus, int]
    overdue: int
    response_days: int = COMPLAINT_RESPONSE_DAYS

    @property
    def open(self) -> int:
        return sum(self.open_by_status.values())


def complaint_summary(today: date) -> ComplaintSummary:
    """Open complaints per status, and those still without a public response
    ``COMPLAINT_RESPONSE_DAYS`` after they were received (two statements)."""
    open_statuses = [s for s in ComplaintStatus if s.is_open]
    by_status = {ComplaintStatus(s): n for s, n in db.session.execute(
        select(Complaint.status, func.count(Complaint.id)).where(Complaint.status.in_(open_statuses))
        .group_by(Complaint.status))}
    overdue = db.session.scalar(
        select(func.count(Complaint.id)).where(
            Complaint.status.in_(open_statuses), Complaint.first_response_at.is_(None),
            Complaint.received_on < today - timedelta(days=COMPLAINT_RESPONSE_DAYS))) or 0
    return ComplaintSummary({s: by_status.get(s, 0) for s in open_statuses}, overdue)


# --- pejabat penilai -----------------------------------------------------------------------------------

@dataclass
class TeamSummary:
    plans: dict[PlanStatus | None, int]  # None: team members without a plan
    period: Period | None  # the latest period of the year with an evaluation
    evaluations: dict[EvaluationStatus, int]  # of ``period``
    rated_period: Period | None  # the latest period of the year with a predikat
    predikat: Counter  # predikat code → evaluations (draft and final) of ``rated_period``
    labels: dict[str, str]  # predikat code → label as stored

    @property
    def final(self) -> int:
        return self.evaluations.get(EvaluationStatus.FINAL, 0)

    @property
    def draft(self) -> int:
        return self.evaluations.get(EvaluationStatus.DRAFT, 0)


def team_summary(plans: list[Plan], team_ids: list[int], year: Period | None) -> TeamSummary:
    """The penilai's rated ``plans`` of the year (already loaded by the work list) per status,
    team members without one; the evaluations per status of the latest period of the year that
    has any, and the predikat spread of the latest that has a predikat (one statement)."""
    by_status: Counter = Counter(p.status for p in plans)
    planned = {p.employee_id for p in plans}
    by_status[None] = sum(1 for e in team_ids if e not in planned)
    empty = TeamSummary(dict(by_status), None, {}, None, Counter(), {})
    if year is None or not plans:
        return empty
    rows = db.session.execute(
        select(Evaluation.period_id, Evaluation.status, Evaluation.predikat_code,
               func.max(Evaluation.predikat_label), func.count(Evaluation.id))
        .join(Period, Evaluation.period_id == Period.id)
        .where(Evaluation.plan_id.in_([p.id for p in plans]),
               (Period.parent_id == year.id) | (Period.id == year.id))
        .group_by(Evaluation.period_id, Evaluation.status, Evaluation.predikat_code)).all()
    if not rows:
        return empty
    periods = {p.id: p for p in periods_of_year(year.year)}  # the rows' periods: the year's

    def newest(ids) -> Period:
        return max((periods.get(i) or db.session.get(Period, i) for i in ids),
                   key=lambda p: (p.ends_on, p.kind is PeriodKind.YEAR))

    latest = newest({r[0] for r in rows})
    rated = {r[0] for r in rows if r[2]}
    rated_period = newest(rated) if rated else None
    evaluations: Counter = Counter()
    predikat: Counter = Counter()
    labels: dict[str, str] = {}
    for period_id, status, code, label, n in rows:
        if period_id == latest.id:
            evaluations[EvaluationStatus(status)] += n
        if code and rated_period is not None and period_id == rated_period.id:
            predikat[code] += n
            labels[code] = label or code
    return TeamSummary(dict(by_status), latest, dict(evaluations), rated_period, predikat, labels)


# --- pegawai ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OwnResult:
    period_label: str
    year: int
    annual: bool
    predikat_code: str | None
    predikat_label: str | None
    score: float | None


def own_results(employee_id: int) -> list[OwnResult]:
    """The employee's final evaluations across years, oldest first (one statement)."""
    rows = db.session.execute(
        select(Period, Evaluation.predikat_code, Evaluation.predikat_label, Evaluation.score)
        .select_from(Evaluation)
        .join(Plan, Evaluation.plan_id == Plan.id)
        .join(Period, Evaluation.period_id == Period.id)
        .where(Plan.employee_id == employee_id, Evaluation.status == EvaluationStatus.FINAL)
        .order_by(Period.ends_on, Period.kind == PeriodKind.YEAR, Period.starts_on))
    return [OwnResult(period.label, period.year, period.kind is PeriodKind.YEAR, code, label,
                      float(score) if score is not None else None)
            for period, code, label, score in rows]
