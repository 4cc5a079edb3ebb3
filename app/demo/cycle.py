"""A year in progress for one tenant: the appraisal cycle, seeded through the services.

``seed_cycle(today, rng)`` builds, for the tenant's organisation (made by
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
bound to the tenant, so the audit trail names who did what; notices go out
through the services' own ``notify`` calls. The steps live beside this
driver: ``accounts``, ``plans``, ``work``, ``followups`` and ``citizens``
(the only direct writes, a complaint's timestamps, are explained there).

Random choices come from a generator seeded with the tenant slug; dates are
relative to ``today``, so the same tenant on the same day gets the same data.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from flask import current_app, g
from sqlalchemy import func, select

from app import audit
from app.demo.accounts import open_accounts
from app.demo.citizens import complaints, publications, surveys
from app.demo.context import CycleReport, DemoSeedError, DemoYear, sub_periods
from app.demo.followups import (
    notifications_read,
    open_objection,
    training_catalogue,
    training_progress,
)
from app.demo.meetings import seed_meetings
from app.demo.plans import demo_chain, demo_plans, demo_plans_this_year, organisation_plans
from app.demo.work import work_through, work_through_heads
from app.extensions import db
from app.notifications.models import Notification
from app.org.hierarchy import team_ids
from app.periods.models import Period
from app.periods.services import open_year, year_period
from app.publik.models import Complaint, FollowUpItem, SurveyResponse
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections.models import Objection
from app.skp.planning.locking import set_year_dates
from app.skp.planning.models import Plan
from app.skp.training.models import TrainingRecord
from app.tenancy import TenantRef, tenant, tenant_rules, tenant_scope
from app.tenancy.models import Tenant


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
    seed = DemoYear(tenant(), today, rng, tenant_rules())
    open_accounts(seed)
    current, history, passed = _years(seed)
    seed.report.history_year = history.year
    training_catalogue(seed)
    chain = demo_chain(seed)
    surveys(seed, date(history.year, 1, 1))
    complaints(seed, chain, passed)
    if history.id == current.id:
        demo_plans(seed, chain, history)
        organisation_plans(seed, current, skip={e.id for e in chain["all"]},
                           agreed=team_ids(chain["atasan"]))
    else:
        # Last year, worked through to its end; this year: plans only.
        demo_plans(seed, chain, history)
        demo_plans_this_year(seed, chain, current)
        organisation_plans(seed, current, skip={e.id for e in chain["all"]})
    seed_meetings(seed, chain, passed)  # before finalising: the rule set may require a held meeting
    work_through(seed, chain, history, passed)
    work_through_heads(seed, chain, history, passed)
    open_objection(seed, chain, passed)
    training_progress(seed, chain)
    publications(seed)
    notifications_read(seed)
    _count(seed)
    return seed.report


def _count(seed: DemoYear) -> None:
    scalar = db.session.scalar
    seed.report.plans = Counter({str(s): n for s, n in db.session.execute(
        select(Plan.status, func.count(Plan.id)).join(Period, Plan.period_id == Period.id)
        .where(Period.year == seed.today.year).group_by(Plan.status)).all()})
    seed.report.finals = scalar(select(func.count(Evaluation.id)).where(
        Evaluation.status == EvaluationStatus.FINAL))
    seed.report.training = scalar(select(func.count(TrainingRecord.id)))
    seed.report.notifications = scalar(select(func.count(Notification.id)))
    seed.report.objections = scalar(select(func.count(Objection.id)))
    seed.report.complaints = scalar(select(func.count(Complaint.id)))
    seed.report.surveys = scalar(select(func.count(SurveyResponse.id)))
    seed.report.follow_ups = scalar(select(func.count(FollowUpItem.id)))


def _years(seed: DemoYear) -> tuple[Period, Period, list[Period]]:
    """(this year, the year worked through, its sub-periods that have ended)."""
    scheme = seed.rule_set.period_scheme
    current = year_period(seed.today.year) or open_year(seed.today.year, scheme)
    passed = [p for p in sub_periods(current) if p.ends_on < seed.today]
    history = current
    if not passed:
        history = open_year(seed.today.year - 1, scheme)
        passed = sub_periods(history)
    with audit.acting_as(seed.admin):
        for year in {current.id: current, history.id: history}.values():
            set_year_dates(seed.admin, year, year.plans_lock_on,
                           year.evaluation_due_on or date(year.year + 1, 1, 31))
    return current, history, passed


__all__ = ["CycleReport", "DemoSeedError", "cycle_seeded", "seed_cycle", "tenant_request"]
