"""Throttling failed sign-ins without letting anyone lock an account's owner out.

OWASP ASVS 5.0 chapter 6 (V6.3.1, V6.1.1) asks for brute-force controls that
do not enable malicious lock-out. Two limits, neither of which refuses the
owner for long (docs/operations.md, "Sign-in throttling"):

* per account **and** client: after ``LOGIN_MAX_FAILURES`` failures of one
  account from one client, that client waits before its next try for this
  account, ``LOGIN_DELAY_BASE`` seconds doubling with every further failure
  (at most ``LOGIN_DELAY_MAX``). The owner signing in from another client is
  not affected, and the right password after the pause gets in;
* per client and realm (a tenant, or the platform): ``LOGIN_MAX_FAILURES_PER_CLIENT``
  failures within ``LOGIN_WINDOW`` from one client stop that client trying
  more accounts in that realm only, until the window has moved on.

A throttled attempt checks no password (no oracle) and is not recorded. Keys
are HMACs, so the table holds no readable personal data.
"""

from __future__ import annotations

import hashlib
import hmac
import math
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


def client_key(realm: str | None = None) -> str:
    """The client address; with a realm, within that realm only (a limit hit
    at one tenant leaves the others alone). Without, for public-page limits."""
    address = request.remote_addr or "unknown"
    return _key("client", address) if realm is None else _key("client", realm, address)


def _window_start() -> datetime:
    return utc_now() - timedelta(seconds=current_app.config["LOGIN_WINDOW"])


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` failures of one account from one client."""
    cfg = current_app.config
    extra = failures - cfg["LOGIN_MAX_FAILURES"]
    if extra < 0:
        return 0
    return min(cfg["LOGIN_DELAY_BASE"] * 2 ** min(extra, 30), cfg["LOGIN_DELAY_MAX"])


def retry_after(realm: str, username: str) -> int:
    """Seconds this client must wait before trying this account again (0: go ahead)."""
    cfg = current_app.config
    since = _window_start()
    now = utc_now()
    failures, last = db.session.execute(
        select(func.count(), func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.account_key == account_key(realm, username),
            LoginAttempt.client_key == client_key(realm),
            LoginAttempt.attempted_at >= since,
        )
    ).one()
    wait = 0.0
    if failures and (delay := delay_after(failures)):
        wait = max(wait, (last + timedelta(seconds=delay) - now).total_seconds())
    by_client = db.session.scalars(
        select(LoginAttempt.attempted_at)
        .where(LoginAttempt.client_key == client_key(realm), LoginAttempt.attempted_at >= since)
        .order_by(LoginAttempt.attempted_at.desc())
        .offset(cfg["LOGIN_MAX_FAILURES_PER_CLIENT"] - 1).limit(1)
    ).first()
    if by_client is not None:  # the limit is reached until its oldest counted failure leaves the window
        wait = max(wait, (by_client + timedelta(seconds=cfg["LOGIN_WINDOW"]) - now).total_seconds())
    return max(0, math.ceil(wait))


def record_failure(realm: str, username: str) -> None:
    db.session.add(LoginAttempt(account_key=account_key(realm, username), client_key=client_key(realm)))
    # Old rows are useless; prune them as we go instead of needing a cron job.
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < _window_start()))
    db.session.commit()


def clear_failures(realm: str, username: str) -> None:
    """A success forgets this client's failures for the account (others' stay)."""
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.account_key == account_key(realm, username),
                                   LoginAttempt.client_key == client_key(realm))
    )
