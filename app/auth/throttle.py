"""Throttling repeated failed sign-ins, per account and per client.

Keys are HMACs of the tenant slug + username and of the client address, so
the table holds no readable personal data.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app, request
from sqlalchemy import delete, func, select

from app.auth.models import LoginAttempt
from app.extensions import db
from app.tenancy import utc_now


def _key(*parts: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def account_key(realm: str, username: str) -> str:
    return _key("account", realm, username.strip().lower())


def client_key() -> str:
    return _key("client", request.remote_addr or "unknown")


def _window_start() -> datetime:
    return utc_now() - timedelta(seconds=current_app.config["LOGIN_WINDOW"])


def is_throttled(realm: str, username: str) -> bool:
    cfg = current_app.config
    since = _window_start()
    by_account = db.session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.account_key == account_key(realm, username),
            LoginAttempt.attempted_at >= since,
        )
    )
    if by_account >= cfg["LOGIN_MAX_FAILURES"]:
        return True
    by_client = db.session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.client_key == client_key(), LoginAttempt.attempted_at >= since
        )
    )
    return by_client >= cfg["LOGIN_MAX_FAILURES_PER_CLIENT"]


def record_failure(realm: str, username: str) -> None:
    db.session.add(LoginAttempt(account_key=account_key(realm, username), client_key=client_key()))
    # Old rows are useless; prune them as we go instead of needing a cron job.
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < _window_start()))
    db.session.commit()


def clear_failures(realm: str, username: str) -> None:
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.account_key == account_key(realm, username))
    )
