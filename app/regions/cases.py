"""Scoring a case exactly as a tenant's request would, with every step shown.

``score_case(code, case, settings)`` goes through the same per-rule-set hook
caller a tenant's request uses — the owning plugin's hooks, then the core
defaults — with the tenant's settings validated and applied. ``flask regions
score`` prints its ``lines()``; a plugin's own tests can call it with
``plugins=(my_plugin,)`` to check hand-worked examples.

A case is JSON: one ``EvaluationInput`` (field names as in
``app.regions.inputs``; enums by value, dates as ``YYYY-MM-DD``, a target as
``{"lower": 90, "upper": 100}``), or ``{"periods": [<EvaluationInput>, ...],
"has_innovation": false}`` for a year, which adds the annual result.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import has_app_context

from app.regions.inputs import EvaluationInput
from app.regions.manager import build_registry, regions
from app.regions.scoring import AnnualResult, PeriodResult
from app.regions.snapshot import load_typed
from app.regions.training import TrainingRecommendation

__all__ = ["CaseError", "ScoredCase", "case_from_json", "score_case"]


class CaseError(ValueError):
    """A case file does not describe an evaluation."""


@dataclass(frozen=True)
class ScoredCase:
    """What a tenant of ``rule_set_code`` with ``settings`` would get for a case."""

    rule_set_code: str
    rule_set_version: str
    plugin: str
    settings: dict[str, Any]
    periods: tuple[PeriodResult, ...]
    blockers: tuple[tuple[str, ...], ...]  # per period: why it could not be finalised yet
    training: tuple[tuple[TrainingRecommendation, ...], ...]  # per period
    annual: AnnualResult | None = None

    def lines(self) -> list[str]:
        """The traceable steps, for people."""
        out = [f"rule set {self.rule_set_code} {self.rule_set_version} (plugin {self.plugin})"]
        for period, blockers, training in zip(self.periods, self.blockers, self.training, strict=True):
            out.append(f"== {period.period_label}")
            for found in period.achievements:
                out += [f"  {step}" for step in found.steps[:-1]]
            out += [f"  {step}" for step in period.steps[1 + len(period.achievements):]]  # after the summaries
            score = "" if period.score is None else f" ({period.score:.2f})"
            out.append(f"  predikat: {period.predikat_label}{score}")
            out += [f"  belum dapat difinalkan: {reason}" for reason in blockers]
            out += [f"  pelatihan: {t.name} — {'; '.join(t.reasons)}" for t in training]
        if self.annual is not None:
            out.append("== tahunan")
            out += [f"  {step}" for step in self.annual.steps]
            out.append(f"  predikat: {self.annual.predikat_label}")
        return out

    def explain(self) -> str:
        return "\n".join(self.lines())


_FIELDS = tuple(f.name for f in dataclasses.fields(EvaluationInput))


def _evaluation(data: Any, where: str) -> EvaluationInput:
    if not isinstance(data, Mapping):
        raise CaseError(f"{where}: an evaluation must be a JSON object, not {type(data).__name__}")
    for key in data:
        if key not in _FIELDS:
            close = difflib.get_close_matches(key, _FIELDS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(_FIELDS)}"
            raise CaseError(f"{where}: unknown field '{key}'{hint}")
    try:
        return load_typed(EvaluationInput, data)
    except (TypeError, ValueError, KeyError) as exc:
        raise CaseError(f"{where}: {exc}") from exc


def case_from_json(data: Any) -> tuple[list[EvaluationInput], bool]:
    """The evaluations of a case (one, or a year's periods) and whether the
    employee's innovation was recognised (for the annual result)."""
    if isinstance(data, Mapping) and "periods" in data:
        periods = data["periods"]
        if not isinstance(periods, Sequence) or isinstance(periods, str) or not periods:
            raise CaseError("'periods' must be a non-empty list of evaluations")
        return ([_evaluation(p, f"periods[{i}]") for i, p in enumerate(periods)],
                bool(data.get("has_innovation", False)))
    return [_evaluation(data, "case")], False


def score_case(code: str, case: Any, settings: Mapping[str, Any] | None = None, *,
               registry: Any = None, plugins: Sequence[object] = ()) -> ScoredCase:
    """Score ``case`` (JSON data, an ``EvaluationInput`` or a list of them) as a
    tenant selecting rule set ``code`` with ``settings`` would.

    ``registry``: the rule sets to use; by default ``plugins`` alone (with
    the core defaults) when given, else the running application's, else the
    installed plugins. Raises ``SettingsError`` for settings the rule set rejects,
    ``RuleSetUnavailable`` for a code that is not installed or is broken, and
    ``ScoringInputError`` for incomplete inputs.
    """
    if isinstance(case, EvaluationInput):
        evaluations, has_innovation = [case], False
    elif isinstance(case, list | tuple) and case and all(isinstance(e, EvaluationInput) for e in case):
        evaluations, has_innovation = list(case), False
    else:
        evaluations, has_innovation = case_from_json(case)
    rules = _registry(registry, plugins).for_rule_set(code, settings)
    periods, blockers, training = [], [], []
    for evaluation in evaluations:
        for r in evaluation.indicator_results:
            rules.achievement(r.indicator_code, r.target, r.realisation)  # a plugin's hook may refuse it
        result = rules.period_result(evaluation)
        periods.append(result)
        blockers.append(tuple(rules.evaluation_blockers(evaluation)))
        training.append(tuple(rules.training_recommendations(result, evaluation)))
    annual = rules.annual_result(periods, has_innovation) if len(periods) > 1 else None
    return ScoredCase(rules.code, rules.rule_set.version, rules.plugin_name, dict(rules.settings),
                      tuple(periods), tuple(blockers), tuple(training), annual)


def _registry(registry: Any, plugins: Sequence[object]) -> Any:
    if registry is not None:
        return registry
    if has_app_context() and not plugins:
        return regions()
    return build_registry(list(plugins), installed=not plugins)  # a plugin under test may be installed too
