"""Server-side sessions: sign-in, sign-out and revocation.

Flask-Login keeps only a random token in the signed cookie; the session row
decides whether it is still good. Logout revokes the row, a password change
revokes every other row of the user, deactivation revokes them all — so a
copied cookie replayed later is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.auth.models import User, UserSession
from app.extensions import db
from app.org.models import Employee, Position
from app.tenancy import current_tenant_id, utc_now

TOUCH_INTERVAL = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> None:
    """Sign ``user`` in on a fresh session (guards against session fixation)."""
    session.clear()
    token = secrets.token_urlsafe(32)
    auth_session = UserSession(token_hash=_digest(token), user=user, tenant_id=user.tenant_id)
    auth_session.token = token
    user.auth_session = auth_session
    user.last_login_at = utc_now()
    db.session.add(auth_session)
    db.session.commit()
    login_user(user)


def user_for_token(token: str) -> User | None:
    """The Flask-Login user loader: a live session of this tenant, or nobody."""
    found = db.session.execute(
        select(UserSession, User)
        .join(User, UserSession.user_id == User.id)
        .where(UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None))
        # Every page asks who the person is and where they sit: one statement, not four.
        .options(joinedload(User.employee).joinedload(Employee.position).joinedload(Position.unit))
    ).first()
    if found is None:
        return None
    auth_session, user = found
    # Scoping already hides other tenants' rows; these checks say the rule
    # out loud and cover platform pages, which see every tenant.
    if not user.active or user.tenant_id != current_tenant_id():
        return None
    now = utc_now()
    idle_limit = timedelta(seconds=current_app.config["SESSION_IDLE_TIMEOUT"])
    max_age = timedelta(seconds=current_app.config["SESSION_MAX_AGE"])
    if now - auth_session.last_seen_at > idle_limit or now - auth_session.created_at > max_age:
        auth_session.revoked_at = now
        db.session.commit()
        return None
    if now - auth_session.last_seen_at > TOUCH_INTERVAL:
        auth_session.last_seen_at = now
        db.session.commit()
    auth_session.token = token
    user.auth_session = auth_session
    return user


def end_session(user: User) -> None:
    """Logout: this browser's session is revoked for good."""
    if user.auth_session is not None:
        user.auth_session.revoked_at = utc_now()
        db.session.commit()
    logout_user()
    session.clear()


def revoke_all_sessions(user: User, keep: UserSession | None = None) -> None:
    """End every session of ``user`` (except ``keep``): password change, deactivation."""
    stmt = (
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utc_now())
    )
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    db.session.execute(stmt)
