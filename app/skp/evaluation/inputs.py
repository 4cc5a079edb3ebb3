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

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from statistics import mean
from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import providers
from app.extensions import db
from app.org.models import Employee, Position, Unit
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
from app.skp.evaluation.indicators import RowTexts, indicator_rows
from app.skp.evaluation.models import Evaluation, EvaluationStatus, PeerRating
from app.skp.evaluation.outcome import (
    ComplaintUsed,
    FeedbackUsed,
    InputsUsed,
    PeerScore,
    SatisfactionUsed,
    UnitAchievement,
    UnitMember,
)
from app.skp.evaluation.scheme import uses_360, with_indicators
from app.skp.evaluation.seams import training_participation
from app.skp.evaluation.unit import is_unit_head, unit_achievement
from app.skp.feedback.models import FeedbackSession
from app.skp.planning.models import Plan
from app.skp.realisation.models import Realisation

UNIT_ACHIEVEMENT_CODE = "CAPAIAN-UNIT"


@dataclass(frozen=True)
class Prepared:
    """An evaluation's input and everything used to build it."""

    input: EvaluationInput
    runtime: RuleSetRuntime  # with the plan's own IKIs
    plain_runtime: RuleSetRuntime  # as installed (for the region's blockers)
    used: InputsUsed


T = TypeVar("T")


@dataclass
class BatchInputs:
    """The inputs of a batch of drafts, each kind loaded with one query for the
    whole batch (``batch_inputs``) instead of one per evaluation."""

    sessions: dict[int, list[FeedbackSession]]  # by plan id, in ``held_on`` order
    peers: dict[int, list[PeerRating]] | None  # by evaluation id (None: the rules do not use 360°)
    finals: dict[int, list[Evaluation]]  # final evaluations by plan id
    satisfaction: dict[tuple[int, int], UnitSatisfaction | None] = field(default_factory=dict)  # (unit, period)
    employees: dict[int, Employee] = field(default_factory=dict)  # the batch's employees by id
    evaluations: list[Evaluation] = field(default_factory=list)
    # A unit head's unit: the evaluations of the units the batch's heads lead, by period
    # and unit, loaded at the first head; and each member's mean capaian by its stored result.
    unit_members: dict[int, dict[int, list[Evaluation]]] = field(default_factory=dict)
    capaian: dict[int, tuple[dict[str, Any], float | None]] = field(default_factory=dict)
    # The figures from the stages above, loaded for all the batch's employees at the
    # first draft that asks (``batch_figures``; complaints by period id).
    figures: dict[Hashable, Mapping[int, Any]] = field(default_factory=dict)
    # What is the same for every draft of the batch, made at the first (``batch_once``).
    once: dict[Hashable, Any] = field(default_factory=dict)
    # The recorded realisation values of the batch's plans' IKIs, by IKI id and period id
    # (``batched_realisations``): read as values, not loaded as a ``Realisation`` each.
    realised: dict[int, dict[int, float]] = field(default_factory=dict)
    plan_ids: frozenset[int] = frozenset()


_batch: ContextVar[BatchInputs | None] = ContextVar("evaluation_batch_inputs", default=None)


@contextmanager
def batch_inputs(evaluations: Iterable[Evaluation], rt: RuleSetRuntime) -> Iterator[BatchInputs]:
    """Within the block, ``build_input`` (and the annual result's finals) read the
    inputs of these evaluations from one query per kind: feedback sessions, 360°
    ratings, final evaluations of the same plans; at the first evaluation that asks,
    for all of them: the units' IKM, the complaints (per period), completed training
    (``batch_figures``), the units their heads' hasil kerja follows; and the values
    recorded on the plans' IKIs (``batched_realisations``). The evaluations' plans and
    IKIs are loaded by the caller (``staleness.computing``), everything else here."""
    evaluations = list(evaluations)
    plan_ids = {e.plan_id for e in evaluations}
    realised: dict[int, dict[int, float]] = {}
    indicator_ids = sorted({ind.id for plan in {e.plan for e in evaluations} for result in plan.results
                            for ind in result.indicators})
    if indicator_ids:
        for indicator_id, period_id, value in db.session.execute(
                select(Realisation.indicator_id, Realisation.period_id, Realisation.value)
                .where(Realisation.indicator_id.in_(indicator_ids), Realisation.value.is_not(None))):
            realised.setdefault(indicator_id, {})[period_id] = value
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
    employees = {e.plan.employee.id: e.plan.employee for e in evaluations}
    token = _batch.set(BatchInputs(sessions, peers, finals, employees=employees, evaluations=evaluations,
                                   realised=realised, plan_ids=frozenset(plan_ids)))
    try:
        yield _batch.get()
    finally:
        _batch.reset(token)


def batched_realisations(plan_id: int) -> Mapping[int, Mapping[int, float]] | None:
    """The values recorded on the plan's IKIs, by IKI id and period id, when a batch
    read them (None outside a batch)."""
    batch = _batch.get()
    return batch.realised if batch is not None and plan_id in batch.plan_ids else None


def batched_finals(plan_id: int) -> list[Evaluation] | None:
    """The plan's final evaluations when a batch loaded them (None outside a batch)."""
    batch = _batch.get()
    return None if batch is None else batch.finals.get(plan_id, [])


def batch_figures(key: Hashable, load: Callable[[list[int]], Mapping[int, T]]) -> Mapping[int, T] | None:
    """Within ``batch_inputs``: ``load(employee ids)`` for all the batch's employees,
    called once per ``key`` for the batch (by employee id); None outside a batch.

    For the figures the stages above provide per employee (training through
    ``seams``): their provider answers the whole batch at the first draft that
    asks, instead of one query per draft."""
    batch = _batch.get()
    if batch is None:
        return None
    if key not in batch.figures:
        batch.figures[key] = load(sorted(batch.employees))
    return batch.figures[key]


