"""Assessment periods: a year and its sub-periods (quarters, semesters, months)."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.tenancy import TenantScoped


class PeriodKind(enum.StrEnum):
    YEAR = "year"
    SEMESTER = "semester"
    QUARTER = "quarter"
    MONTH = "month"


class Period(TenantScoped, db.Model):
    __tablename__ = "period"
    __table_args__ = (
        UniqueConstraint("tenant_id", "year", "kind", "sequence"),
        Index("ix_period_tenant_parent", "tenant_id", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    kind: Mapped[PeriodKind] = mapped_column(str_enum(PeriodKind, 10))
    sequence: Mapped[int] = mapped_column(default=1)  # 1 for the year, 1-4 for quarters, ...
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("period.id"))
    plans_lock_on: Mapped[date | None]
    evaluation_due_on: Mapped[date | None]

    parent: Mapped[Period | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Period]] = relationship(back_populates="parent", order_by="Period.sequence")

    @property
    def label(self) -> str:
        names = {
            PeriodKind.YEAR: f"{self.year}",
            PeriodKind.SEMESTER: f"Semester {self.sequence} {self.year}",
            PeriodKind.QUARTER: f"Triwulan {self.sequence} {self.year}",
            PeriodKind.MONTH: f"{self.starts_on:%m}/{self.year}",
        }
        return names[self.kind]
