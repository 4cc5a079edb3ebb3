"""A year in progress for one tenant: the appraisal cycle, seeded through the services.

``seed_cycle(tenant, today)`` builds, for the tenant's organisation (made by
``seed.py``), what a new user should find on the first visit:

* an account for every employee (no password: only the four demo accounts
  sign in) — every transition is taken by the person the rules name, so
  each employee who writes a plan needs an account;
* plans of the current year in every state across the organisation (draft,
  submitted, returned with notes, agreed, and a few employees without one);
* the demo chain — ``atasan`` → ``penilai`` → the penilai's team with
  ``pegawai`` — worked through the sub-periods that have passed: plans
  agreed (the team's RHK support the penilai's), realisations, evidence
  links (most reviewed, some waiting), dialog kinerja messages, recorded
  face-to-face sessions, evaluations computed and finalised with the
  region's rule set (360° peer ratings where the rule set asks for them),
  training recommendations from them against a small catalogue (one
  enrolled, one completed), one open objection waiting for the atasan, and
  one evaluation left in draft so the penilai has something to finish; the
  atasan likewise rates the section heads up to the period before the
  latest;
* for the citizens' side: survey responses for the service units (IKM),
  complaints in every state, one about a team member found substantiated
  (in Salor this creates the rule set's follow-ups and, at finalisation, its
  training recommendation), and the last finished quarter's IKM and
  complaint figures published on the transparency page.

Which year carries the history: the current year when at least one of its
sub-periods has ended before ``today``; otherwise (early in the year) the
previous year is opened and worked through to its end, and the current year
holds only plans (the demo pegawai's copied from last year).

Everything goes through the services (``app.skp.*``, ``app.publik.*``),
acting as the right account (``audit.acting_as``) inside a request context
bound to the tenant, so links in notifications resolve and the audit trail
names who did what. The only direct writes are the timestamps of citizen
submissions (``received_at``/``first_response_at``/``closed_at`` of a
complaint): the services stamp "now", and a complaint received weeks ago
should not show as handled in seconds. A survey respondent's address is set
per respondent so the public forms' abuse limits treat them as different
people, as they are.

Random choices come from a generator seeded with the tenant slug; dates are
relative to ``today``, so the same tenant on the same day gets the same data.
"""

from __future__ import annotations

import dataclasses
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app, g, request
from sqlalchemy import func, select

from app import audit
from app.auth.accounts import UserData, save_user
from app.auth.models import User
from app.demo import texts
from app.extensions import db
from app.notifications import inbox_query, mark_read
from app.notifications.models import Notification
from app.org import hierarchy
from app.org.models import Employee, Unit, UnitKind
from app.periods.models import Period
from app.periods.services import open_year, set_dates, year_period
from app.publik import complaints as complaint_service
from app.publik import surveys, transparency
from app.publik.models import (
    Complaint,
    ComplaintStatus,
    FollowUpItem,
    PublicationKind,
    SurveyResponse,
)
from app.regions.inputs import EvaluationInput
from app.regions.inputs import FeedbackSession as SessionInput
from app.regions.manager import RuleSetRuntime, regions
from app.regions.types import Direction, Expectation, Indicator, MatrixScheme, NumericScheme
from app.skp.evaluation import services as evaluations
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.feedback import services as feedback
from app.skp.objections import services as objections
from app.skp.objections.models import Objection
from app.skp.planning import services as planning
from app.skp.planning.access import penilai_of
from app.skp.planning.indicators import accumulates
from app.skp.planning.models import Plan, PlanIndicator, PlanResult, PlanStatus, ResultKind
from app.skp.realisation import evidence as evidence_service
from app.skp.realisation import services as realisation
from app.skp.realisation.models import Evidence, EvidenceReview, Realisation
from app.skp.training import services as training
from app.skp.training.models import TrainingRecord, TrainingStatus
from app.tenancy import TenantRef, tenant_scope
from app.tenancy.models import Tenant

# Share of the organisation (outside the demo chain) in each plan state.
STATE_WEIGHTS = (("agreed", 55), ("submitted", 15), ("returned", 10), ("draft", 12), ("none", 8))
# Unit kinds citizens are served by (survey and complaint targets).
SERVICE_KINDS = {UnitKind.DINAS, UnitKind.BADAN, UnitKind.KANTOR, UnitKind.KECAMATAN, UnitKind.KELURAHAN,
                 UnitKind.PUSKESMAS, UnitKind.RSUD, UnitKind.SEKOLAH}
SURVEYS_PER_QUARTER = (6, 14)  # enough per unit that the public page shows the IKM (threshold 5)
UNREAD_KEPT = 4  # per account, the newest notifications stay unread


class CycleSeedError(RuntimeError):
    """A service refused a step of the demo year: the demo contradicts the rules."""


