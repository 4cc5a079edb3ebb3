"""What the penilai enters (``Evaluation.inputs``), typed, and the audit view of an evaluation.

The entries are stored as the JSON form of ``RatingData`` (the same typed
codec as the outcome and the rule-set snapshots).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from app import audit
from app.regions.snapshot import jsonable, load_typed
from app.skp.evaluation.models import Evaluation


@dataclass(frozen=True)
class RatingData:
    """What the penilai enters on the rating form (and the unit's organisation
    predikat, set on the distribution page)."""

    hasil_kerja_rating: str | None = None
    perilaku_rating: str | None = None
    behaviour_scores: dict[str, float] = field(default_factory=dict)
    components: dict[str, float] = field(default_factory=dict)
    has_innovation: bool = False
    additional_points: float = 0.0
    note: str | None = None
    organisation_predikat: str | None = None
    # Plan indicator ids the penilai recorded "tidak ada realisasi" for (scored as 0).
    no_realisation: list[int] = field(default_factory=list)


def entries_of(evaluation: Evaluation) -> RatingData:
    return load_typed(RatingData, evaluation.inputs or {})


def store_entries(evaluation: Evaluation, entries: RatingData) -> None:
    evaluation.inputs = jsonable(entries)


def set_organisation_predikat_entry(evaluation: Evaluation, code: str) -> None:
    store_entries(evaluation, replace(entries_of(evaluation), organisation_predikat=code))


# --- the audit trail ------------------------------------------------------------------

def audit_view(evaluation: Evaluation) -> dict[str, Any]:
    """The parts of an evaluation its audit entries record, before and after."""
    return {
        "status": evaluation.status.value, "inputs": evaluation.inputs or {}, "score": evaluation.score,
        "predikat_code": evaluation.predikat_code, "rule_set_code": evaluation.rule_set_code,
        "rule_set_version": evaluation.rule_set_version,
    }


def record(action: str, evaluation: Evaluation, before: dict | None, reason: str | None = None,
           skip_unchanged: bool = True, after: Any = None) -> None:
    audit.record(action, evaluation, before, after if after is not None else audit_view(evaluation),
                 reason=reason, employee_id=evaluation.plan.employee_id, skip_unchanged=skip_unchanged)
