"""Signing in and changing passwords."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.auth import throttle, two_factor
from app.auth.models import User
from app.auth.passwords import hash_password, needs_rehash, password_problems, verify_password
from app.auth.sessions import revoke_all_sessions
from app.errors import Invalid
from app.extensions import db
from app.tenancy import current_tenant_id, utc_now
from app.tenancy.models import Tenant


class SignInThrottled(Exception):
    """Too many failed attempts; this client must wait ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def authenticate(realm: str, username: str, password: str) -> User | None:
    """The account for these credentials, or None — the same None for an
    unknown user, a wrong password and a deactivated account.

    ``realm`` is the tenant slug, or ``"platform"`` for operators; the caller
    has already set the tenant (or ``all_tenants`` for the platform).
    """
    username = username.strip().lower()
    if wait := throttle.retry_after(realm, username):
        raise SignInThrottled(wait)
    query = select(User).where(User.username == username)
    if realm == "platform":
        query = query.where(User.tenant_id.is_(None), User.is_platform_operator)
    else:
        query = query.where(User.tenant_id == current_tenant_id())
    user = db.session.scalar(query)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        throttle.record_failure(realm, username)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if not user.two_factor_enabled:
        throttle.clear_failures(realm, username)
    return user


def confirm_second_factor(realm: str, user: User, code: str) -> bool:
    """The second step of signing in: a wrong code counts as a failed sign-in."""
    if wait := throttle.retry_after(realm, user.username):
        raise SignInThrottled(wait)
    if not user.active or not two_factor.verify_second_factor(user, code):
        throttle.record_failure(realm, user.username)
        return False
    throttle.clear_failures(realm, user.username)
    return True


def _context_words(user: User) -> tuple[str, ...]:
    """Words of the account's world an attacker tries first: the tenant's slug and name."""
    tenant = db.session.get(Tenant, user.tenant_id) if user.tenant_id else None
    return (tenant.slug, *tenant.name.split()) if tenant else ()


def set_password(user: User, new_password: str, *, audited: bool = True) -> None:
    """Set a new password and end every other session of the account.

    Audited as ``user.password_change`` (that it changed, nothing secret);
    ``audited=False`` is for callers whose own entry already says so
    (``save_user`` records ``password_set``).
    """
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utc_now()
    revoke_all_sessions(user, keep=user.auth_session)
    if audited:
        audit.record("user.password_change", user, None, {"password_set": True})


def change_password(user: User, current_password: str, new_password: str) -> None:
    """The account holder changes their own password: the current one must be
    right and the new one must pass the rules (``Invalid`` on the field)."""
    if not verify_password(user.password_hash, current_password):
        raise Invalid(_l("Kata sandi sekarang salah."), "current_password")
    problems = password_problems(new_password, user.username, _context_words(user))
    if problems:
        raise Invalid(" ".join(problems), "new_password")
    set_password(user, new_password)


def deactivate_user(user: User) -> None:
    before = audit.snapshot(user)
    user.active = False
    revoke_all_sessions(user)
    audit.record("user.deactivate", user, before)
