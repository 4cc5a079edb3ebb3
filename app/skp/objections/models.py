"""Objections (keberatan) to a final evaluation, decided once by the atasan."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.skp.evaluation.models import Evaluation
from app.tenancy import TenantScoped, utc_now


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
    lodged_at: Mapped[datetime] = mapped_column(default=utc_now)
    deadline: Mapped[date]  # last day of the objection window
    reasons: Mapped[str] = mapped_column(Text)
    decider_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))  # the atasan
    status: Mapped[ObjectionStatus] = mapped_column(str_enum(ObjectionStatus, 10), default=ObjectionStatus.OPEN)
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    original_predikat_code: Mapped[str | None] = mapped_column(String(40))
    new_predikat_code: Mapped[str | None] = mapped_column(String(40))
    new_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))  # exact, as Evaluation.score
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    evaluation: Mapped[Evaluation] = relationship()
    files: Mapped[list[ObjectionFile]] = relationship(
        back_populates="objection", order_by="ObjectionFile.id", cascade="all, delete-orphan")


class ObjectionSide(enum.StrEnum):
    """Who attached a file: the pegawai who objects, or the atasan who decides."""

    PEGAWAI = "pegawai"
    ATASAN = "atasan"


class ObjectionFile(TenantScoped, db.Model):
    """A file attached to an objection, stored through ``app.storage`` like evidence
    (under a generated key; the user's name is kept only for display)."""

    __tablename__ = "skp_objection_file"
    __table_args__ = (Index("ix_skp_objection_file_tenant_objection", "tenant_id", "objection_id"),)
    __audit_type__ = "objection_file"
    # The trail keeps what reads as words (name, type, size, who, when); the key stays out.
    __audit_exclude__ = ("storage_key",)

    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("skp_objection.id", ondelete="CASCADE"))
    side: Mapped[ObjectionSide] = mapped_column(str_enum(ObjectionSide, 10))
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utc_now)

    objection: Mapped[Objection] = relationship(back_populates="files")
