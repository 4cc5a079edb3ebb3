"""Issued documents (the verification register) and bulk document bundles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.org.models import Employee
from app.tenancy import TenantScoped, utc_now


class IssuedDocument(TenantScoped, db.Model):
    """A PDF the system issued: who and what it is about, and the SHA-256 of its bytes.

    ``subject_key`` names what the document is of ("skp:plan:12",
    "evaluasi:evaluation:40"): a newer issue with the same key supersedes it.
    The issued bytes are kept (``storage_key``) so that the same document is
    served again while its data (``data_hash``) has not changed.
    """

    __tablename__ = "issued_document"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        Index("ix_issued_document_tenant_subject", "tenant_id", "subject_key", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))  # in the short URL /<slug>/verifikasi/<code>
    kind: Mapped[str] = mapped_column(String(40))  # the report format's code
    subject_key: Mapped[str] = mapped_column(String(100))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    period_label: Mapped[str] = mapped_column(String(100), default="")
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    issued_at: Mapped[datetime] = mapped_column(default=utc_now)
    sha256: Mapped[str] = mapped_column(String(64))
    data_hash: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(default=0)
    signed: Mapped[bool] = mapped_column(default=False)
    storage_key: Mapped[str | None] = mapped_column(String(200))

    employee: Mapped[Employee | None] = relationship()


class BundleStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class DocumentBundle(TenantScoped, db.Model):
    """A ZIP of every document of one kind for a unit and period, built in the background."""

    __tablename__ = "document_bundle"
    __table_args__ = (Index("ix_document_bundle_tenant_created", "tenant_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # "skp" | "dokumen-evaluasi" | "evaluasi"
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id", ondelete="SET NULL"))
    status: Mapped[BundleStatus] = mapped_column(str_enum(BundleStatus, 10), default=BundleStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    storage_key: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(String(500))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
