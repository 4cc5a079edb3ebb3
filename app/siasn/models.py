"""What the SIASN export stores: the tenant's settings, a status per final
evaluation, and a log of every request sent and the answer received."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.skp.evaluation.models import Evaluation
from app.tenancy import TenantScoped, utc_now


class ExportStatus(enum.StrEnum):
    PENDING = "pending"  # belum dikirim (also: no row yet)
    QUEUED = "queued"  # dalam antrean: a job will send it
    SENT = "sent"  # terkirim, with the id SIASN returned
    FAILED = "failed"  # gagal, with SIASN's answer; retried after a backoff


class SiasnSettings(TenantScoped, db.Model):
    """One row per tenant: where SIASN is, how to sign in, and the reference codes.

    Secrets are stored encrypted (``*_enc``, Fernet from SECRET_KEY) and never audited.
    ``codes`` holds the reference-code mappings; ``app.siasn.settings`` fills in
    the defaults for whatever is missing.
    """

    __tablename__ = "siasn_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    base_url: Mapped[str | None] = mapped_column(String(300))
    apim_token_url: Mapped[str | None] = mapped_column(String(300))
    sso_token_url: Mapped[str | None] = mapped_column(String(300))
    consumer_key_enc: Mapped[str | None] = mapped_column(String(500))
    consumer_secret_enc: Mapped[str | None] = mapped_column(String(500))
    client_id: Mapped[str | None] = mapped_column(String(100))
    username: Mapped[str | None] = mapped_column(String(100))
    password_enc: Mapped[str | None] = mapped_column(String(500))
    status_penilai: Mapped[str] = mapped_column(String(20), default="ASN")
    codes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class SiasnExport(TenantScoped, db.Model):
    """The SIASN status of one final evaluation (no row: belum dikirim)."""

    __tablename__ = "siasn_export"
    __table_args__ = (
        UniqueConstraint("tenant_id", "evaluation_id"),
        Index("ix_siasn_export_tenant_status", "tenant_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("skp_evaluation.id", ondelete="CASCADE"))
    status: Mapped[ExportStatus] = mapped_column(str_enum(ExportStatus, 10), default=ExportStatus.PENDING)
    remote_id: Mapped[str | None] = mapped_column(String(100))  # the id SIASN returned
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_attempt_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)

    evaluation: Mapped[Evaluation] = relationship()


class SiasnSendLog(TenantScoped, db.Model):
    """One request to SIASN and its answer: no credentials, no PDF bytes."""

    __tablename__ = "siasn_send_log"
    __table_args__ = (Index("ix_siasn_send_log_tenant_export", "tenant_id", "export_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("siasn_export.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(String(100))
    request_body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    response_status: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
