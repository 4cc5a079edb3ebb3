"""Building an evaluation's ``EvaluationInput`` from the database.

What a computation is made of:

* **Indicators** (IKI): see ``app.skp.evaluation.indicators``.
* **The penilai's entries** (``Evaluation.inputs``, ``RatingData``): hasil
  kerja / perilaku ratings (matrix schemes), behaviour scores (numeric
  schemes), values of the rule set's ``INPUT`` components, innovation,
  additional work points.
* **360°**: ``PeerRating`` rows of peers (rekan) and subordinates (bawahan),
  used when the rule set has rater weights.
* **Feedback sessions** of the plan in the period (all of them for the year).
* **The unit's IKM and complaints** about the employee, through ``app.providers``.
* **Training**: JP of the employee's completed training of the year (the
  requirement is annual), through ``app.skp.evaluation.seams``.
* **A unit head** whose rule set says ``unit_head_follows_unit_achievement``:
  hasil kerja follows the unit's achievement (``app.skp.evaluation.unit``).
  It replaces the head's own IKIs by one "capaian unit" indicator (target
  100%), so the curve, the bands and the matrix apply to it as to any IKI;
  without such evaluations the head's own IKIs count.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app import providers
from app.extensions import db
from app.org.models import Unit
from app.periods.models import Period
from app.regions.inputs import (
    BehaviourAssessment,
    Complaint,
    ComponentValue,
    EvaluationInput,
    IndicatorRealisation,
    TrainingParticipation,
    UnitSatisfaction,
)
from app.regions.inputs import FeedbackSession as FeedbackInput
from app.regions.manager import RuleSetRuntime
from app.regions.types import Aspect, Expectation, Indicator, Rater, Target
from app.settings.services import rules_for_period
from app.skp.evaluation.entries import RatingData, entries_of
from app.skp.evaluation.indicators import indicator_rows
from app.skp.evaluation.models import Evaluation, EvaluationStatus, PeerRating
from app.skp.evaluation.outcome import (
    ComplaintUsed,
    FeedbackUsed,
    InputsUsed,
    PeerScore,
    SatisfactionUsed,
    UnitAchievement,
)
from app.skp.evaluation.scheme import uses_360, with_indicators
from app.skp.evaluation.seams import training_participation
from app.skp.evaluation.unit import is_unit_head, unit_achievement
from app.skp.feedback.models import FeedbackSession

UNIT_ACHIEVEMENT_CODE = "CAPAIAN-UNIT"


@dataclass(frozen=True)
class Prepared:
    """An evaluation's input and everything used to build it."""

    input: EvaluationInput
    runtime: RuleSetRuntime  # with the plan's own IKIs
    plain_runtime: RuleSetRuntime  # as installed (for the region's blockers)
    used: InputsUsed


@dataclass
class BatchInputs:
    """The inputs of a batch of drafts, each kind loaded with one query for the
    whole batch (``batch_inputs``) instead of one per evaluation."""

    sessions: dict[int, list[FeedbackSession]]  # by plan id, in ``held_on`` order
    peers: dict[int, list[PeerRating]] | None  # by evaluation id (None: the rules do not use 360°)
    finals: dict[int, list[Evaluation]]  # final evaluations by plan id
    satisfaction: dict[tuple[int, int], UnitSatisfaction | None] = field(default_factory=dict)  # (unit, period)


_batch: ContextVar[BatchInputs | None] = ContextVar("evaluation_batch_inputs", default=None)


