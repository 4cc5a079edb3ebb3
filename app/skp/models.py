"""The appraisal cycle: plans (SKP), their results and indicators, realisation
and evidence, feedback, evaluations, objections and follow-up training.

Every row belongs to one tenant. Plans, realisations and evaluations carry a
``version`` column: a save from a stale form is refused (optimistic locking).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.org.models import Employee
from app.periods.models import Period
from app.tenancy import TenantScoped


def _now() -> datetime:
    return datetime.utcnow()


# --- plans (SKP) -------------------------------------------------------------------

class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    AGREED = "agreed"
    RETURNED = "returned"  # sent back with notes; editable again like a draft


class ResultKind(enum.StrEnum):
    UTAMA = "utama"
    TAMBAHAN = "tambahan"


class Plan(TenantScoped, db.Model):
    """An employee's SKP for one year."""

    __tablename__ = "skp_plan"
    __table_args__ = (
        UniqueConstraint("tenant_id", "employee_id", "period_id"),
        Index("ix_skp_plan_tenant_period_status", "tenant_id", "period_id", "status"),
        Index("ix_skp_plan_tenant_assigned_penilai", "tenant_id", "assigned_penilai_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))  # the YEAR period
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus), default=PlanStatus.DRAFT)
    # Set only when the admin reassigns the pejabat penilai for this plan;
    # None means the organisation chart decides (app/skp/permissions.py).
    assigned_penilai_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    # Position and unit when the plan was written: people move, plans don't.
    position_name: Mapped[str] = mapped_column(String(200), default="")
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    return_notes: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    agreed_at: Mapped[datetime | None]
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("skp_plan.id"))
    # Lampiran: dukungan sumber daya, skema pertanggungjawaban, konsekuensi.
    resources: Mapped[str | None] = mapped_column(Text)
    accountability: Mapped[str | None] = mapped_column(Text)
    consequences: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=_now)
    version: Mapped[int] = mapped_column(default=1)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    assigned_penilai: Mapped[Employee | None] = relationship(foreign_keys=[assigned_penilai_id])
    period: Mapped[Period] = relationship()
    results: Mapped[list[PlanResult]] = relationship(
        back_populates="plan", order_by="PlanResult.position", cascade="all, delete-orphan")
    behaviours: Mapped[list[PlanBehaviour]] = relationship(
        back_populates="plan", order_by="PlanBehaviour.position", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class PlanResult(TenantScoped, db.Model):
    """An RHK (rencana hasil kerja)."""

    __tablename__ = "skp_result"
    __table_args__ = (
        Index("ix_skp_result_tenant_plan", "tenant_id", "plan_id"),
        Index("ix_skp_result_tenant_supports", "tenant_id", "supports_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("skp_plan.id", ondelete="CASCADE"))
    kind: Mapped[ResultKind] = mapped_column(str_enum(ResultKind, 10), default=ResultKind.UTAMA)
    description: Mapped[str] = mapped_column(Text)
    # The superior's RHK this one supports ("RHK atasan yang diintervensi").
    supports_id: Mapped[int | None] = mapped_column(ForeignKey("skp_result.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="results")
    supports: Mapped[PlanResult | None] = relationship(remote_side=[id])
    indicators: Mapped[list[PlanIndicator]] = relationship(
        back_populates="result", order_by="PlanIndicator.position", cascade="all, delete-orphan")


class PlanIndicator(TenantScoped, db.Model):
    """An IKI: from the region's indicator library (``indicator_code``) or the employee's own."""

    __tablename__ = "skp_indicator"
    __table_args__ = (Index("ix_skp_indicator_tenant_result", "tenant_id", "result_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("skp_result.id", ondelete="CASCADE"))
    indicator_code: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(Text)
    aspect: Mapped[str] = mapped_column(String(20))  # kuantitas | kualitas | waktu | biaya
    direction: Mapped[str] = mapped_column(String(20), default="higher")  # higher | lower
    unit: Mapped[str] = mapped_column(String(60))  # "dokumen", "%", "hari"
    target_lower: Mapped[float]
    target_upper: Mapped[float]  # equal to target_lower unless the target is a range
    position: Mapped[int] = mapped_column(default=0)

    result: Mapped[PlanResult] = relationship(back_populates="indicators")
    realisations: Mapped[list[Realisation]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan")


class PlanBehaviour(TenantScoped, db.Model):
    """A perilaku kerja (BerAKHLAK value) with the leader's specific expectation."""

    __tablename__ = "skp_behaviour"
    __table_args__ = (UniqueConstraint("tenant_id", "plan_id", "behaviour_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("skp_plan.id", ondelete="CASCADE"))
    behaviour_code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    expectation: Mapped[str | None] = mapped_column(Text)  # ekspektasi khusus pimpinan
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="behaviours")


class IndicatorAssignment(TenantScoped, db.Model):
    """The admin's "give this indicator set to a whole unit or position" in one step."""

    __tablename__ = "skp_indicator_assignment"
    __table_args__ = (Index("ix_skp_indicator_assignment_tenant_period", "tenant_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    indicator_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=_now)


# --- during the period ---------------------------------------------------------------

class Realisation(TenantScoped, db.Model):
    """What was achieved on one IKI in one sub-period."""

    __tablename__ = "skp_realisation"
    __table_args__ = (UniqueConstraint("tenant_id", "indicator_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("skp_indicator.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))  # a sub-period
    value: Mapped[float | None]
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(default=1)

    indicator: Mapped[PlanIndicator] = relationship(back_populates="realisations")
    period: Mapped[Period] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="realisation", order_by="Evidence.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class EvidenceKind(enum.StrEnum):
    FILE = "file"
    LINK = "link"


class EvidenceReview(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Evidence(TenantScoped, db.Model):
    """Bukti dukung: an uploaded file (stored under a safe generated name) or a link."""

    __tablename__ = "skp_evidence"
    __table_args__ = (Index("ix_skp_evidence_tenant_realisation", "tenant_id", "realisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    realisation_id: Mapped[int] = mapped_column(ForeignKey("skp_realisation.id", ondelete="CASCADE"))
    kind: Mapped[EvidenceKind] = mapped_column(str_enum(EvidenceKind, 10))
    url: Mapped[str | None] = mapped_column(String(1000))
    storage_key: Mapped[str | None] = mapped_column(String(200))
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    review: Mapped[EvidenceReview] = mapped_column(str_enum(EvidenceReview, 10), default=EvidenceReview.PENDING)
    review_note: Mapped[str | None] = mapped_column(Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=_now)

    realisation: Mapped[Realisation] = relationship(back_populates="evidence")


class FeedbackMessage(TenantScoped, db.Model):
    """Dialog kinerja: a message in the thread on a plan, or on one RHK/IKI of it."""

    __tablename__ = "skp_feedback_message"
    __table_args__ = (Index("ix_skp_feedback_message_tenant_plan", "tenant_id", "plan_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("skp_plan.id", ondelete="CASCADE"))
    result_id: Mapped[int | None] = mapped_column(ForeignKey("skp_result.id", ondelete="CASCADE"))
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("skp_indicator.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=_now)


class FeedbackSession(TenantScoped, db.Model):
    """A recorded performance conversation: date, notes, agreed actions."""

    __tablename__ = "skp_feedback_session"
    __table_args__ = (Index("ix_skp_feedback_session_tenant_plan", "tenant_id", "plan_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("skp_plan.id", ondelete="CASCADE"))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id"))
    held_on: Mapped[date]
    face_to_face: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(Text)
    agreed_actions: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=_now)


# --- evaluation -----------------------------------------------------------------------

class EvaluationStatus(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"  # frozen with its rule-set snapshot


class Evaluation(TenantScoped, db.Model):
    """The penilai's evaluation of a plan for one period (a sub-period or the year).

    While a draft it is recomputed from its inputs; finalising stores the
    result together with the rule-set code, version and snapshot it came from,
    and from then on it is never recomputed (a plugin upgrade rewrites nothing).
    """

    __tablename__ = "skp_evaluation"
    __table_args__ = (
        UniqueConstraint("tenant_id", "plan_id", "period_id"),
        Index("ix_skp_evaluation_tenant_period_status", "tenant_id", "period_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("skp_plan.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))
    status: Mapped[EvaluationStatus] = mapped_column(str_enum(EvaluationStatus, 10), default=EvaluationStatus.DRAFT)
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    # What the penilai entered: ratings, behaviour scores, component values,
    # innovation, additional points — the EvaluationInput minus the realisations.
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The computed result (PeriodResult/AnnualResult as JSON) with its steps.
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    score: Mapped[float | None]
    predikat_code: Mapped[str | None] = mapped_column(String(40))
    predikat_label: Mapped[str | None] = mapped_column(String(80))
    rule_set_code: Mapped[str | None] = mapped_column(String(40))
    rule_set_version: Mapped[str | None] = mapped_column(String(40))
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    finalised_at: Mapped[datetime | None]
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # When the pegawai received the result: the objection window runs from here.
    delivered_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship()
    period: Mapped[Period] = relationship()
    evaluator: Mapped[Employee | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class PeerRating(TenantScoped, db.Model):
    """A behaviour rating from someone other than the penilai (360°: rekan, bawahan)."""

    __tablename__ = "skp_peer_rating"
    __table_args__ = (UniqueConstraint("tenant_id", "evaluation_id", "rater_id", "behaviour_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("skp_evaluation.id", ondelete="CASCADE"))
    rater_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    rater_role: Mapped[str] = mapped_column(String(20))  # app.regions.types.Rater value
    behaviour_code: Mapped[str] = mapped_column(String(60))
    score: Mapped[float | None]
    rating: Mapped[str | None] = mapped_column(String(20))  # app.regions.types.Expectation value
    created_at: Mapped[datetime] = mapped_column(default=_now)


class ObjectionStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the result stands
    CHANGED = "changed"  # the atasan changed the result


class Objection(TenantScoped, db.Model):
    """Keberatan: lodged with the atasan pejabat penilai, whose decision is final."""

    __tablename__ = "skp_objection"
    __table_args__ = (UniqueConstraint("tenant_id", "evaluation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("skp_evaluation.id", ondelete="CASCADE"))
    lodged_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    lodged_at: Mapped[datetime] = mapped_column(default=_now)
    deadline: Mapped[date]  # last day of the objection window
    reasons: Mapped[str] = mapped_column(Text)
    decider_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))  # the atasan
    status: Mapped[ObjectionStatus] = mapped_column(str_enum(ObjectionStatus, 10), default=ObjectionStatus.OPEN)
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    original_predikat_code: Mapped[str | None] = mapped_column(String(40))
    new_predikat_code: Mapped[str | None] = mapped_column(String(40))
    new_score: Mapped[float | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    evaluation: Mapped[Evaluation] = relationship()


# --- follow-up ----------------------------------------------------------------------------

class TrainingCourse(TenantScoped, db.Model):
    """The admin's training catalogue."""

    __tablename__ = "training_course"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[float] = mapped_column(default=0)  # JP (jam pelajaran)
    # Which rule-set training recommendation codes this course answers.
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)


class TrainingStatus(enum.StrEnum):
    RECOMMENDED = "recommended"
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    DECLINED = "declined"


class TrainingRecord(TenantScoped, db.Model):
    """A recommendation for an employee and how far it got."""

    __tablename__ = "training_record"
    __table_args__ = (Index("ix_training_record_tenant_employee", "tenant_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("skp_evaluation.id", ondelete="SET NULL"))
    recommendation_code: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("training_course.id"))
    status: Mapped[TrainingStatus] = mapped_column(str_enum(TrainingStatus, 12), default=TrainingStatus.RECOMMENDED)
    year: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)

    employee: Mapped[Employee] = relationship()
    course: Mapped[TrainingCourse | None] = relationship()


class Notification(TenantScoped, db.Model):
    """An in-app inbox entry: a task or an event for one user."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_tenant_user_read", "tenant_id", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=_now)
    read_at: Mapped[datetime | None]