@dataclass
class CycleReport:
    history_year: int = 0
    plans: Counter = field(default_factory=Counter)
    realisations: int = 0
    evidence: int = 0
    finals: int = 0
    objections: int = 0
    training: int = 0
    notifications: int = 0
    surveys: int = 0
    complaints: int = 0
    follow_ups: int = 0

    def line(self) -> str:
        states = ", ".join(f"{n} {s}" for s, n in sorted(self.plans.items()))
        return (f"year {self.history_year} worked through: plans ({states}), {self.realisations} realisations, "
                f"{self.evidence} evidence, {self.finals} final evaluations, {self.objections} open objection, "
                f"{self.training} training records, {self.notifications} notifications, "
                f"{self.surveys} survey responses, {self.complaints} complaints, {self.follow_ups} follow-ups")


def cycle_seeded() -> bool:
    """Has the current tenant a year in progress already (any plan)?"""
    return db.session.scalar(select(func.count(Plan.id))) > 0


@contextmanager
def tenant_request(ref: TenantRef) -> Iterator[None]:
    """A request bound to the tenant (links resolve, ``g.tenant`` is set), run as the tenant.

    The request context is the outer one: popping a request resets the
    tenant scope (``teardown_request``), so the scope must end first."""
    request_context = current_app.test_request_context(f"/{ref.slug}/",
                                                       environ_base={"REMOTE_ADDR": "127.0.0.1"})
    with request_context, tenant_scope(ref):
        g.tenant = db.session.get(Tenant, ref.id)
        try:
            yield
        finally:
            g.pop("tenant", None)
            g.pop("_login_user", None)


def seed_cycle(today: date, rng: random.Random) -> CycleReport:
    """Seed the current tenant's year in progress (inside ``tenant_request``); the caller commits."""
    return _Cycle(g.tenant, today, rng).run()


# --- the people ---------------------------------------------------------------------------

def username_for(name: str, taken: set[str]) -> str:
    """``budi.santoso`` from "Drs. Budi Santoso, M.Si." (titles dropped), unique in ``taken``."""
    words = []
    for word in name.split(",")[0].split():
        if word.endswith("."):
            continue  # dr., Drs., Ir., H.
        plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
        plain = re.sub(r"[^a-z]", "", plain)
        if plain:
            words.append(plain)
    base = ".".join([words[0], words[-1]] if len(words) > 1 else words or ["pegawai"])[:70]
    candidate, number = base, 1
    while candidate in taken or len(candidate) < 3:
        number += 1
        candidate = f"{base}{number}"
    taken.add(candidate)
    return candidate


@dataclass
class _Member:
    """One person of the demo team and the part they play."""

    employee: Employee
    user: User
    role: str  # pegawai | objector | draft | submitted
    factor: float  # how well they perform (1.0: on target)
    plan: Plan | None = None


# --- the year -----------------------------------------------------------------------------

