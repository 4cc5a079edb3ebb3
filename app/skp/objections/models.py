"""Objections (keberatan) to a final evaluation, decided once by the atasan."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
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
    new_score: Mapped[float | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    evaluation: Mapped[Evaluation] = relationship()
