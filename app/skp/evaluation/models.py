"""Evaluations of a period (draft, then final with its rule-set snapshot) and 360° ratings."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db, str_enum
from app.org.models import Employee
from app.periods.models import Period
from app.regions.scoring import round_score
from app.skp.planning.models import Plan
from app.tenancy import TenantScoped, utc_now

# A stored score: exact, two places. Six digits hold every scheme's range (0–120 in
# PP 30/2019, 0–100 in PP 46/2011) with room to spare: at most 9999.99.
SCORE_TYPE = Numeric(6, 2)


def exact_score(value: float | Decimal | None) -> Decimal | None:
    """The one conversion of a score into what is stored: the region API's float
    (or an entered decimal) as an exact ``Decimal``, half-up to two places."""
    return None if value is None else round_score(value)


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
    # The score as stored and shown (exact, half-up to two places); ``result`` keeps
    # the region API's floats as they came.
    score: Mapped[Decimal | None] = mapped_column(SCORE_TYPE)
    predikat_code: Mapped[str | None] = mapped_column(String(40))
    predikat_label: Mapped[str | None] = mapped_column(String(80))
    rule_set_code: Mapped[str | None] = mapped_column(String(40))
    rule_set_version: Mapped[str | None] = mapped_column(String(40))
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    finalised_at: Mapped[datetime | None]
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # When the pegawai received the result: the objection window runs from here.
    delivered_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship()
    period: Mapped[Period] = relationship()
    evaluator: Mapped[Employee | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @validates("score")
    def _exact(self, _key: str, value: float | Decimal | None) -> Decimal | None:
        # Every writer (the computed outcome, an objection decision) goes through here.
        return exact_score(value)


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
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class RuleJobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class RuleJob(TenantScoped, db.Model):
    """Bulk rule work on a period ("terapkan ulang aturan"), run in the background
    (``app.skp.evaluation.reapply``) with its progress for the page to poll."""

    __tablename__ = "rule_job"
    __table_args__ = (Index("ix_rule_job_tenant_created", "tenant_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # "reapply"
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id", ondelete="SET NULL"))
    status: Mapped[RuleJobStatus] = mapped_column(str_enum(RuleJobStatus, 10), default=RuleJobStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(String(500))
    error: Mapped[str | None] = mapped_column(String(500))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
