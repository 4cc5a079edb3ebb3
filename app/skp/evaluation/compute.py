"""Computing an evaluation's outcome from its input (nothing here commits).

A draft is recomputed from its inputs on every change and the outcome stored
(``Evaluation.result`` and the score columns); the evaluation page shows the
stored outcome (``current_outcome``) and computes only when it may be stale
(``app.skp.evaluation.staleness`` refreshes drafts when their inputs change).
A final evaluation is never recomputed. The YEAR of a plan whose year has sub-periods takes its
predikat and score from the rule set's ``annual_result`` over the **final**
periodic evaluations (as an objection decision left them); the year's own
aggregated achievement is computed alongside for reference. A year without
sub-periods is computed like a period.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.errors import Invalid
from app.extensions import db
from app.periods.models import Period
from app.regions.manager import RuleSetRuntime
from app.regions.scoring import ScoringInputError
from app.regions.snapshot import snapshot
from app.settings.services import rules_for_period
from app.skp.evaluation.inputs import (
    Prepared,
    batch_once,
    batched_finals,
    build_input,
    external_figures,
)
from app.skp.evaluation.models import Evaluation, EvaluationStatus, exact_score
from app.skp.evaluation.outcome import (
    EvaluationOutcome,
    PeriodicFinal,
    api_score,
    outcome_of,
    outcome_to_json,
    standing_period_result,
)
from app.skp.evaluation.unit import is_unit_head
from app.skp.planning.models import Plan
from app.tenancy import utc_now

# Stored next to the outcome in ``Evaluation.result``: which rules (the rule set
# and the settings in force) it was computed with, and in which language its
# messages (errors, blockers) were written.
RULES_KEY = "rules_key"


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
    loaded = batched_finals(plan.id)
    if loaded is None:
        loaded = db.session.scalars(select(Evaluation).where(Evaluation.plan_id == plan.id,
                                                             Evaluation.period_id.in_([p.id for p in subs]),
                                                             Evaluation.status == EvaluationStatus.FINAL))
    finals = {e.period_id: e for e in loaded if e.status is EvaluationStatus.FINAL}
    return [finals[p.id] for p in subs if p.id in finals], [p for p in subs if p.id not in finals]


def rules_key(rt: RuleSetRuntime) -> str:
    """A short fingerprint of the rules a draft is computed with: the rule set as
    installed (its whole content, not only its version) and the settings in force
    (a new settings version or an upgraded plugin changes it) — and the language
    the outcome's messages are in: a reader in another language gets them computed.
    Made once per batch of drafts computed with the same rules (``inputs.batch_once``)."""
    return batch_once((RULES_KEY, rt), lambda: _rules_key(rt))


def _rules_key(rt: RuleSetRuntime) -> str:
    blob = json.dumps([_installed_digest(rt), rt.settings, str(get_locale())], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


_digests: dict[int, tuple[object, str]] = {}  # id(rule set) -> (the rule set, kept alive; its digest)


def _installed_digest(rt: RuleSetRuntime) -> str:
    installed = rt.registry.rule_sets.get(rt.rule_set.code, rt.rule_set)
    known = _digests.get(id(installed))
    if known is None or known[0] is not installed:
        blob = json.dumps(snapshot(installed), sort_keys=True, default=str)
        known = _digests[id(installed)] = (installed, hashlib.sha256(blob.encode()).hexdigest())
    return known[1]


def stored_values(computed: Computed) -> dict[str, Any]:
    """What a draft stores of its outcome, by column: ``result`` (the region API's
    numbers as they came, with the rules' fingerprint) and the score (exact:
    ``exact_score``), predikat and rule set columns."""
    outcome = computed.outcome
    return {"result": {**outcome_to_json(outcome), RULES_KEY: rules_key(computed.prepared.plain_runtime)},
            "score": exact_score(outcome.score), "predikat_code": outcome.predikat_code,
            "predikat_label": outcome.predikat_label, "rule_set_code": outcome.rule_set_code,
            "rule_set_version": outcome.rule_set_version}


def computed_draft(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> tuple[Computed, dict[str, Any]]:
    """A draft's outcome computed afresh and the values ``recompute`` would store (nothing set). Never a final one."""
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise Invalid(_("Penilaian yang sudah final tidak dihitung ulang."))
    computed = compute(evaluation, rt)
    return computed, stored_values(computed)


def recompute(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> Computed:
    """Recompute a draft with the current rules and store the outcome. Never a final one."""
    computed, values = computed_draft(evaluation, rt)
    for key, value in values.items():
        setattr(evaluation, key, value)
    return computed


def refresh(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> Computed | None:
    """Store a draft's outcome afresh after one of its inputs changed (a final one is left alone).

    Unlike ``recompute`` (the penilai's own changes, audited by the caller) this is
    derived data: written with one UPDATE that neither bumps the evaluation's
    ``version`` (a penilai's open form stays valid when the pegawai adds a
    realisation) nor touches ``updated_at``, and not audited — the change of the
    input itself is."""
    if evaluation.status is not EvaluationStatus.DRAFT:
        return None
    computed = compute(evaluation, rt)
    values = stored_values(computed)
    db.session.execute(update(Evaluation).where(Evaluation.id == evaluation.id,
                                                Evaluation.status == EvaluationStatus.DRAFT)
                       .values(**values, updated_at=Evaluation.updated_at)
                       .execution_options(synchronize_session=False))
    for key, value in values.items():
        set_committed_value(evaluation, key, value)
    return computed


def current_outcome(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> EvaluationOutcome:
    """What the evaluation page shows: a final evaluation's decided result, a
    draft's stored outcome (computed afresh only when ``stored_outcome`` finds it
    may be stale). Its ``score`` is the exact value the evaluation stores
    (``Decimal``, half-up to two places), never the region API's float."""
    if evaluation.status is EvaluationStatus.FINAL:
        return decided_outcome(evaluation)
    outcome = stored_outcome(evaluation, rt) or compute(evaluation, rt).outcome
    return dataclasses.replace(outcome, score=exact_score(outcome.score))


def stored_outcome(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> EvaluationOutcome | None:
    """A draft's stored outcome when it is current; None when it must be computed.

    Stored outcomes are refreshed when an input changes (``staleness``). What is
    checked here instead, because it changes outside this stage's reach: the
    rules (a new settings version, an upgraded rule set), the figures read from
    the stages above (training hours, the unit's IKM, complaints), and a unit
    head whose hasil kerja follows the unit (the other evaluations of the unit)."""
    stored = evaluation.result or {}
    rt = rt or rules_for_period(evaluation.period)
    if not stored or stored.get(RULES_KEY) != rules_key(rt):
        return None
    if rt.rule_set.unit_head_follows_unit_achievement and is_unit_head(evaluation.plan.employee):
        return None
    outcome = outcome_of(evaluation)
    used = outcome.inputs
    if external_figures(evaluation) != (used.training_hours, used.unit_satisfaction, used.complaints):
        return None
    return outcome


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
    stored = stored_outcome(evaluation)
    return outcome_to_json(stored if stored is not None else compute(evaluation).outcome)
