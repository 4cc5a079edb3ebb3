"""Invitations: a one-time link with which an account's holder sets a password.

* The token is random (``secrets.token_urlsafe``); only its SHA-256 is
  stored, so a database leak does not leak usable links.
* A link works once, until ``INVITATION_DAYS`` days after it was issued
  (config ``INVITATION_DAYS``), and only while it is the newest invitation of
  its account: issuing another revokes the older ones.
* An unknown, used, expired or revoked token, or another tenant's, is the
  same "not found" to the visitor; unknown tokens count against the client
  like failed sign-ins (``app.auth.throttle``) so links cannot be guessed.
* Issuing and accepting are audited; neither entry holds the token.

Uses: the admin instansi creates accounts for a unit's employees and resets a
password by invitation (``app.admin.invitation_views``); the platform
operator invites a region's first admin (``app.platform.invitations``). This
module only makes and checks links: e-mailing them belongs to the layers that
may use ``app.notifications``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select, update

from app import audit
from app.auth import throttle
from app.auth.accounts import UserData, save_user
from app.auth.invitation_models import Invitation
from app.auth.models import User
from app.auth.passwords import password_problems
from app.auth.services import set_password
from app.errors import Invalid, NotFound
from app.extensions import db
from app.org.hierarchy import unit_and_descendants
from app.org.models import Employee, Position, Unit
from app.tenancy import current_tenant, local_time, utc_now
from app.tenancy.models import Tenant

INVITATION_DAYS = 7  # default lifetime of a link; config INVITATION_DAYS overrides
MAIL_KIND = "invitation"  # the kind e-mails carry (logged on a delivery failure)
# The name failed look-ups are counted under in the sign-in throttle, per tenant.
THROTTLE_NAME = "#undangan"

ACCOUNT, RESET, FIRST_ADMIN = "account", "reset", "first_admin"
PURPOSES = (ACCOUNT, RESET, FIRST_ADMIN)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime() -> timedelta:
    return timedelta(days=int(current_app.config.get("INVITATION_DAYS", INVITATION_DAYS)))


@dataclass
class Issued:
    """A fresh invitation and its link; the raw token lives only here."""

    invitation: Invitation
    user: User
    url: str
    email: str | None

    @property
    def expires_local(self) -> datetime | None:
        return local_time(self.invitation.expires_at)


def issue(user: User, purpose: str, *, email: str | None = None) -> Issued:
    """A new invitation for ``user`` (older open ones stop working), audited.
    ``email``: where it is to be sent; by default the employee's address."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    if not user.active:
        raise Invalid(_l("Akun ini nonaktif: aktifkan dahulu sebelum mengundang."))
    now = utc_now()
    revoke_open(user, now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(user=user, token_hash=_digest(token), purpose=purpose,
                            created_by_id=_actor_id(), expires_at=now + lifetime())
    db.session.add(invitation)
    db.session.flush()
    audit.record("user.invite", user, None, {"expires_at": invitation.expires_at.isoformat()})
    tenant = db.session.get(Tenant, user.tenant_id)
    url = url_for("auth.invitation_accept", tenant_slug=tenant.slug, token=token, _external=True)
    if email is None and user.employee is not None:
        email = user.employee.email
    return Issued(invitation, user, url, (email or "").strip() or None)


def _actor_id() -> int | None:
    return getattr(current_user, "id", None) if current_user and current_user.is_authenticated else None


def revoke_open(user: User, now: datetime | None = None) -> None:
    db.session.execute(update(Invitation).where(
        Invitation.user_id == user.id, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None),
    ).values(revoked_at=now or utc_now()).execution_options(synchronize_session=False))


def find(token: str | None) -> Invitation | None:
    """The usable invitation with this token in the current tenant, else None."""
    if not token or len(token) > 200:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _digest(token)))
    if invitation is None or invitation.used_at is not None or invitation.revoked_at is not None:
        return None
    if invitation.expires_at <= utc_now() or not invitation.user.active:
        return None
    return invitation


