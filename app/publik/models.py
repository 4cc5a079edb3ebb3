"""Survey responses, complaints and their history, follow-up items,
publications and the public-form counters. Every table is tenant-owned.

Personal data is kept to what the work needs: no client address is stored
(only HMAC-derived keys, and the duplicate key is erased once its window has
passed); a complainant's contact is optional and shown only to the admin.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.org.models import Employee, Unit
from app.tenancy import TenantScoped, utc_now

ELEMENT_COUNT = 9  # the nine SKM elements (unsur) of PermenPANRB 14/2017



class AgeBand(enum.StrEnum):
    UNDER_20 = "lt20"
    FROM_20 = "20-29"
    FROM_30 = "30-39"
    FROM_40 = "40-49"
    FROM_50 = "50-59"
    FROM_60 = "60+"


class RespondentSex(enum.StrEnum):
    L = "L"
    P = "P"


class EducationBand(enum.StrEnum):
    SD = "sd"  # SD or below
    SMP = "smp"
    SMA = "sma"
    DIPLOMA = "diploma"
    S1 = "s1"
    S2_PLUS = "s2"


class Occupation(enum.StrEnum):
    PNS = "pns"  # PNS/TNI/Polri
    SWASTA = "swasta"
    WIRAUSAHA = "wirausaha"
    PELAJAR = "pelajar"
    IRT = "irt"  # ibu/bapak rumah tangga
    LAINNYA = "lainnya"


class SurveyResponse(TenantScoped, db.Model):
    """One citizen's answers to the nine SKM elements for one unit (1–4 each)."""

    __tablename__ = "survey_response"
    __table_args__ = (
        Index("ix_survey_response_tenant_unit_day", "tenant_id", "unit_id", "submitted_on"),
        Index("ix_survey_response_tenant_duplicate", "tenant_id", "duplicate_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    # The tenant's local date: what the reporting periods count by.
    submitted_on: Mapped[date]
    submitted_at: Mapped[datetime] = mapped_column(default=utc_now)
    u1: Mapped[int]
    u2: Mapped[int]
    u3: Mapped[int]
    u4: Mapped[int]
    u5: Mapped[int]
    u6: Mapped[int]
    u7: Mapped[int]
    u8: Mapped[int]
    u9: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    age_band: Mapped[AgeBand | None] = mapped_column(str_enum(AgeBand, 10))
    sex: Mapped[RespondentSex | None] = mapped_column(str_enum(RespondentSex, 1))
    education: Mapped[EducationBand | None] = mapped_column(str_enum(EducationBand, 10))
    occupation: Mapped[Occupation | None] = mapped_column(str_enum(Occupation, 10))
    # HMAC of (client, unit, answers) while the duplicate window runs; NULL after.
    duplicate_key: Mapped[str | None] = mapped_column(String(64))

    unit: Mapped[Unit] = relationship()

    @property
    def answers(self) -> tuple[int, ...]:
        return tuple(getattr(self, f"u{i}") for i in range(1, ELEMENT_COUNT + 1))


class ComplaintCategory(enum.StrEnum):
    PELAYANAN = "pelayanan"  # slow or poor service
    PERILAKU = "perilaku"  # staff conduct
    BIAYA = "biaya"  # unofficial fees, tariffs
    PROSEDUR = "prosedur"  # requirements, procedure
    SARANA = "sarana"  # facilities
    LAINNYA = "lainnya"


class ComplaintStatus(enum.StrEnum):
    DITERIMA = "diterima"  # received, not yet looked at
    DITELAAH = "ditelaah"  # triaged: accepted for handling
    DITUGASKAN = "ditugaskan"  # assigned to a unit / staff member
    DIJAWAB = "dijawab"  # a public response was given
    SELESAI = "selesai"  # closed

    @property
    def is_open(self) -> bool:
        return self is not ComplaintStatus.SELESAI


class Complaint(TenantScoped, db.Model):
    """A citizen complaint (pengaduan). The tracking code is the citizen's
    only key to it; the contact is optional and seen by the admin only."""

    __tablename__ = "complaint"
    __table_args__ = (
        UniqueConstraint("tenant_id", "tracking_code"),
        Index("ix_complaint_tenant_status", "tenant_id", "status"),
        Index("ix_complaint_tenant_unit_received", "tenant_id", "unit_id", "received_at"),
        Index("ix_complaint_tenant_employee", "tenant_id", "employee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16))
    category: Mapped[ComplaintCategory] = mapped_column(str_enum(ComplaintCategory))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    # The employee the complaint is about, if the citizen named one.
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    description: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[ComplaintStatus] = mapped_column(str_enum(ComplaintStatus), default=ComplaintStatus.DITERIMA)
    assigned_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    assigned_employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    # None until the admin records a finding; True: substantiated (terbukti).
    substantiated: Mapped[bool | None]
    received_at: Mapped[datetime] = mapped_column(default=utc_now)
    received_on: Mapped[date]  # tenant's local date, for periods
    first_response_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    duplicate_key: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    employee: Mapped[Employee | None] = relationship(foreign_keys=[employee_id])
    assigned_unit: Mapped[Unit | None] = relationship(foreign_keys=[assigned_unit_id])
    assigned_employee: Mapped[Employee | None] = relationship(foreign_keys=[assigned_employee_id])
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def reference(self) -> str:
        """The internal reference staff and region plugins see (never the tracking code)."""
        return f"ADU-{self.id:05d}"


class ComplaintEvent(TenantScoped, db.Model):
    """One step of a complaint's history. ``public_message`` is what the
    citizen reads on the tracking page; ``note`` stays internal."""

    __tablename__ = "complaint_event"
    __table_args__ = (Index("ix_complaint_event_tenant_complaint", "tenant_id", "complaint_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utc_now)
    status: Mapped[ComplaintStatus] = mapped_column(str_enum(ComplaintStatus))
    note: Mapped[str | None] = mapped_column(Text)
    public_message: Mapped[str | None] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Set on the step that records a finding: True terbukti, False tidak terbukti.
    finding: Mapped[bool | None]

    complaint: Mapped[Complaint] = relationship(back_populates="events")


class FollowUpItem(TenantScoped, db.Model):
    """A follow-up the region's rules require after a substantiated complaint
    about an employee: shown to that employee's supervisor."""

    __tablename__ = "follow_up_item"
    __table_args__ = (
        Index("ix_follow_up_item_tenant_supervisor", "tenant_id", "supervisor_id"),
        Index("ix_follow_up_item_tenant_employee", "tenant_id", "employee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(300))
    rule_set_code: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    due_on: Mapped[date]
    done_at: Mapped[datetime | None]

    complaint: Mapped[Complaint] = relationship()
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    supervisor: Mapped[Employee | None] = relationship(foreign_keys=[supervisor_id])


class PublicationKind(enum.StrEnum):
    IKM = "ikm"
    PENGADUAN = "pengaduan"
    PREDIKAT = "predikat"
    LAPORAN = "laporan"


class Publication(TenantScoped, db.Model):
    """What the admin published for citizens. ``data`` is a snapshot of the
    already-suppressed aggregates taken at publication: the public page shows
    exactly that, so later data never changes a published figure."""

    __tablename__ = "publication"
    __table_args__ = (Index("ix_publication_tenant_kind_period", "tenant_id", "kind", "year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PublicationKind] = mapped_column(str_enum(PublicationKind))
    year: Mapped[int]
    quarter: Mapped[int] = mapped_column(default=0)  # 1–4, or 0 for the whole year
    period_label: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    published_at: Mapped[datetime] = mapped_column(default=utc_now)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None]

    published_by = relationship("User")


class PublikSettings(TenantScoped, db.Model):
    """The tenant's settings for the public pages (one row per tenant)."""

    __tablename__ = "publik_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Groups smaller than this are shown as "<n>" on public pages.
    min_group_size: Mapped[int] = mapped_column(default=5)
    # Citizens' contact details on complaints closed longer ago than this are
    # blanked by ``flask publik apply-retention`` (app/portability/retention.py).
    contact_retention_days: Mapped[int] = mapped_column(default=365, server_default="365")


class PublicSubmission(TenantScoped, db.Model):
    """One public form submission (or failed tracking lookup) by a client,
    for rate limits across workers. ``client_key`` is an HMAC of the address;
    rows older than the window are pruned as new ones arrive."""

    __tablename__ = "public_submission"
    __table_args__ = (Index("ix_public_submission_tenant_client", "tenant_id", "client_key", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_key: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utc_now)