@contextmanager
def batch_inputs(evaluations: Iterable[Evaluation], rt: RuleSetRuntime) -> Iterator[BatchInputs]:
    """Within the block, ``build_input`` (and the annual result's finals) read the
    inputs of these evaluations from one query per kind: feedback sessions, 360°
    ratings, final evaluations of the same plans; a unit's IKM once per unit and
    period. The evaluations' plans, IKIs and realisations are loaded by the caller
    (``staleness.loading``)."""
    evaluations = list(evaluations)
    plan_ids = {e.plan_id for e in evaluations}
    sessions: dict[int, list[FeedbackSession]] = {}
    for s in db.session.scalars(select(FeedbackSession).where(FeedbackSession.plan_id.in_(plan_ids))
                                .order_by(FeedbackSession.held_on, FeedbackSession.id)):
        sessions.setdefault(s.plan_id, []).append(s)
    peers: dict[int, list[PeerRating]] | None = None
    if uses_360(rt):
        peers = {}
        for p in db.session.scalars(select(PeerRating).where(PeerRating.evaluation_id.in_([e.id for e in evaluations]))
                                    .order_by(PeerRating.id)):
            peers.setdefault(p.evaluation_id, []).append(p)
    finals: dict[int, list[Evaluation]] = {}
    annual_plans = {e.plan_id for e in evaluations if e.period_id == e.plan.period_id and e.plan.period.children}
    if annual_plans:
        for e in db.session.scalars(select(Evaluation).where(Evaluation.plan_id.in_(annual_plans),
                                                             Evaluation.status == EvaluationStatus.FINAL)):
            finals.setdefault(e.plan_id, []).append(e)
    token = _batch.set(BatchInputs(sessions, peers, finals))
    try:
        yield _batch.get()
    finally:
        _batch.reset(token)


def batched_finals(plan_id: int) -> list[Evaluation] | None:
    """The plan's final evaluations when a batch loaded them (None outside a batch)."""
    batch = _batch.get()
    return None if batch is None else batch.finals.get(plan_id, [])


