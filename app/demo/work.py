"""The demo chain works through the sub-periods that have passed: realisations
and evidence links (most reviewed, one rejected and sent again), dialog
kinerja, face-to-face sessions, and evaluations rated (360° where the rule
set asks) and finalised — the latest round's draft left for the penilai.
The atasan does the same for the section heads up to the period before the
latest."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.demo import texts
from app.demo.context import DemoSeedError, DemoYear, Member, sub_periods
from app.errors import DomainError
from app.extensions import db
from app.org.hierarchy import team_of
from app.periods.models import Period
from app.regions.inputs import EvaluationInput
from app.regions.inputs import FeedbackSession as SessionInput
from app.regions.types import Direction, Expectation, MatrixScheme, NumericScheme
from app.skp.evaluation import services as evaluations
from app.skp.feedback import services as feedback
from app.skp.planning.indicators import accumulates
from app.skp.planning.models import Plan, PlanIndicator, PlanResult, PlanStatus
from app.skp.realisation import evidence as evidence_service
from app.skp.realisation import services as realisation
from app.skp.realisation.models import Evidence, EvidenceReview, Realisation


def work_through(seed: DemoYear, chain: dict, year: Period, passed: list[Period]) -> None:
    members = [m for m in chain["team"] if m.plan is not None and m.plan.status is PlanStatus.AGREED]
    penilai_user = seed.user(chain["penilai"])
    atasan_user = seed.user(chain["atasan"])
    pegawai = next(m for m in members if m.role == "pegawai")
    needs_sessions = _sessions_required(seed)
    for index, period in enumerate(passed):
        last = index == len(passed) - 1
        for member in members:
            open_draft = last and member.role == "draft"
            _realise(seed, member, period, many_evidence=member.role == "pegawai" and index >= len(passed) - 2)
            if not open_draft:
                _review(seed, member, period, penilai_user, reject_one=member.role == "pegawai" and index == 0)
            if needs_sessions or (member.role == "pegawai" and index % 2 == len(passed) % 2):
                _session(seed, member, period, penilai_user)
        if index == len(passed) - 2 or (len(passed) == 1 and last):
            _dialog(seed, pegawai, period, penilai_user, atasan_user)
        for member in members:
            _evaluate(seed, member, period, members, penilai_user, last)


def work_through_heads(seed: DemoYear, chain: dict, year: Period, passed: list[Period]) -> None:
    """The atasan's own team (the penilai and the other section heads with an
    agreed plan): realised and rated up to the period before the latest,
    which is left for the atasan. Without a peer to rate them where the rule
    set needs 360°, their evaluations stay drafts."""
    atasan_user = seed.user(chain["atasan"])
    plans = {p.employee_id: p for p in db.session.scalars(select(Plan).where(
        Plan.period_id == year.id, Plan.status == PlanStatus.AGREED))}
    heads = [Member(e, seed.user(e), "head", 1.0 + seed.rng.uniform(-0.04, 0.05), plans[e.id])
             for e in sorted(team_of(chain["atasan"]), key=lambda e: e.id) if e.id in plans]
    needs_sessions = _sessions_required(seed)
    can_finalise = len(heads) > 1 or not evaluations.uses_360(seed.runtime)
    for period in passed[:-1]:
        for member in heads:
            _realise(seed, member, period, many_evidence=False)
            _review(seed, member, period, atasan_user, reject_one=False)
            if needs_sessions:
                _session(seed, member, period, atasan_user)
        for member in heads:
            _evaluate(seed, member, period, heads, atasan_user, last=False, finalise=can_finalise)


def _sessions_required(seed: DemoYear) -> bool:
    """Does the rule set block an evaluation without a face-to-face session? (Asked, not assumed.)"""
    bare = EvaluationInput("demo", "demo")
    held = dataclasses.replace(bare, feedback_sessions=(SessionInput(seed.today, True, "demo"),))
    return len(seed.runtime.evaluation_blockers(held)) < len(seed.runtime.evaluation_blockers(bare))


def _realise(seed: DemoYear, member: Member, period: Period, many_evidence: bool) -> None:
    user = member.user
    n = len(sub_periods(member.plan.period))
    indicators = [i for r in member.plan.results for i in r.indicators]
    with audit.acting_as(user):
        for position, indicator in enumerate(indicators):
            value = _value(indicator, n, member.factor * seed.rng.uniform(0.97, 1.03))
            realisation.save(user, member.plan, indicator, period,
                             realisation.RealisationData(value, None, None))
            seed.report.realisations += 1
            if many_evidence or position == 0:
                title = seed.rng.choice(texts.EVIDENCE_TITLES).format(period=period.label)
                url = (f"https://e-arsip.{seed.tenant.slug}.example/kinerja/{period.year}/"
                       f"{member.employee.id}-{indicator.id}-{period.sequence}.pdf")
                evidence_service.add_link(user, member.plan, indicator, period, url, title)
                seed.report.evidence += 1


def _review(seed: DemoYear, member: Member, period: Period, penilai_user: User, reject_one: bool) -> None:
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
                f"https://e-arsip.{seed.tenant.slug}.example/kinerja/{period.year}/"
                f"{member.employee.id}-{first.indicator_id}-{period.sequence}-ttd.pdf",
                f"Rekap {period.label} (bertanda tangan)")
            seed.report.evidence += 1
        with audit.acting_as(penilai_user):
            evidence_service.review(penilai_user, member.plan, again, True, None)


def _session(seed: DemoYear, member: Member, period: Period, penilai_user: User) -> None:
    held_on = max(period.starts_on, period.ends_on - timedelta(days=seed.rng.randint(3, 12)))
    notes, actions = seed.rng.choice(texts.SESSION_NOTES)
    with audit.acting_as(penilai_user):
        feedback.record_session(penilai_user, member.plan, feedback.SessionData(
            held_on, True, notes.format(period=period.label), actions, period.id))


def _dialog(seed: DemoYear, pegawai: Member, period: Period, penilai_user: User, atasan_user: User) -> None:
    authors = {"pegawai": pegawai.user, "penilai": penilai_user, "atasan": atasan_user}
    indicator = pegawai.plan.results[0].indicators[0]
    for role, body in texts.PEGAWAI_THREAD:
        with audit.acting_as(authors[role]):
            feedback.post_message(authors[role], pegawai.plan, body, indicator_id=indicator.id)


def _evaluate(seed: DemoYear, member: Member, period: Period, members: list[Member], penilai_user: User,
              last: bool, finalise: bool = True) -> None:
    with audit.acting_as(penilai_user):
        evaluation = evaluations.get_or_start(penilai_user, member.plan, period)
    if evaluations.uses_360(seed.runtime):
        for peer in [m for m in members if m is not member][:2]:
            scores = {b.behaviour_code: float(round(min(118, max(75, seed.rng.gauss(100 * member.factor, 5)))))
                      for b in member.plan.behaviours}
            with audit.acting_as(peer.user):
                evaluations.submit_peer_ratings(peer.user, evaluation, scores)
    with audit.acting_as(penilai_user):
        evaluations.save_ratings(penilai_user, evaluation, _ratings(seed, member, period), None)
        if not finalise or (last and member.role == "draft"):
            return  # left for the penilai to finish
        try:
            evaluations.finalise(penilai_user, evaluation, None, today=_delivered_on(seed, period, last))
        except DomainError as exc:
            raise DemoSeedError(f"{seed.tenant.slug}: finalising {period.label} refused: {exc.message}") from exc


def _delivered_on(seed: DemoYear, period: Period, last: bool) -> date:
    """Results reach the pegawai a week or two after the period; the latest round only lately."""
    if last:
        day = max(period.ends_on + timedelta(days=1), seed.today - timedelta(days=6))
    else:
        day = period.ends_on + timedelta(days=seed.rng.randint(5, 12))
    return min(day, seed.today)


def _ratings(seed: DemoYear, member: Member, period: Period) -> evaluations.RatingData:
    scheme = seed.rule_set.scheme
    f = member.factor
    scores = {}
    for number, behaviour in enumerate(member.plan.behaviours):
        score = seed.rng.gauss(100 * f, 4)
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
    for code, _name in evaluations.input_components(seed.runtime):
        base = {"disiplin": 102, "kompetensi": 96, "inovasi": 82, "proses": 98}.get(code, 95)
        value = seed.rng.gauss(base * f, 3)
        if member.role == "objector" and code in ("disiplin", "proses"):
            value = min(value, 84)
        components[code] = float(round(min(118, max(60, value))))
    extra = 2.0 if member.role == "pegawai" and isinstance(scheme, NumericScheme) \
        and scheme.max_additional_points >= 2 else 0.0
    return evaluations.RatingData(behaviour_scores=scores, components=components, additional_points=extra,
                                  note="Dinilai berdasarkan realisasi dan bukti dukung periode ini.")


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
