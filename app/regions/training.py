"""Training recommendations from weak indicators, behaviours and components,
and the follow-up actions a region attaches to events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.regions.inputs import EvaluationInput
from app.regions.scoring import PeriodResult
from app.regions.snapshot import as_rule_set, jsonable
from app.regions.types import Expectation, RuleSet


@dataclass(frozen=True)
class TrainingRecommendation:
    code: str
    name: str
    reasons: tuple[str, ...]
    rule_set_code: str

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


@dataclass(frozen=True)
class FollowUp:
    """An action a region requires after an event (complaint, survey, result)."""

    kind: str  # e.g. "evaluasi_ulang", "pelatihan", "lokakarya", "pembinaan"
    title: str
    reason: str
    due_in_days: int
    rule_set_code: str

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def training_recommendations(
    rule_set: RuleSet | Mapping[str, Any],
    result: PeriodResult,
    evaluation: EvaluationInput,
) -> tuple[TrainingRecommendation, ...]:
    """Apply the rule set's ``TrainingRule``s to a period result."""
    rs = as_rule_set(rule_set)
    recommendations = []
    for rule in rs.training:
        reasons = [
            f"IKI {a.indicator_code} bernilai {a.nilai:.2f} (< {rule.below_nilai:g})"
            for a in result.achievements
            if a.indicator_code in rule.indicators and a.nilai < rule.below_nilai
        ]
        for b in evaluation.behaviours:
            if b.behaviour_code not in rule.behaviours:
                continue
            if b.rating is Expectation.DI_BAWAH:
                reasons.append(f"perilaku {b.behaviour_code} di bawah ekspektasi ({b.rater.value})")
            elif b.score is not None and b.score < rule.below_nilai:
                reasons.append(f"perilaku {b.behaviour_code} bernilai {b.score:g} ({b.rater.value})")
        reasons += [
            f"komponen {c.code} bernilai {c.value:.2f} (< {rule.below_nilai:g})"
            for c in result.components
            if c.code in rule.components and c.value < rule.below_nilai
        ]
        if reasons:
            recommendations.append(TrainingRecommendation(rule.code, rule.name, tuple(reasons), rs.code))
    return tuple(recommendations)
