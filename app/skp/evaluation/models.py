"""Evaluations of a period (draft, then final with its rule-set snapshot) and 360° ratings."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.org.models import Employee
from app.periods.models import Period
from app.skp.planning.models import Plan
from app.tenancy import TenantScoped, utc_now


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
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
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
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
