"""Accounts, their server-side sessions and sign-in attempts."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.org.models import Employee
from app.tenancy import TenantScoped, utc_now


class User(TenantScoped, UserMixin, db.Model):
    """A sign-in account. Tenant users belong to one tenant; platform
    operators (``tenant_id`` NULL) to none."""

    __tablename__ = "user_account"
    __tenant_optional__ = True
    __audit_exclude__ = ("totp_last_step",)  # moves at every two-step sign-in
    __table_args__ = (
        UniqueConstraint("tenant_id", "username"),
        Index(
            "uq_user_account_operator_username",
            "username",
            unique=True,
            sqlite_where=text("tenant_id IS NULL"),
            postgresql_where=text("tenant_id IS NULL"),
        ),
        Index("ix_user_account_tenant_employee", "tenant_id", "employee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    # NULL until a password is set: no account has a default password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    is_admin: Mapped[bool] = mapped_column(default=False)  # admin instansi
    is_platform_operator: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    password_changed_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Two-step sign-in (TOTP, RFC 6238): the shared secret (base32), when it was
    # switched on, and the last time step accepted (a code is good only once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    employee: Mapped[Employee | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    # Set by the session loader: the server-side session this request uses.
    auth_session = None  # type: UserSession | None

    def get_id(self) -> str | None:
        # Flask-Login stores this in the cookie: the session token, never the
        # user id, so that revoking the server-side row ends the session.
        return self.auth_session.token if self.auth_session else None

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    def __str__(self) -> str:
        return self.username


class RecoveryCode(TenantScoped, db.Model):
    """A one-time recovery code for two-step sign-in, stored as an Argon2id hash."""

    __tablename__ = "recovery_code"
    __tenant_optional__ = True
    __table_args__ = (Index("ix_recovery_code_tenant_user", "tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    used_at: Mapped[datetime | None]


class UserSession(TenantScoped, db.Model):
    """A signed-in browser. The cookie holds a random token; the row holds
    its SHA-256, so a database leak does not leak live sessions."""

    __tablename__ = "user_session"
    __tenant_optional__ = True
    __table_args__ = (Index("ix_user_session_tenant_user", "tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    # The raw token exists only in memory, right after sign-in or lookup.
    token = None  # type: str | None


class LoginAttempt(db.Model):
    """Failed sign-ins, for throttling. Not tenant-scoped on purpose: it is
    written before anyone is known and keyed by a tenant *slug* plus keyed
    hashes, so it holds no readable personal data."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_account", "account_key", "attempted_at"),
        Index("ix_login_attempt_client", "client_key", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    client_key: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(default=utc_now)
