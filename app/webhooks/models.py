"""Webhook endpoints an admin instansi registers, and each delivery to them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import secretbox
from app.extensions import db, str_enum
from app.tenancy import TenantScoped, utc_now


class WebhookEndpoint(TenantScoped, db.Model):
    """A URL that receives the chosen events, signed with ``secret``.

    The secret must be recoverable (the receiver checks an HMAC made with
    it), so it is kept encrypted (``secret_enc``, Fernet from SECRET_KEY:
    ``app.secretbox``) rather than hashed; ``secret`` reads and writes it in
    clear. It is shown once, when the endpoint is created, and never audited.
    """

    __tablename__ = "webhook_endpoint"
    __audit_exclude__ = ("secret_enc",)
    __table_args__ = (Index("ix_webhook_endpoint_tenant_created", "tenant_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(200), default="")
    secret_enc: Mapped[str] = mapped_column(String(500))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    @property
    def secret(self) -> str | None:
        """The signing secret in clear; None when it was stored under another SECRET_KEY."""
        try:
            return secretbox.decrypt(secretbox.WEBHOOK_SECRET, self.secret_enc) if self.secret_enc else None
        except secretbox.Unreadable:
            return None

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_enc = secretbox.encrypt(secretbox.WEBHOOK_SECRET, value)

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # every attempt failed; no retry left


class WebhookDelivery(TenantScoped, db.Model):
    """One event sent (or to be sent) to one endpoint, with its last answer."""

    __tablename__ = "webhook_delivery"
    __audit_exclude__ = ("payload", "attempts", "response_code", "response_excerpt", "error",
                         "last_attempt_at", "next_attempt_at", "status")
    __table_args__ = (
        Index("ix_webhook_delivery_endpoint_created", "endpoint_id", "created_at"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"))
    endpoint: Mapped[WebhookEndpoint] = relationship()
    event_id: Mapped[str] = mapped_column(String(36))  # the payload's "id", the same on every attempt
    event: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus, 10), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    response_code: Mapped[int | None]
    response_excerpt: Mapped[str] = mapped_column(String(500), default="")
    error: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_attempt_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]  # UTC; None when nothing is scheduled
