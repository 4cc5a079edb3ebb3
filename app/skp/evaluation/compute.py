"""Computing an evaluation's outcome from its input (nothing here commits).

A draft is recomputed from its inputs on every change; a final evaluation is
never recomputed. The YEAR of a plan whose year has sub-periods takes its
predikat and score from the rule set's ``annual_result`` over the **final**
periodic evaluations (as an objection decision left them); the year's own
aggregated achievement is computed alongside for reference. A year without
sub-periods is computed like a period.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import Invalid
from app.extensions import db
from app.periods.models import Period
from app.regions.manager import RuleSetRuntime
from app.regions.scoring import ScoringInputError
from app.skp.evaluation.inputs import Prepared, build_input
from app.skp.evaluation.models import Evaluation, EvaluationStatus, exact_score
from app.skp.evaluation.outcome import (
    EvaluationOutcome,
    PeriodicFinal,
    api_score,
    outcome_of,
    outcome_to_json,
    standing_period_result,
)
from app.skp.planning.models import Plan
from app.tenancy import utc_now


@dataclasses.dataclass(frozen=True)
class Computed:
    outcome: EvaluationOutcome
    prepared: Prepared

    @property
    def runtime(self) -> RuleSetRuntime:
        return self.prepared.runtime


def compute(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> Computed:
    """The outcome of a draft with its input (nothing stored)."""
    prepared = build_input(evaluation, rt)
    run = prepared.runtime
    outcome = EvaluationOutcome(
        rule_set_code=run.rule_set.code, rule_set_version=run.rule_set.version, rule_set_name=run.rule_set.name,
        scheme=getattr(run.rule_set.scheme, "kind", None),
        computed_at=utc_now().replace(microsecond=0).isoformat(), inputs=prepared.used)
    outcome = _with_period_result(outcome, prepared)
    plan = evaluation.plan
    if evaluation.period_id == plan.period_id and plan.period.children:
        outcome = _with_annual_result(outcome, prepared, plan)
    blockers = outcome.blockers + tuple(prepared.plain_runtime.evaluation_blockers(prepared.input))
    return Computed(dataclasses.replace(outcome, blockers=blockers), prepared)


def _with_period_result(outcome: EvaluationOutcome, prepared: Prepared) -> EvaluationOutcome:
    try:
        result = prepared.runtime.period_result(prepared.input)
    except ScoringInputError as exc:
        return dataclasses.replace(outcome, error=str(exc), period_error=str(exc))
    return dataclasses.replace(outcome, period=result, score=result.score, predikat_code=result.predikat_code,
                               predikat_label=result.predikat_label)


def _with_annual_result(outcome: EvaluationOutcome, prepared: Prepared, plan: Plan) -> EvaluationOutcome:
    """The year's predikat and score from the final periodic evaluations."""
    finals, missing = _periodic_finals(plan)
    outcome = dataclasses.replace(
        outcome, kind="annual", score=None, predikat_code=None, predikat_label=None,
        blockers=tuple(_("Penilaian %(period)s belum final.", period=p.label) for p in missing),
        periodic=tuple(PeriodicFinal(e.id, e.period.label, e.predikat_label, api_score(e.score),
                                     e.rule_set_version) for e in finals))
    if not finals:
        return dataclasses.replace(outcome, error=_("Belum ada penilaian periodik yang final."))
    try:
        annual = prepared.runtime.annual_result([standing_period_result(e) for e in finals],
                                                has_innovation=prepared.input.has_innovation)
    except ScoringInputError as exc:
        return dataclasses.replace(outcome, error=str(exc))
    return dataclasses.replace(outcome, annual=annual, error=None, score=annual.score,
                               predikat_code=annual.predikat_code, predikat_label=annual.predikat_label)


def _periodic_finals(plan: Plan) -> tuple[list[Evaluation], list[Period]]:
    subs = list(plan.period.children)
    finals = {e.period_id: e for e in db.session.scalars(
        select(Evaluation).where(Evaluation.plan_id == plan.id,
                                 Evaluation.period_id.in_([p.id for p in subs]),
                                 Evaluation.status == EvaluationStatus.FINAL))}
    return [finals[p.id] for p in subs if p.id in finals], [p for p in subs if p.id not in finals]


def _store(evaluation: Evaluation, outcome: EvaluationOutcome) -> None:
    evaluation.result = outcome_to_json(outcome)  # the region API's numbers as they came
    evaluation.score = outcome.score  # stored exact: ``Evaluation.score`` converts (``exact_score``)
    evaluation.predikat_code = outcome.predikat_code
    evaluation.predikat_label = outcome.predikat_label
    evaluation.rule_set_code = outcome.rule_set_code
    evaluation.rule_set_version = outcome.rule_set_version


def recompute(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> Computed:
    """Recompute a draft with the current rules and store the outcome. Never a final one."""
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise Invalid(_("Penilaian yang sudah final tidak dihitung ulang."))
    computed = compute(evaluation, rt)
    _store(evaluation, computed.outcome)
    return computed


def current_outcome(evaluation: Evaluation) -> EvaluationOutcome:
    """What the evaluation page shows: a final evaluation's decided result, a
    draft's fresh computation. Its ``score`` is the exact value the evaluation
    stores (``Decimal``, half-up to two places), never the region API's float."""
    if evaluation.status is EvaluationStatus.FINAL:
        return decided_outcome(evaluation)
    outcome = compute(evaluation).outcome
    return dataclasses.replace(outcome, score=exact_score(outcome.score))


def decided_outcome(evaluation: Evaluation) -> EvaluationOutcome:
    """A final evaluation's stored outcome with the result as it stands: an
    objection decision may have changed its predikat (and score), and every
    page shows the decided result, never the superseded one."""
    outcome = outcome_of(evaluation)
    decided = (evaluation.predikat_code, evaluation.predikat_label, evaluation.score)
    changed = decided != (outcome.predikat_code, outcome.predikat_label, exact_score(outcome.score))
    return dataclasses.replace(outcome, predikat_code=evaluation.predikat_code,
                               predikat_label=evaluation.predikat_label, score=evaluation.score,
                               changed_by_objection=changed)


def preview(evaluation: Evaluation) -> dict[str, Any]:
    """The outcome in its stored JSON form (the region API's numbers as they came)."""
    if evaluation.status is EvaluationStatus.FINAL:
        return evaluation.result or {}
    return outcome_to_json(compute(evaluation).outcome)