class _Cycle:
    def __init__(self, tenant: Tenant, today: date, rng: random.Random) -> None:
        self.tenant = tenant
        self.today = today
        self.rng = rng
        self.runtime: RuleSetRuntime = regions().for_tenant(tenant)
        self.rule_set = self.runtime.rule_set
        self.report = CycleReport()
        self.users: dict[int, User] = {}
        self.admin: User | None = None

    # -- driver --

    def run(self) -> CycleReport:
        self._accounts()
        current, history, passed = self._years()
        self.report.history_year = history.year
        self._catalogue()
        chain = self._chain()
        self._surveys(date(history.year, 1, 1))
        self._complaints(chain, passed)
        if history.id == current.id:
            self._demo_plans(chain, history)
            self._organisation_plans(current, skip={e.id for e in chain["all"]},
                                     agreed={e.id for e in hierarchy.direct_reports(chain["atasan"])})
        else:
            # Last year, worked through to its end; this year: plans only.
            self._demo_plans(chain, history)
            self._demo_plans_this_year(chain, current)
            self._organisation_plans(current, skip={e.id for e in chain["all"]})
        self._work_through(chain, history, passed)
        self._work_through_heads(chain, history, passed)
        self._objection(chain, passed)
        self._training_progress(chain)
        self._publications()
        self._notifications_read()
        self._count()
        return self.report

    def _count(self) -> None:
        scalar = db.session.scalar
        self.report.plans = Counter({str(s): n for s, n in db.session.execute(
            select(Plan.status, func.count(Plan.id)).join(Period, Plan.period_id == Period.id)
            .where(Period.year == self.today.year).group_by(Plan.status)).all()})
        self.report.finals = scalar(select(func.count(Evaluation.id)).where(
            Evaluation.status == EvaluationStatus.FINAL))
        self.report.training = scalar(select(func.count(TrainingRecord.id)))
        self.report.notifications = scalar(select(func.count(Notification.id)))
        self.report.objections = scalar(select(func.count(Objection.id)))
        self.report.complaints = scalar(select(func.count(Complaint.id)))
        self.report.surveys = scalar(select(func.count(SurveyResponse.id)))
        self.report.follow_ups = scalar(select(func.count(FollowUpItem.id)))

    # -- accounts --

    def _accounts(self) -> None:
        """One account per active employee; the demo accounts keep theirs."""
        users = list(db.session.scalars(select(User)))
        taken = {u.username for u in users}
        self.users = {u.employee_id: u for u in users if u.employee_id is not None and u.active}
        self.admin = next(u for u in users if u.username == "admin")
        with audit.acting_as(self.admin):
            for employee in db.session.scalars(select(Employee).where(Employee.active).order_by(Employee.id)):
                if employee.id not in self.users:
                    self.users[employee.id] = save_user(UserData(username_for(employee.name, taken), employee.nip))

    def user(self, employee: Employee) -> User:
        return self.users[employee.id]

    # -- periods --

    def _years(self) -> tuple[Period, Period, list[Period]]:
        """(this year, the year worked through, its sub-periods that have ended)."""
        scheme = self.rule_set.period_scheme
        current = year_period(self.today.year) or open_year(self.today.year, scheme)
        passed = [p for p in self._subs(current) if p.ends_on < self.today]
        history = current
        if not passed:
            history = open_year(self.today.year - 1, scheme)
            passed = self._subs(history)
        with audit.acting_as(self.admin):
            for year in {current.id: current, history.id: history}.values():
                set_dates(year, year.plans_lock_on, year.evaluation_due_on or date(year.year + 1, 1, 31),
                          reason="Jadwal penilaian tahunan")
        return current, history, passed

    @staticmethod
    def _subs(year: Period) -> list[Period]:
        children = sorted(year.children, key=lambda p: p.starts_on)
        return children or [year]

    # -- training catalogue --

    def _catalogue(self) -> None:
        short = self.tenant.name.replace("Pemerintah ", "")
        topics = [(rule.code, rule.name) for rule in self.rule_set.training]
        topics += list(texts.EXTRA_COURSES.get(self.rule_set.code, ()))
        with audit.acting_as(self.admin):
            for number, (code, name) in enumerate(topics, start=1):
                provider = self.rng.choice(texts.PROVIDERS).format(tenant=short)
                training.save_course(self.admin, training.CourseData(
                    f"DIKLAT-{number:02d}", name, provider, float(self.rng.choice((8, 12, 16, 20, 24))), [code]))

    # -- the demo chain --

    def _account_employee(self, username: str) -> Employee:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None or user.employee is None:
            raise CycleSeedError(f"demo account {username} is missing or has no employee")
        return user.employee

    def _chain(self) -> dict:
        pegawai = self._account_employee("pegawai")
        penilai = self._account_employee("penilai")
        atasan = self._account_employee("atasan")
        others = sorted((e for e in hierarchy.direct_reports(penilai) if e.id != pegawai.id), key=lambda e: e.id)
        roles = ["objector", "draft", "submitted"] if len(others) >= 3 else ["objector", "submitted"]
        team = [_Member(pegawai, self.user(pegawai), "pegawai", 1.03)]
        for employee, role in zip(others, roles, strict=False):
            factor = {"objector": 0.88, "draft": 1.0}.get(role, 1.0) + self.rng.uniform(-0.02, 0.02)
            team.append(_Member(employee, self.user(employee), role, factor))
        for employee in others[len(roles):]:
            team.append(_Member(employee, self.user(employee), "agreed", 1.0 + self.rng.uniform(-0.05, 0.05)))
        kadis = hierarchy.supervisor_of(atasan)
        return {"pegawai": pegawai, "penilai": penilai, "atasan": atasan, "kadis": kadis, "team": team,
                "all": [pegawai, penilai, atasan, *others]}

    # -- plans --

    def _ranked_library(self, employee: Employee) -> list[Indicator]:
        """The region's indicators for the employee's unit: its sector's first,
        then region-specific ones, then the national general ones."""
        unit = employee.position.unit if employee.position is not None else None
        own, _rest = planning.library_for(unit, self.rule_set)
        return sorted(own, key=lambda i: (i.sector == "umum", i.code.startswith("UMUM-")))

    def _target(self, indicator: Indicator, scale: bool) -> tuple[float, float]:
        target = indicator.target
        lower, upper = (target.lower, target.upper) if target is not None else (100.0, 100.0)
        if scale and accumulates(indicator.aspect.value, indicator.unit) and lower == upper:
            value = lower * self.rng.choice((0.8, 1.0, 1.0, 1.2))
            step = 10 if value >= 100 else 1
            lower = upper = max(step, round(value / step) * step)
        return float(lower), float(upper)

    def _contents(self, employee: Employee, demo: bool) -> list[tuple[ResultKind, str, Indicator]]:
        ranked = self._ranked_library(employee)
        if demo:
            chosen = ranked[:3]
            if not any(_is_range_or_lower(i) for i in chosen):
                chosen.append(next(i for i in ranked if _is_range_or_lower(i)))
        else:
            chosen = ranked[:1] + self.rng.sample(ranked[1:], k=min(1, len(ranked[1:])))
        rows = [(ResultKind.UTAMA, texts.RHK_FOR_INDICATOR.get(i.code, f"Tercapainya {i.name[0].lower()}{i.name[1:]}"),
                 i) for i in chosen]
        extra = [i for i in ranked if i not in chosen and i.code.startswith("UMUM-")]
        if demo and extra:
            rows.append((ResultKind.TAMBAHAN, self.rng.choice(texts.TAMBAHAN_RHK), extra[0]))
        return rows

    def _write(self, employee: Employee, year: Period, *, demo: bool = False, supports: Plan | None = None,
               copy: bool = False, empty: bool = False) -> Plan:
        owner = self.user(employee)
        with audit.acting_as(owner):
            plan = planning.create_plan(owner, year, copy_last_year=copy)
            if not copy and not empty:
                parents = [r.id for r in supports.results if r.kind is ResultKind.UTAMA] if supports else []
                for index, (kind, description, indicator) in enumerate(self._contents(employee, demo)):
                    link = parents[index % len(parents)] if parents and kind is ResultKind.UTAMA else None
                    result = planning.add_result(owner, plan, None, planning.ResultData(kind.value, description, link))
                    lower, upper = self._target(indicator, scale=not demo)
                    planning.add_indicator(owner, result, None, planning.IndicatorData(
                        indicator.code, "", "", "", "", lower, upper))
            if demo:
                planning.update_attachments(owner, plan, None, texts.RESOURCES, texts.ACCOUNTABILITY,
                                            texts.CONSEQUENCES)
        return plan

    def _reviewer(self, plan: Plan) -> User:
        penilai = penilai_of(plan)
        if penilai is None:
            raise CycleSeedError(f"plan #{plan.id} has no pejabat penilai")
        return self.user(penilai)

    def _move(self, plan: Plan, state: str, expectations: dict[int, str] | None = None) -> None:
        """Take a written plan to ``state`` through submit / agree / return."""
        if state in ("draft", "none"):
            return
        owner = self.user(plan.employee)
        with audit.acting_as(owner):
            planning.submit(owner, plan, None)
        if state == "submitted":
            return
        reviewer = self._reviewer(plan)
        with audit.acting_as(reviewer):
            if state == "agreed":
                planning.agree(reviewer, plan, None, expectations or {})
            elif state == "returned":
                planning.return_plan(reviewer, plan, None, self.rng.choice(texts.RETURN_NOTES), {})
            else:
                raise CycleSeedError(f"unknown plan state {state}")

    def _expectations(self, plan: Plan) -> dict[int, str]:
        return {b.id: texts.EXPECTATIONS[b.behaviour_code] for b in plan.behaviours
                if b.behaviour_code in texts.EXPECTATIONS}

    def _demo_plans(self, chain: dict, year: Period) -> None:
        """The atasan's and penilai's plans agreed, then the team's (supporting the penilai's RHK)."""
        atasan_plan = self._write(chain["atasan"], year)
        self._move(atasan_plan, "agreed" if chain["kadis"] is not None else "submitted")
        penilai_plan = self._write(chain["penilai"], year, supports=atasan_plan)
        self._move(penilai_plan, "agreed")
        for member in chain["team"]:
            demo = member.role == "pegawai"
            plan = self._write(member.employee, year, demo=demo, supports=penilai_plan)
            state = "submitted" if member.role == "submitted" and year.year == self.today.year else "agreed"
            self._move(plan, state, self._expectations(plan) if demo else None)
            member.plan = plan

    def _demo_plans_this_year(self, chain: dict, year: Period) -> None:
        """Early in the year: this year's plans of the demo chain; the pegawai copies last year's."""
        atasan_plan = self._write(chain["atasan"], year)
        self._move(atasan_plan, "agreed" if chain["kadis"] is not None else "submitted")
        penilai_plan = self._write(chain["penilai"], year)
        self._move(penilai_plan, "agreed")
        for member in chain["team"]:
            demo = member.role == "pegawai"
            plan = self._write(member.employee, year, demo=demo, copy=demo)
            state = {"pegawai": "agreed", "submitted": "submitted", "objector": "returned"}.get(member.role, "draft")
            self._move(plan, state, self._expectations(plan) if demo else None)

    def _organisation_plans(self, year: Period, skip: set[int], agreed: set[int] = frozenset()) -> None:
        """Everyone else: a plan in a state drawn by weight (``agreed``: agreed);
        every state at least once."""
        people = [e for e in db.session.scalars(select(Employee).where(Employee.active).order_by(Employee.id))
                  if e.id not in skip]
        states, weights = zip(*STATE_WEIGHTS, strict=True)
        drawn = [self.rng.choices(states, weights)[0] for _ in people]
        drawn = ["agreed" if e.id in agreed else state for e, state in zip(people, drawn, strict=True)]
        has_boss = [hierarchy.supervisor_of(e) is not None for e in people]
        for state in ("returned", "draft", "submitted"):
            if state not in drawn:
                index = next(i for i, ok in enumerate(has_boss) if ok and drawn[i] == "agreed")
                drawn[index] = state
        for employee, state, ok in zip(people, drawn, has_boss, strict=True):
            if state == "none":
                continue
            if not ok:
                state = "draft"  # the top of the organisation has no pejabat penilai
            plan = self._write(employee, year, empty=state == "draft" and self.rng.random() < 0.4)
            self._move(plan, state)

    # -- the sub-periods that have passed --

    def _work_through(self, chain: dict, year: Period, passed: list[Period]) -> None:
        members = [m for m in chain["team"] if m.plan is not None and m.plan.status is PlanStatus.AGREED]
        penilai_user = self.user(chain["penilai"])
        atasan_user = self.user(chain["atasan"])
        pegawai = next(m for m in members if m.role == "pegawai")
        needs_sessions = self._sessions_required()
        for index, period in enumerate(passed):
            last = index == len(passed) - 1
            for member in members:
                open_draft = last and member.role == "draft"
                self._realise(member, period, many_evidence=member.role == "pegawai" and index >= len(passed) - 2)
                if not open_draft:
                    self._review(member, period, penilai_user, reject_one=member.role == "pegawai" and index == 0)
                if needs_sessions or (member.role == "pegawai" and index % 2 == len(passed) % 2):
                    self._session(member, period, penilai_user)
            if index == len(passed) - 2 or (len(passed) == 1 and last):
                self._dialog(pegawai, period, penilai_user, atasan_user)
            for member in members:
                self._evaluate(member, period, members, penilai_user, last)

    def _work_through_heads(self, chain: dict, year: Period, passed: list[Period]) -> None:
        """The atasan's own team (the penilai and the other section heads with an
        agreed plan): realised and rated up to the period before the latest,
        which is left for the atasan. Without a peer to rate them where the rule
        set needs 360°, their evaluations stay drafts."""
        atasan_user = self.user(chain["atasan"])
        plans = {p.employee_id: p for p in db.session.scalars(select(Plan).where(
            Plan.period_id == year.id, Plan.status == PlanStatus.AGREED))}
        heads = [_Member(e, self.user(e), "head", 1.0 + self.rng.uniform(-0.04, 0.05), plans[e.id])
                 for e in sorted(hierarchy.direct_reports(chain["atasan"]), key=lambda e: e.id) if e.id in plans]
        needs_sessions = self._sessions_required()
        can_finalise = len(heads) > 1 or not evaluations.uses_360(self.runtime)
        for period in passed[:-1]:
            for member in heads:
                self._realise(member, period, many_evidence=False)
                self._review(member, period, atasan_user, reject_one=False)
                if needs_sessions:
                    self._session(member, period, atasan_user)
            for member in heads:
                self._evaluate(member, period, heads, atasan_user, last=False, finalise=can_finalise)

    def _sessions_required(self) -> bool:
        """Does the rule set block an evaluation without a face-to-face session? (Asked, not assumed.)"""
        bare = EvaluationInput("demo", "demo")
        held = dataclasses.replace(bare, feedback_sessions=(SessionInput(self.today, True, "demo"),))
        return len(self.runtime.evaluation_blockers(held)) < len(self.runtime.evaluation_blockers(bare))

    def _realise(self, member: _Member, period: Period, many_evidence: bool) -> None:
        user = member.user
        n = len(self._subs(member.plan.period))
        indicators = [i for r in member.plan.results for i in r.indicators]
        with audit.acting_as(user):
            for position, indicator in enumerate(indicators):
                value = _value(indicator, n, member.factor * self.rng.uniform(0.97, 1.03))
                realisation.save(user, member.plan, indicator, period,
                                 realisation.RealisationData(value, None, None))
                self.report.realisations += 1
                if many_evidence or position == 0:
                    title = self.rng.choice(texts.EVIDENCE_TITLES).format(period=period.label)
                    url = (f"https://e-arsip.{self.tenant.slug}.example/kinerja/{period.year}/"
                           f"{member.employee.id}-{indicator.id}-{period.sequence}.pdf")
                    evidence_service.add_link(user, member.plan, indicator, period, url, title)
                    self.report.evidence += 1

    def _review(self, member: _Member, period: Period, penilai_user: User, reject_one: bool) -> None:
        items = list(db.session.scalars(
            select(Evidence).join(Realisation, Evidence.realisation_id == Realisation.id)
            .join(PlanIndicator, Realisation.indicator_id == PlanIndicator.id)
            .join(PlanResult, PlanIndicator.result_id == PlanResult.id)
            .where(Evidence.review == EvidenceReview.PENDING, Realisation.period_id == period.id,
                   PlanResult.plan_id == member.plan.id)
            .order_by(Evidence.id)))
        with audit.acting_as(penilai_user):
            for number, item in enumerate(items):
                rejected = reject_one and number == 0
                evidence_service.review(penilai_user, member.plan, item, not rejected,
                                        texts.REJECTION_NOTE if rejected else None)
        if reject_one and items:
            # The pegawai sends the signed version; the penilai accepts it.
            first = items[0].realisation
            with audit.acting_as(member.user):
                again = evidence_service.add_link(
                    member.user, member.plan, first.indicator, period,
                    f"https://e-arsip.{self.tenant.slug}.example/kinerja/{period.year}/"
                    f"{member.employee.id}-{first.indicator_id}-{period.sequence}-ttd.pdf",
                    f"Rekap {period.label} (bertanda tangan)")
                self.report.evidence += 1
            with audit.acting_as(penilai_user):
                evidence_service.review(penilai_user, member.plan, again, True, None)

    def _session(self, member: _Member, period: Period, penilai_user: User) -> None:
        held_on = max(period.starts_on, period.ends_on - timedelta(days=self.rng.randint(3, 12)))
        notes, actions = self.rng.choice(texts.SESSION_NOTES)
        with audit.acting_as(penilai_user):
            feedback.record_session(penilai_user, member.plan, feedback.SessionData(
                held_on, True, notes.format(period=period.label), actions, period.id))

    def _dialog(self, pegawai: _Member, period: Period, penilai_user: User, atasan_user: User) -> None:
        authors = {"pegawai": pegawai.user, "penilai": penilai_user, "atasan": atasan_user}
        indicator = pegawai.plan.results[0].indicators[0]
        for role, body in texts.PEGAWAI_THREAD:
            with audit.acting_as(authors[role]):
                feedback.post_message(authors[role], pegawai.plan, body, indicator_id=indicator.id)

    def _evaluate(self, member: _Member, period: Period, members: list[_Member], penilai_user: User,
                  last: bool, finalise: bool = True) -> None:
        with audit.acting_as(penilai_user):
            evaluation = evaluations.get_or_start(penilai_user, member.plan, period)
        if evaluations.uses_360(self.runtime):
            for peer in [m for m in members if m is not member][:2]:
                scores = {b.behaviour_code: float(round(min(118, max(75, self.rng.gauss(100 * member.factor, 5)))))
                          for b in member.plan.behaviours}
                with audit.acting_as(peer.user):
                    evaluations.submit_peer_ratings(peer.user, evaluation, scores)
        with audit.acting_as(penilai_user):
            evaluations.save_ratings(penilai_user, evaluation, self._ratings(member, period), None)
            if not finalise or (last and member.role == "draft"):
                return  # left for the penilai to finish
            try:
                evaluations.finalise(penilai_user, evaluation, None, today=self._delivered_on(period, last))
            except evaluations.EvaluationError as exc:
                raise CycleSeedError(f"{self.tenant.slug}: finalising {period.label} refused: {exc.message}") from exc

    def _delivered_on(self, period: Period, last: bool) -> date:
        """Results reach the pegawai a week or two after the period; the latest round only lately."""
        if last:
            day = max(period.ends_on + timedelta(days=1), self.today - timedelta(days=6))
        else:
            day = period.ends_on + timedelta(days=self.rng.randint(5, 12))
        return min(day, self.today)

    def _ratings(self, member: _Member, period: Period) -> evaluations.RatingData:
        scheme = self.rule_set.scheme
        f = member.factor
        scores = {}
        for number, behaviour in enumerate(member.plan.behaviours):
            score = self.rng.gauss(100 * f, 4)
            if member.role == "objector" and number == len(member.plan.behaviours) - 1:
                score = min(score, 86)  # kolaboratif: a training recommendation
            scores[behaviour.behaviour_code] = float(round(min(118, max(70, score))))
        if isinstance(scheme, MatrixScheme):
            # The matrix rates hasil kerja and perilaku; the per-behaviour scores
            # are the penilai's notes (training rules read them).
            hasil = Expectation.DI_ATAS if f >= 1.06 else Expectation.DI_BAWAH if f < 0.93 else Expectation.SESUAI
            return evaluations.RatingData(hasil_kerja_rating=hasil.value, perilaku_rating=Expectation.SESUAI.value,
                                          behaviour_scores=scores,
                                          note="Dinilai berdasarkan realisasi dan bukti dukung periode ini.")
        components = {}
        for code, _name in evaluations.input_components(self.runtime):
            base = {"disiplin": 102, "kompetensi": 96, "inovasi": 82, "proses": 98}.get(code, 95)
            value = self.rng.gauss(base * f, 3)
            if member.role == "objector" and code in ("disiplin", "proses"):
                value = min(value, 84)
            components[code] = float(round(min(118, max(60, value))))
        extra = 2.0 if member.role == "pegawai" and isinstance(scheme, NumericScheme) \
            and scheme.max_additional_points >= 2 else 0.0
        return evaluations.RatingData(behaviour_scores=scores, components=components, additional_points=extra,
                                      note="Dinilai berdasarkan realisasi dan bukti dukung periode ini.")

    # -- objection, training, inbox --

    def _objection(self, chain: dict, passed: list[Period]) -> None:
        objector = next((m for m in chain["team"] if m.role == "objector" and m.plan is not None), None)
        if objector is None:
            return
        evaluation = db.session.scalar(select(Evaluation).where(
            Evaluation.plan_id == objector.plan.id, Evaluation.period_id == passed[-1].id,
            Evaluation.status == EvaluationStatus.FINAL))
        if evaluation is None:
            raise CycleSeedError("the objector's latest evaluation is not final")
        lodged_on = min(self.today, evaluation.delivered_on + timedelta(days=3))
        with audit.acting_as(objector.user):
            objections.lodge(objector.user, evaluation, texts.OBJECTION_REASONS, today=lodged_on)

    def _training_progress(self, chain: dict) -> None:
        """The pegawai enrols in one recommendation; the admin confirms another one completed."""
        team_ids = [m.employee.id for m in chain["team"]]
        records = list(db.session.scalars(
            select(TrainingRecord).where(TrainingRecord.employee_id.in_(team_ids),
                                         TrainingRecord.status == TrainingStatus.RECOMMENDED,
                                         TrainingRecord.course_id.is_not(None))
            .order_by(TrainingRecord.id)))
        if not records:
            return
        first = records[0]
        owner = self.users[first.employee_id]
        with audit.acting_as(owner):
            training.change_status(owner, first, TrainingStatus.ENROLLED, note="Mendaftar angkatan berikutnya.")
        if len(records) > 1:
            second = records[-1]
            with audit.acting_as(self.admin):
                training.change_status(self.admin, second, TrainingStatus.ENROLLED)
                training.change_status(self.admin, second, TrainingStatus.COMPLETED,
                                       note="Sertifikat diterima BKPSDM.")

    def _notifications_read(self) -> None:
        """Older inbox entries read; the newest few of each account left unread."""
        for user in {u.id: u for u in self.users.values()}.values():
            for note in db.session.scalars(inbox_query(user.id).offset(UNREAD_KEPT)):
                mark_read(note, datetime.utcnow())

    # -- the citizens --

    def _publications(self) -> None:
        """The admin publishes the last finished calendar quarter's IKM and complaint figures."""
        quarter = (self.today.month - 1) // 3
        year = self.today.year if quarter else self.today.year - 1
        for kind in (PublicationKind.IKM, PublicationKind.PENGADUAN):
            try:
                transparency.publish(kind, year, quarter or 4, self.admin.id)
            except transparency.PublicationError:
                continue  # nothing to show for that quarter

    def _service_units(self) -> list[Unit]:
        return list(db.session.scalars(select(Unit).where(Unit.active, Unit.kind.in_(SERVICE_KINDS))
                                       .order_by(Unit.id)))

    def _surveys(self, since: date) -> None:
        """SKM responses per service unit and calendar quarter up to today."""
        count = 0
        for unit in self._service_units():
            quality = self.rng.uniform(2.9, 3.6)
            start = since
            while start <= self.today:
                end = min(_quarter_end(start), self.today)
                for _ in range(self.rng.randint(*SURVEYS_PER_QUARTER)):
                    answers = tuple(min(4, max(1, round(self.rng.gauss(quality, 0.55)))) for _ in range(9))
                    day = start + timedelta(days=self.rng.randint(0, (end - start).days))
                    comment = self.rng.choice(texts.SURVEY_COMMENTS) if self.rng.random() < 0.3 else None
                    count += 1
                    request.remote_addr = f"10.{count // 65000 % 250}.{count // 250 % 250}.{count % 250 + 1}"
                    outcome = surveys.submit_response(surveys.SurveyAnswers(
                        unit.id, answers, comment, self.rng.choice(("20-29", "30-39", "40-49", "50-59")),
                        self.rng.choice(("L", "P")), None, None), day)
                    if outcome != surveys.SurveyOutcome.SAVED:
                        raise CycleSeedError(f"survey response not saved: {outcome}")
                start = end + timedelta(days=1)
        request.remote_addr = "127.0.0.1"

    def _complaints(self, chain: dict, passed: list[Period]) -> None:
        """A complaint in every state, and one about a team member found substantiated."""
        units = self._service_units()
        admin_id = self.admin.id
        steps = ("selesai", "dijawab", "ditugaskan", "ditelaah", "diterima")
        ages = (75, 24, 12, 6, 1)
        for number, (step, age) in enumerate(zip(steps, ages, strict=True)):
            category, description, response = texts.COMPLAINTS[number % len(texts.COMPLAINTS)]
            unit = units[(number * 3 + 1) % len(units)]
            received_on = self.today - timedelta(days=age)
            request.remote_addr = f"10.250.0.{number + 1}"
            complaint = self._file(complaint_service.ComplaintData(category, unit.id, description), received_on)
            self._handle(complaint, step, response, admin_id, unit)
        # About a team member (the one who will object), in the last period that has passed.
        objector = next((m for m in chain["team"] if m.role == "objector"), None)
        if objector is None:
            return
        period = passed[-1]
        received_on = max(period.starts_on, period.ends_on - timedelta(days=9))
        category, description, response = texts.EMPLOYEE_COMPLAINT
        request.remote_addr = "10.250.1.1"
        unit_id = objector.employee.position.unit_id
        complaint = self._file(complaint_service.ComplaintData(
            category, unit_id, description, objector.employee.id), received_on)
        complaint_service.triage(complaint, admin_id, category, unit_id, texts.TRIAGE_NOTES[1],
                                 "Pengaduan Anda sedang ditelaah.")
        complaint_service.assign(complaint, admin_id, unit_id, objector.employee.id, "Klarifikasi pegawai.")
        complaint_service.record_finding(complaint, admin_id, True, "Terbukti dari rekaman CCTV loket.")
        complaint_service.respond(complaint, admin_id, response)
        self._backdate(complaint, received_on, ("ditelaah", "ditugaskan", "dijawab"))
        request.remote_addr = "127.0.0.1"

    def _file(self, data: complaint_service.ComplaintData, received_on: date) -> Complaint:
        outcome, complaint = complaint_service.file_complaint(data, received_on)
        if complaint is None:
            raise CycleSeedError(f"complaint not filed: {outcome}")
        db.session.flush()
        return complaint

    def _handle(self, complaint: Complaint, step: str, response: str, admin_id: int, unit: Unit) -> None:
        order = ("ditelaah", "ditugaskan", "dijawab", "selesai")
        if step == "diterima":
            self._backdate(complaint, complaint.received_on, ())
            return
        done = order[:order.index(step) + 1]
        complaint_service.triage(complaint, admin_id, complaint.category.value, unit.id,
                                 self.rng.choice(texts.TRIAGE_NOTES), "Pengaduan Anda kami terima dan sedang ditelaah.")
        if "ditugaskan" in done:
            complaint_service.assign(complaint, admin_id, unit.id, None, "Mohon ditindaklanjuti unit layanan.")
        if "dijawab" in done:
            complaint_service.respond(complaint, admin_id, response)
        if "selesai" in done:
            complaint_service.close(complaint, admin_id, None, "Tindak lanjut selesai.")
        self._backdate(complaint, complaint.received_on, done)

    def _backdate(self, complaint: Complaint, received_on: date, steps: tuple[str, ...]) -> None:
        """Spread the handling over the days since receipt (the services stamp "now")."""
        received_at = datetime.combine(received_on, time(8 + self.rng.randint(0, 6), self.rng.randint(0, 59)))
        now = datetime.utcnow()
        span = max((now - received_at).total_seconds(), 60)
        complaint.received_at = received_at
        events = sorted(complaint.events, key=lambda e: e.id or 0)
        moments = sorted(received_at + timedelta(seconds=span * self.rng.uniform(0.05, 0.9)) for _ in events[1:])
        for event, at in zip(events, [received_at, *moments], strict=True):
            event.at = at
        responded = [e.at for e in events if e.public_message]
        complaint.first_response_at = responded[0] if responded else None
        if complaint.status is ComplaintStatus.SELESAI:
            complaint.closed_at = events[-1].at