def retry_after() -> int:
    """Seconds this client must wait before looking up another link (0: go ahead)."""
    return throttle.retry_after(_realm(), THROTTLE_NAME)


def count_failure() -> None:
    """An unknown link was asked for: count it like a failed sign-in (commits)."""
    throttle.record_failure(_realm(), THROTTLE_NAME)


def _realm() -> str:
    tenant = current_tenant()
    return tenant.slug if tenant is not None else "platform"


def accept(invitation: Invitation, password: str) -> User:
    """Set the account's password from the link; the link is then used up."""
    user = invitation.user
    tenant = db.session.get(Tenant, user.tenant_id)
    problems = password_problems(password, user.username, (tenant.slug, *tenant.name.split()))
    if problems:
        raise Invalid(" ".join(problems), "password")
    now = utc_now()
    # Used up in one conditional statement: of two requests racing with the
    # same link (or a link revoked meanwhile), only the first one counts.
    claimed = db.session.execute(update(Invitation).where(
        Invitation.id == invitation.id, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None),
        Invitation.expires_at > now,
    ).values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise NotFound(_("Tautan ini tidak berlaku lagi."))
    set_password(user, password, audited=False)
    revoke_open(user, now)
    audit.record("user.invitation_accept", user, None, {"password_set": True})
    return user


def mail_text(issued: Issued) -> str:
    """The e-mail's text (its first line is the subject); the link follows it."""
    tenant = db.session.get(Tenant, issued.user.tenant_id)
    expires = format_datetime(issued.expires_local, "dd-MM-yyyy HH:mm") if issued.expires_local else ""
    first = (_l("Atur kata sandi akun Kinerja %(tenant)s", tenant=tenant.name)
             if issued.invitation.purpose == RESET else
             _l("Undangan akun Kinerja %(tenant)s", tenant=tenant.name))
    body = _l("Nama pengguna Anda: %(username)s. Buka tautan di bawah ini untuk menetapkan kata sandi. "
              "Tautan hanya dapat dipakai sekali dan berlaku sampai %(expires)s. Abaikan surel ini jika "
              "Anda tidak merasa memintanya.", username=issued.user.username, expires=expires)
    return f"{first}\n\n{body}"


# --- accounts for a unit's employees --------------------------------------------------

@dataclass
class NotInvited:
    employee: Employee
    reason: str


@dataclass
class BulkResult:
    invited: list[Issued] = field(default_factory=list)
    already: int = 0  # employees who have an account already
    not_invited: list[NotInvited] = field(default_factory=list)


def accounts_for_unit(unit: Unit, include_sub_units: bool = False) -> BulkResult:
    """Create an account (username: the NIP) for every active employee of the
    unit without one, and invite each; those who cannot be invited are listed
    with the reason. Runs in the caller's transaction."""
    units = unit_and_descendants({unit.id}) if include_sub_units else {unit.id}
    employees = db.session.scalars(
        select(Employee).join(Position, Employee.position_id == Position.id)
        .where(Employee.active, Position.unit_id.in_(units)).order_by(Employee.name, Employee.id)).all()
    with_account = set(db.session.scalars(
        select(User.employee_id).where(User.employee_id.in_([e.id for e in employees]))))
    result = BulkResult()
    for employee in employees:
        if employee.id in with_account:
            result.already += 1
            continue
        if not (employee.email or "").strip():
            result.not_invited.append(NotInvited(employee, str(_l("Belum ada alamat e-mail pegawai."))))
            continue
        taken = db.session.scalar(select(User.id).where(User.username == employee.nip.lower()))
        if taken is not None:
            result.not_invited.append(NotInvited(employee, str(_l(
                "Nama pengguna %(name)s sudah dipakai akun lain.", name=employee.nip))))
            continue
        user = save_user(UserData(username=employee.nip, employee_nip=employee.nip))
        result.invited.append(issue(user, ACCOUNT))
    return result
