"""During the period: realisation per IKI and sub-period, and its evidence (bukti dukung)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.periods.models import Period
from app.skp.planning.models import PlanIndicator
from app.tenancy import TenantScoped, utc_now


class Realisation(TenantScoped, db.Model):
    """What was achieved on one IKI in one sub-period."""

    __tablename__ = "skp_realisation"
    __table_args__ = (UniqueConstraint("tenant_id", "indicator_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("skp_indicator.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))  # a sub-period
    value: Mapped[float | None]
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
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
    uploaded_at: Mapped[datetime] = mapped_column(default=utc_now)

    realisation: Mapped[Realisation] = relationship(back_populates="evidence")