# --- small pure helpers -------------------------------------------------------------------

def _is_range_or_lower(indicator: Indicator) -> bool:
    target = indicator.target
    return indicator.direction is Direction.LOWER_IS_BETTER or (target is not None and target.lower != target.upper)


def _value(indicator: PlanIndicator, periods: int, factor: float) -> float:
    """A realisation for one sub-period of a performer at ``factor`` (1.0: on target)."""
    lower, upper = indicator.target_lower, indicator.target_upper
    percent = indicator.unit.strip() == "%"
    if indicator.direction == Direction.LOWER_IS_BETTER.value:
        value = upper * (2 - factor)
    elif accumulates(indicator.aspect, indicator.unit):
        value = upper / periods * factor
    elif factor >= 1:
        value = lower + (upper - lower) * min(1.0, (factor - 1) * 10) if upper > lower else upper * factor
    else:
        value = lower * factor
    if percent:
        value = min(value, 100.0)
    whole = not percent and indicator.aspect != "waktu"
    return float(max(0, round(value))) if whole else round(max(value, 0.1), 1)


def _quarter_end(day: date) -> date:
    last_month = (day.month - 1) // 3 * 3 + 3
    return (date(day.year, 12, 31) if last_month == 12
            else date(day.year, last_month + 1, 1) - timedelta(days=1))


__all__ = ["CycleReport", "CycleSeedError", "cycle_seeded", "seed_cycle", "tenant_request", "username_for"]