def batch_once(key: Hashable, make: Callable[[], T]) -> T:
    """Within ``batch_inputs``: ``make()`` once for the batch (per ``key``) — for what
    is the same for every draft of it, such as the texts in the job's language or the
    fingerprint of its rules; outside a batch, ``make()`` every time."""
    batch = _batch.get()
    if batch is None:
        return make()
    if key not in batch.once:
        batch.once[key] = make()
    return batch.once[key]


def build_input(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> Prepared:
    """The ``EvaluationInput`` of an evaluation from the database and its stored entries."""
    plan, period = evaluation.plan, evaluation.period
    plain = rt or rules_for_period(period)  # the settings version in force on the period's first day
    employee = plan.employee
    entries = entries_of(evaluation)
    rows, extra = indicator_rows(evaluation, plain, frozenset(entries.no_realisation),
                                 batch_once(RowTexts, RowTexts.current), batched_realisations(plan.id))
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
    return training, satisfaction, _complaints_about(employee, period)


def _complaints_about(employee: Employee, period: Period) -> tuple[Complaint, ...]:
    batch = _batch.get()
    if batch is None or employee.id not in batch.employees:
        return providers.complaints_about(employee, period)
    key = ("complaints", period.id)
    if key not in batch.figures:
        batch.figures[key] = providers.complaints_about_many(batch.employees.values(), period)
    return batch.figures[key][employee.id]


def _unit_satisfaction(unit: Unit, period: Period) -> UnitSatisfaction | None:
    batch = _batch.get()
    if batch is None:
        return providers.unit_satisfaction(unit, period)
    key = (unit.id, period.id)
    if key not in batch.satisfaction:
        # The units of all the batch's employees at once (one query for the batch and period).
        units = {e.position.unit.id: e.position.unit for e in batch.employees.values() if e.position is not None}
        units.setdefault(unit.id, unit)
        for unit_id, satisfaction in providers.unit_satisfaction_many(units.values(), period).items():
            batch.satisfaction.setdefault((unit_id, period.id), satisfaction)
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
    batch = _batch.get()
    if batch is None or employee.id not in batch.employees:
        return unit_achievement(employee.position.unit, evaluation.period_id, employee.id)
    return _batched_unit_achievement(batch, employee, evaluation.period_id)


def _batched_unit_achievement(batch: BatchInputs, head: Employee, period_id: int) -> UnitAchievement:
    """``unit.unit_achievement`` from the unit's evaluations loaded once for the batch's
    heads: the same members in the same order, each one's capaian read now (as the
    per-draft query would: the drafts recomputed before the head count as recomputed)."""
    unit = head.position.unit
    members = []
    for ev in _unit_members(batch, period_id).get(unit.id, []):
        if ev.plan.employee_id == head.id:
            continue
        value = _mean_capaian(batch, ev)
        if value is not None:
            members.append(UnitMember(ev.id, ev.plan.employee.name, ev.status.value, value))
    value = round(mean(m.capaian for m in members), 2) if members else None
    return UnitAchievement(unit.id, tuple(members), value, unit.name)


def _unit_members(batch: BatchInputs, period_id: int) -> dict[int, list[Evaluation]]:
    """The period's evaluations (any status) of the units the batch's heads lead, by unit,
    ordered as ``unit.unit_evaluation_query`` orders a unit's: one query for the batch
    (and one for those of them outside it)."""
    if period_id in batch.unit_members:
        return batch.unit_members[period_id]
    by_unit = batch.unit_members[period_id] = {}
    units = {e.plan.employee.position.unit_id for e in batch.evaluations
             if e.period_id == period_id and is_unit_head(e.plan.employee)}
    if units:
        # Which evaluations, in order; the batch's own drafts are already loaded (and some
        # recomputed): only the others are loaded, so each member is read as it stands now.
        rows = db.session.execute(
            select(Evaluation.id, Position.unit_id)
            .join(Plan, Evaluation.plan_id == Plan.id)
            .join(Employee, Plan.employee_id == Employee.id)
            .join(Position, Employee.position_id == Position.id)
            .where(Position.unit_id.in_(units), Evaluation.period_id == period_id)
            .order_by(Position.unit_id, Employee.name)).all()
        loaded = {e.id: e for e in batch.evaluations}
        missing = sorted({ev_id for ev_id, _unit_id in rows if ev_id not in loaded})
        for start in range(0, len(missing), 1000):
            loaded.update((ev.id, ev) for ev in db.session.scalars(
                select(Evaluation).where(Evaluation.id.in_(missing[start:start + 1000]))
                .options(joinedload(Evaluation.plan).joinedload(Plan.employee))))
        for ev_id, unit_id in rows:
            by_unit.setdefault(unit_id, []).append(loaded[ev_id])
    return by_unit


def _mean_capaian(batch: BatchInputs, evaluation: Evaluation) -> float | None:
    """``unit._mean_capaian``, kept per stored result (recomputing a draft replaces it),
    read from the stored JSON itself: the period result's achievements' capaian, as
    ``outcome_of`` would restore them (floats), without restoring the whole outcome."""
    known = batch.capaian.get(evaluation.id)
    if known is not None and known[0] is evaluation.result:
        return known[1]
    period = (evaluation.result or {}).get("period")
    values = [float(a["capaian"]) for a in period.get("achievements", ())] if period is not None else []
    value = round(mean(values), 2) if values else None
    batch.capaian[evaluation.id] = (evaluation.result, value)
    return value


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
