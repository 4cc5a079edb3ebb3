"""Typed inputs the scoring functions and hooks receive.

They are plain frozen dataclasses so that the scoring is pure and testable
without a database. Several describe data from domains that do not exist yet
in the core — a unit's citizen satisfaction index (SKM/IKM), citizen
complaints, training records, feedback sessions, the criteria consultation —
and define the shape in which those domains will hand their data to region
plugins once they are built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.regions.types import Expectation, Rater, Target


@dataclass(frozen=True)
class IndicatorRealisation:
    """An IKI's target and realisation for one period."""

    indicator_code: str
    target: Target
    realisation: float


@dataclass(frozen=True)
class BehaviourAssessment:
    """One rater's view of one behaviour: a score (numeric schemes, 0–120)
    and/or a rating against expectations (matrix scheme)."""

    behaviour_code: str
    rater: Rater = Rater.ATASAN
    score: float | None = None
    rating: Expectation | None = None


@dataclass(frozen=True)
class ComponentValue:
    """A value the penilai enters for an ``INPUT`` component (e.g. discipline)."""

    component_code: str
    value: float


@dataclass(frozen=True)
class UnitSatisfaction:
    """The SKM result of the employee's unit (PermenPANRB 14/2017): IKM 25–100.

    Comes from the citizen survey domain (not built yet)."""

    unit_code: str
    ikm: float
    respondents: int = 0
    period_label: str = ""


@dataclass(frozen=True)
class Complaint:
    """A citizen complaint about an employee (complaints domain, not built yet).
    Only ``substantiated`` complaints have consequences."""

    reference: str
    received_on: date
    substantiated: bool
    subject: str = ""


@dataclass(frozen=True)
class TrainingParticipation:
    """Training an employee attended in the period, in JP (jam pelajaran)."""

    hours: float
    sessions: int = 0


@dataclass(frozen=True)
class FeedbackSession:
    """A performance conversation (dialog kinerja) between penilai and pegawai."""

    held_on: date
    face_to_face: bool
    summary: str = ""


@dataclass(frozen=True)
class EvaluationInput:
    """Everything a period's evaluation of one employee is computed from."""

    employee_ref: str
    period_label: str
    indicator_results: tuple[IndicatorRealisation, ...] = ()
    behaviours: tuple[BehaviourAssessment, ...] = ()
    component_values: tuple[ComponentValue, ...] = ()
    hasil_kerja_rating: Expectation | None = None
    perilaku_rating: Expectation | None = None
    additional_points: float = 0.0
    has_innovation: bool = False
    unit_satisfaction: UnitSatisfaction | None = None
    training: TrainingParticipation | None = None
    feedback_sessions: tuple[FeedbackSession, ...] = ()
    complaints: tuple[Complaint, ...] = ()
    sector: str = "umum"


@dataclass(frozen=True)
class CriteriaConsultation:
    """The indicator set of a period published to employees for comment
    before plans lock (Sawahlunto's transparency rule)."""

    published_on: date
    closes_on: date
    comments_received: int = 0
    responses_published: bool = False


@dataclass(frozen=True)
class PlanningInput:
    """What the core knows when an admin asks to lock a period's plans."""

    period_label: str
    lock_on: date
    sectors: tuple[str, ...] = ()
    consultation: CriteriaConsultation | None = None


@dataclass(frozen=True)
class FollowUpSignal:
    """Something that happened to an employee that may call for follow-up:
    a complaint, a survey result, a finished evaluation."""

    employee_ref: str
    complaints: tuple[Complaint, ...] = ()
    unit_satisfaction: UnitSatisfaction | None = None
    predikat_code: str | None = None
