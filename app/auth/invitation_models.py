"""One-time invitations to set a password (app/auth/invitations.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.tenancy import TenantScoped, utc_now


class Invitation(TenantScoped, db.Model):
    """A link that lets the account's holder set a password once. The row
    holds the SHA-256 of the random token, never the token itself."""

    __tablename__ = "invitation"
    __table_args__ = (Index("ix_invitation_tenant_user", "tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "account", "reset" or "first_admin"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]  # a newer invitation for the same account replaced it

    user: Mapped[User] = relationship(foreign_keys=[user_id])