def build_input(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> Prepared:
    """The ``EvaluationInput`` of an evaluation from the database and its stored entries."""
    plan, period = evaluation.plan, evaluation.period
    plain = rt or rules_for_period(period)  # the settings version in force on the period's first day
    employee = plan.employee
    entries = entries_of(evaluation)
    rows, extra = indicator_rows(evaluation, plain, frozenset(entries.no_realisation))
    indicator_results = tuple(
        IndicatorRealisation(r.code, Target(r.target_lower, r.target_upper), float(r.realisation))
        for r in rows if r.missing is None)
    hasil_rating = entries.hasil_kerja_rating or None
    unit = _followed_unit(evaluation, plain)
    if unit is not None and unit.capaian is not None:
        extra.append(Indicator(UNIT_ACHIEVEMENT_CODE, _("Capaian unit %(unit)s", unit=unit.unit), "%",
                               Aspect.KUANTITAS))
        indicator_results = (IndicatorRealisation(UNIT_ACHIEVEMENT_CODE, Target.point(100), unit.capaian),)
        hasil_rating = None  # follows the unit: derived from the nilai, not rated
    peers = _peer_scores(evaluation) if uses_360(plain) else []
    sessions = _feedback_sessions(evaluation)
    training, satisfaction, complaints = _figures_from_above(evaluation)
    evaluation_input = EvaluationInput(
        employee_ref=str(employee.id),
        period_label=period.label,
        indicator_results=indicator_results,
        behaviours=tuple(_penilai_behaviours(entries)) + tuple(
            BehaviourAssessment(p.behaviour, Rater(p.role), score=p.score) for p in peers),
        component_values=tuple(ComponentValue(code, float(value))
                               for code, value in entries.components.items() if value is not None),
        hasil_kerja_rating=Expectation(hasil_rating) if hasil_rating else None,
        perilaku_rating=Expectation(entries.perilaku_rating) if entries.perilaku_rating else None,
        additional_points=float(entries.additional_points or 0),
        has_innovation=bool(entries.has_innovation),
        unit_satisfaction=satisfaction,
        training=training,
        feedback_sessions=tuple(FeedbackInput(s.held_on, s.face_to_face, s.notes[:200]) for s in sessions),
        complaints=complaints,
    )
    used = InputsUsed(
        indicators=tuple(rows),
        unit_achievement=unit,
        peer_ratings=tuple(peers),
        feedback_sessions=tuple(FeedbackUsed(s.held_on.isoformat(), s.face_to_face) for s in sessions),
        training_hours=training.hours,
        unit_satisfaction=_satisfaction_used(satisfaction),
        complaints=tuple(ComplaintUsed(c.reference, c.substantiated) for c in complaints),
    )
    return Prepared(evaluation_input, with_indicators(plain, extra), plain, used)


def _figures_from_above(evaluation: Evaluation) -> tuple[TrainingParticipation, UnitSatisfaction | None,
                                                         tuple[Complaint, ...]]:
    """What the stages above evaluation provide: training, the unit's IKM, complaints."""
    plan, period = evaluation.plan, evaluation.period
    employee = plan.employee
    training = training_participation(employee.id, plan.period.year)
    unit_of_employee = employee.position.unit if employee.position is not None else None
    satisfaction = _unit_satisfaction(unit_of_employee, period) if unit_of_employee is not None else None
    return training, satisfaction, providers.complaints_about(employee, period)


def _unit_satisfaction(unit: Unit, period: Period) -> UnitSatisfaction | None:
    batch = _batch.get()
    if batch is None:
        return providers.unit_satisfaction(unit, period)
    key = (unit.id, period.id)
    if key not in batch.satisfaction:
        batch.satisfaction[key] = providers.unit_satisfaction(unit, period)
    return batch.satisfaction[key]


def external_figures(evaluation: Evaluation) -> tuple[float, SatisfactionUsed | None, tuple[ComplaintUsed, ...]]:
    """The figures from the stages above as ``InputsUsed`` records them: a stored
    outcome whose figures differ from these is stale (those stages change them
    without telling this one)."""
    training, satisfaction, complaints = _figures_from_above(evaluation)
    return (training.hours, _satisfaction_used(satisfaction),
            tuple(ComplaintUsed(c.reference, c.substantiated) for c in complaints))


def _satisfaction_used(satisfaction: UnitSatisfaction | None) -> SatisfactionUsed | None:
    return None if satisfaction is None else SatisfactionUsed(satisfaction.unit_code, satisfaction.ikm,
                                                              satisfaction.respondents)


def _followed_unit(evaluation: Evaluation, rt: RuleSetRuntime) -> UnitAchievement | None:
    """The unit achievement a unit head's hasil kerja follows, when the rule set says so."""
    employee = evaluation.plan.employee
    if not (rt.rule_set.unit_head_follows_unit_achievement and is_unit_head(employee)):
        return None
    return unit_achievement(employee.position.unit, evaluation.period_id, employee.id)


def _penilai_behaviours(entries: RatingData) -> list[BehaviourAssessment]:
    return [BehaviourAssessment(code, Rater.ATASAN, score=float(score))
            for code, score in entries.behaviour_scores.items() if score is not None]


def _peer_scores(evaluation: Evaluation) -> list[PeerScore]:
    batch = _batch.get()
    ratings = batch.peers.get(evaluation.id, []) if batch is not None and batch.peers is not None else \
        db.session.scalars(select(PeerRating).where(PeerRating.evaluation_id == evaluation.id).order_by(PeerRating.id))
    return [PeerScore(p.rater_id, p.rater_role, p.behaviour_code, float(p.score)) for p in ratings
            if p.score is not None]


def _feedback_sessions(evaluation: Evaluation) -> list[FeedbackSession]:
    period, plan = evaluation.period, evaluation.plan
    batch = _batch.get()
    if batch is not None:
        return [s for s in batch.sessions.get(plan.id, [])
                if period.id == plan.period_id or s.period_id == period.id
                or (s.period_id is None and period.starts_on <= s.held_on <= period.ends_on)]
    query = select(FeedbackSession).where(FeedbackSession.plan_id == plan.id)
    if period.id != plan.period_id:
        query = query.where(
            (FeedbackSession.period_id == period.id)
            | (FeedbackSession.period_id.is_(None)
               & (FeedbackSession.held_on >= period.starts_on) & (FeedbackSession.held_on <= period.ends_on)))
    return list(db.session.scalars(query.order_by(FeedbackSession.held_on)))
