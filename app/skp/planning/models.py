"""Plans (SKP): RHK (rencana hasil kerja), their IKI, the BerAKHLAK expectations, indicator sets."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.org.models import Employee
from app.periods.models import Period
from app.tenancy import TenantScoped, utc_now

if TYPE_CHECKING:  # the other end of a relationship, in a later stage
    from app.skp.realisation.models import Realisation


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
    # None means the organisation chart decides (app/skp/planning/access.py).
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
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
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
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
