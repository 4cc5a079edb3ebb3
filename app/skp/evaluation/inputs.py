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

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app import providers
from app.extensions import db
from app.regions.inputs import (
    BehaviourAssessment,
    ComponentValue,
    EvaluationInput,
    IndicatorRealisation,
)
from app.regions.inputs import FeedbackSession as FeedbackInput
from app.regions.manager import RuleSetRuntime
from app.regions.types import Aspect, Expectation, Indicator, Rater, Target
from app.settings.services import rules_for_period
from app.skp.evaluation.entries import RatingData, entries_of
from app.skp.evaluation.indicators import indicator_rows
from app.skp.evaluation.models import Evaluation, PeerRating
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
    training = training_participation(employee.id, plan.period.year)
    unit_of_employee = employee.position.unit if employee.position is not None else None
    satisfaction = providers.unit_satisfaction(unit_of_employee, period) if unit_of_employee is not None else None
    complaints = providers.complaints_about(employee, period)
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
        unit_satisfaction=(None if satisfaction is None else
                           SatisfactionUsed(satisfaction.unit_code, satisfaction.ikm, satisfaction.respondents)),
        complaints=tuple(ComplaintUsed(c.reference, c.substantiated) for c in complaints),
    )
    return Prepared(evaluation_input, with_indicators(plain, extra), plain, used)


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
    return [PeerScore(p.rater_id, p.rater_role, p.behaviour_code, float(p.score))
            for p in db.session.scalars(select(PeerRating).where(PeerRating.evaluation_id == evaluation.id)
                                        .order_by(PeerRating.id))
            if p.score is not None]


def _feedback_sessions(evaluation: Evaluation) -> list[FeedbackSession]:
    period, plan = evaluation.period, evaluation.plan
    query = select(FeedbackSession).where(FeedbackSession.plan_id == plan.id)
    if period.id != plan.period_id:
        query = query.where(
            (FeedbackSession.period_id == period.id)
            | (FeedbackSession.period_id.is_(None)
               & (FeedbackSession.held_on >= period.starts_on) & (FeedbackSession.held_on <= period.ends_on)))
    return list(db.session.scalars(query.order_by(FeedbackSession.held_on)))
