"""The typed outcome of an evaluation: what ``Evaluation.result`` stores.

``EvaluationOutcome`` is a frozen dataclass tree; its JSON form is written and
read by the same typed codec the rule-set snapshots use
(``app.regions.snapshot.jsonable`` / ``load_typed``), so there is no
hand-written decoder. Every field has a default: rows written before a field
existed still load (the JSON shape is the one stored since the first release).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.regions.scoring import AnnualResult, PeriodResult
from app.regions.snapshot import jsonable, load_typed


@dataclass(frozen=True)
class IndicatorRow:
    """One IKI of the plan as the computation used it (target and realisation for the period)."""

    plan_indicator_id: int = 0
    code: str = ""
    library: bool = False
    result: str = ""
    result_kind: str = ""
    name: str = ""
    aspect: str = ""
    direction: str = "higher"
    unit: str = ""
    annual_target: str = ""
    realisation: float | None = None
    target_lower: float | None = None
    target_upper: float | None = None
    how: str = ""
    missing: str | None = None  # why it cannot be scored, when it cannot
    no_realisation: bool = False  # the penilai recorded "tidak ada realisasi": scored as 0


@dataclass(frozen=True)
class UnitMember:
    evaluation_id: int
    employee: str
    status: str
    capaian: float


@dataclass(frozen=True)
class UnitAchievement:
    """A unit head's hasil kerja source: the mean capaian of the unit's other evaluations."""

    unit_id: int
    members: tuple[UnitMember, ...] = ()
    capaian: float | None = None
    unit: str = ""


@dataclass(frozen=True)
class PeerScore:
    rater_id: int
    role: str
    behaviour: str
    score: float


@dataclass(frozen=True)
class FeedbackUsed:
    held_on: str  # ISO date
    face_to_face: bool


@dataclass(frozen=True)
class SatisfactionUsed:
    unit: str
    ikm: float
    respondents: int = 0


@dataclass(frozen=True)
class ComplaintUsed:
    reference: str
    substantiated: bool


@dataclass(frozen=True)
class InputsUsed:
    """Everything the computation read besides the penilai's entries."""

    indicators: tuple[IndicatorRow, ...] = ()
    unit_achievement: UnitAchievement | None = None
    peer_ratings: tuple[PeerScore, ...] = ()
    feedback_sessions: tuple[FeedbackUsed, ...] = ()
    training_hours: float = 0.0
    unit_satisfaction: SatisfactionUsed | None = None
    complaints: tuple[ComplaintUsed, ...] = ()


@dataclass(frozen=True)
class PeriodicFinal:
    """A final periodic evaluation the annual result was computed from."""

    evaluation_id: int
    period: str
    predikat: str | None = None
    score: float | None = None
    rule_set_version: str | None = None


@dataclass(frozen=True)
class EvaluationOutcome:
    """A period's (``kind="period"``) or a year's (``kind="annual"``) computed result."""

    kind: str = "period"
    rule_set_code: str | None = None
    rule_set_version: str | None = None
    rule_set_name: str | None = None
    scheme: str | None = None
    computed_at: str | None = None  # ISO, naive UTC
    inputs: InputsUsed = InputsUsed()
    period: PeriodResult | None = None
    annual: AnnualResult | None = None
    error: str | None = None
    period_error: str | None = None
    blockers: tuple[str, ...] = ()
    periodic: tuple[PeriodicFinal, ...] = ()
    # Stored as the region API's float; ``current_outcome`` shows the exact stored
    # ``Decimal`` in its place (the column ``Evaluation.score``).
    score: float | None = None
    predikat_code: str | None = None
    predikat_label: str | None = None
    # Shown, never stored: an objection decision changed the computed result.
    changed_by_objection: bool = False

    @property
    def computed(self) -> datetime | None:
        """When it was computed (naive UTC), for ``|waktu``."""
        return datetime.fromisoformat(self.computed_at) if self.computed_at else None

    @property
    def achievements(self) -> dict[str, Any]:
        """The period's achievements by indicator code (none for an annual outcome)."""
        return {a.indicator_code: a for a in self.period.achievements} if self.period else {}

    @property
    def complete(self) -> bool:
        return not self.error and self.predikat_code is not None


# --- the codec --------------------------------------------------------------------

def outcome_from_json(data: Mapping[str, Any] | None) -> EvaluationOutcome:
    """Read a stored ``Evaluation.result``."""
    return load_typed(EvaluationOutcome, data or {})


def outcome_to_json(outcome: EvaluationOutcome) -> dict[str, Any]:
    """What ``Evaluation.result`` stores."""
    return jsonable(outcome)


def api_score(value: Decimal | float | None) -> float | None:
    """A stored score as the region API (and the JSON outcome) carries it: a float,
    exactly the two-place value (the API's result types stay floats for plugins)."""
    return None if value is None else float(value)


def outcome_of(evaluation: Any) -> EvaluationOutcome:
    return outcome_from_json(evaluation.result)


def standing_period_result(evaluation: Any, outcome: EvaluationOutcome | None = None) -> PeriodResult:
    """The evaluation's period result as it stands: an objection decision may
    have changed its predikat (and score) after it was computed. An annual
    outcome, which lists no indicators, gives a summary result without any."""
    outcome = outcome or outcome_of(evaluation)
    computed = outcome.period or PeriodResult(
        rule_set_code=outcome.rule_set_code or evaluation.rule_set_code or "",
        rule_set_version=outcome.rule_set_version or evaluation.rule_set_version or "",
        scheme=outcome.scheme or "", employee_ref="", period_label="", achievements=(), components=(),
        hasil_kerja_rating=None, perilaku_rating=None, score=outcome.score,
        predikat_code=outcome.predikat_code or "", predikat_label=outcome.predikat_label or "", steps=())
    return dataclasses.replace(
        computed,
        predikat_code=evaluation.predikat_code or computed.predikat_code,
        predikat_label=evaluation.predikat_label or computed.predikat_label,
        score=api_score(evaluation.score) if evaluation.score is not None else computed.score,
    )
