"""The SKM survey: recording responses and reading a unit's IKM for a period.

Runs for the current tenant (request or ``tenant_scope``); the ORM scoping
filters every query. Nothing here commits; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.org.models import Unit
from app.publik import abuse
from app.publik.ikm import ELEMENTS, IkmResult, ikm_from_sums
from app.publik.models import SurveyResponse
from app.publik.periods import ReportingPeriod
from app.regions.inputs import UnitSatisfaction

_ELEMENT_COLUMNS = [getattr(SurveyResponse, f"u{i}") for i in range(1, len(ELEMENTS) + 1)]


class SurveyOutcome:
    SAVED = "saved"
    DUPLICATE = "duplicate"
    RATE_LIMITED = "rate_limited"
    DISCARDED = "discarded"  # honeypot filled: silently dropped


@dataclass(frozen=True)
class SurveyAnswers:
    unit_id: int
    answers: tuple[int, ...]
    comment: str | None = None
    age_band: str | None = None
    sex: str | None = None
    education: str | None = None
    occupation: str | None = None


def submit_response(data: SurveyAnswers, submitted_on, honeypot_filled: bool = False) -> str:
    """Record one response after the abuse checks; returns a ``SurveyOutcome``."""
    if honeypot_filled:
        return SurveyOutcome.DISCARDED
    if abuse.is_rate_limited("survey"):
        return SurveyOutcome.RATE_LIMITED
    key = abuse.duplicate_key("survey", data.unit_id, *data.answers)
    if abuse.is_duplicate_survey(key):
        return SurveyOutcome.DUPLICATE
    response = SurveyResponse(
        unit_id=data.unit_id, submitted_on=submitted_on, duplicate_key=key,
        comment=(data.comment or "").strip() or None,
        age_band=data.age_band or None, sex=data.sex or None,
        education=data.education or None, occupation=data.occupation or None,
        **{f"u{i}": a for i, a in enumerate(data.answers, start=1)},
    )
    db.session.add(response)
    abuse.record_submission("survey")
    return SurveyOutcome.SAVED


def _sums_query(period: ReportingPeriod):
    return (
        select(SurveyResponse.unit_id, func.count(), *[func.sum(c) for c in _ELEMENT_COLUMNS])
        .where(SurveyResponse.submitted_on >= period.starts_on, SurveyResponse.submitted_on <= period.ends_on)
        .group_by(SurveyResponse.unit_id)
    )


def ikm_by_unit(period: ReportingPeriod) -> dict[int, IkmResult]:
    """Every unit with responses in the period → its IKM (one query)."""
    return {
        row[0]: ikm_from_sums(row[1], [int(s) for s in row[2:]])
        for row in db.session.execute(_sums_query(period)).all()
    }


def unit_ikm(unit_id: int, period: ReportingPeriod) -> IkmResult | None:
    row = db.session.execute(_sums_query(period).where(SurveyResponse.unit_id == unit_id)).first()
    return ikm_from_sums(row[1], [int(s) for s in row[2:]]) if row else None


def trend(unit_id: int, periods: Sequence[ReportingPeriod]) -> list[tuple[ReportingPeriod, IkmResult | None]]:
    return [(p, unit_ikm(unit_id, p)) for p in periods]


def respondent_counts(period: ReportingPeriod) -> dict[int, int]:
    rows = db.session.execute(
        select(SurveyResponse.unit_id, func.count())
        .where(SurveyResponse.submitted_on >= period.starts_on, SurveyResponse.submitted_on <= period.ends_on)
        .group_by(SurveyResponse.unit_id)
    ).all()
    return {unit_id: count for unit_id, count in rows}


# --- plugin input ----------------------------------------------------------------------

def unit_satisfaction(unit: Unit, period: ReportingPeriod) -> UnitSatisfaction | None:
    """The unit's IKM for a period as the region plugins receive it
    (``app.regions.inputs.UnitSatisfaction``); None without responses."""
    result = unit_ikm(unit.id, period)
    if result is None:
        return None
    return UnitSatisfaction(unit_code=unit.code, ikm=float(result.index),
                            respondents=result.respondents, period_label=period.label)
