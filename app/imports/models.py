"""A bulk import of organisation data: uploaded, previewed, then applied."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db, str_enum
from app.tenancy import TenantScoped, utc_now


class ImportKind(enum.StrEnum):
    UNITS = "units"
    POSITIONS = "positions"
    EMPLOYEES = "employees"


class ImportStatus(enum.StrEnum):
    VALIDATING = "validating"
    PREVIEW = "preview"  # validated, waiting for the admin to confirm
    APPLYING = "applying"
    APPLIED = "applied"
    REJECTED = "rejected"  # had bad rows; nothing written
    FAILED = "failed"  # an unexpected error; nothing written



class ImportBatch(TenantScoped, db.Model):
    __tablename__ = "import_batch"
    __table_args__ = (Index("ix_import_batch_tenant_created", "tenant_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(str_enum(ImportKind))
    filename: Mapped[str] = mapped_column(String(255))
    status: Mapped[ImportStatus] = mapped_column(str_enum(ImportStatus), default=ImportStatus.VALIDATING)
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    # Parsed, normalised rows: [{"line": 2, "action": "create", "values": {...}}]
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Every bad row: [{"line": 5, "field": "nip", "message": "..."}]
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    # When the current job (check or apply) started: a job whose process died
    # is recognised by its age (see services.expire_abandoned).
    job_started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
