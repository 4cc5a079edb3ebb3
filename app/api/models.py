"""API tokens and the replay store of ``Idempotency-Key`` answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.tenancy import TenantScoped, utc_now


class ApiToken(TenantScoped, db.Model):
    """A secret a system presents as ``Authorization: Bearer <secret>``.

    Only the SHA-256 of the secret is stored (the secret is 256 random bits,
    so a plain hash is enough; no password stretching is needed). ``prefix``
    is the public start of the secret: it finds the row before the tenant is
    known, so it is unique across tenants, and it names the token in lists.
    """

    __tablename__ = "api_token"
    __audit_exclude__ = ("last_used_at",)  # moves with use, decided by nobody
    __table_args__ = (
        UniqueConstraint("prefix"),
        Index("ix_api_token_tenant_created", "tenant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    expires_at: Mapped[datetime | None]  # UTC; None: never expires
    last_used_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    revoked_at: Mapped[datetime | None]

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def __str__(self) -> str:
        return self.name


class IdempotencyRecord(TenantScoped, db.Model):
    """The answer to a POST sent with ``Idempotency-Key``, kept for a day so a
    retried request gets the same answer instead of a second object."""

    __tablename__ = "api_idempotency"
    __audit_exclude__ = ("token_id", "key", "request_hash", "status", "body", "headers")  # never audited
    __table_args__ = (
        UniqueConstraint("tenant_id", "token_id", "key"),
        Index("ix_api_idempotency_tenant_created", "tenant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
