"""Two-step sign-in: TOTP (RFC 6238, pyotp) and one-time recovery codes.

For admin instansi and platform operators. Operators must use it unless
``PLATFORM_TWO_FACTOR_REQUIRED`` is off; a tenant makes it mandatory for its
admins (``Tenant.two_factor_required_for_admins``). A code is accepted once
(the last accepted time step is kept); recovery codes are random, shown once,
stored as Argon2id hashes and each good for one sign-in.
"""

from __future__ import annotations

import base64
import calendar
import hmac
import io
import secrets
from datetime import datetime

import pyotp
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app import audit
from app.auth.models import RecoveryCode, User
from app.auth.passwords import hash_password, verify_password
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.tenancy import utc_now
from app.tenancy.models import Tenant

STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code of the step before or after is accepted too (clock drift)
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
RECOVERY_LENGTH = 12  # 31**12 ≈ 2**59, hashed with Argon2id
INVALID_CODE = _l("Kode tidak valid atau sudah dipakai. Periksa aplikasi autentikator Anda.")


def may_use(user: User) -> bool:
    """Who may switch two-step sign-in on: admin instansi and platform operators."""
    return bool(user.is_admin or user.is_platform_operator)


def required_for(user: User, tenant: Tenant | None) -> bool:
    """Whether ``user`` must use two-step sign-in (and so enrol before anything else)."""
    if user.is_platform_operator and user.tenant_id is None:
        return bool(current_app.config["PLATFORM_TWO_FACTOR_REQUIRED"])
    return bool(user.is_admin and tenant is not None and tenant.two_factor_required_for_admins)


def must_enrol(user: User, tenant: Tenant | None) -> bool:
    return required_for(user, tenant) and not user.two_factor_enabled


# --- TOTP -------------------------------------------------------------------------------

def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def current_step(at: datetime) -> int:
    """The TOTP time step of a naive-UTC moment."""
    return calendar.timegm(at.timetuple()) // STEP_SECONDS


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=current_app.config["TWO_FACTOR_ISSUER"])


def qr_data_uri(text: str) -> str:
    """An inline SVG QR code (CSP allows data: images; the secret never goes to another URL)."""
    # Imported here: only enrolment draws a QR code, and qrcode with its SVG writer is slow to import.
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    code = "".join(ch for ch in code if not ch.isspace())
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = current_step(utc_now())
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def normalise_recovery_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def _use_recovery_code(user: User, text: str) -> bool:
    code = normalise_recovery_code(text)
    if len(code) != RECOVERY_LENGTH or not code.isascii():
        return False
    for row in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                             RecoveryCode.used_at.is_(None))):
        if verify_password(row.code_hash, code):
            row.used_at = utc_now()
            audit.record("user.recovery_code_used", user, None, {"recovery_code_used": True})
            return True
    return False


def verify_second_factor(user: User, text: str) -> bool:
    """A fresh TOTP code or an unused recovery code of ``user`` (spent either way)."""
    if not user.two_factor_enabled or not text:
        return False
    step = _matching_step(user.totp_secret, text, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return True
    return _use_recovery_code(user, text)


# --- enrolment ------------------------------------------------------------------------------

def _recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))


def display_recovery_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; the plain codes are returned to be shown once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, tenant_id=user.tenant_id, code_hash=hash_password(code)))
    return [display_recovery_code(code) for code in codes]


def enable(user: User, secret: str, code: str) -> list[str]:
    """Switch two-step sign-in on once the user proves their app has ``secret``."""
    if not may_use(user):
        raise Forbidden(_l("Verifikasi dua langkah hanya untuk admin dan operator platform."))
    step = _matching_step(secret, code, None)
    if step is None:
        raise Invalid(INVALID_CODE, "code")
    user.totp_secret, user.totp_last_step, user.totp_enabled_at = secret, step, utc_now()
    codes = new_recovery_codes(user)
    audit.record("user.two_factor_enable", user, None, {"two_factor": True})
    return codes


def disable(user: User, tenant: Tenant | None, password: str) -> None:
    if required_for(user, tenant):
        raise Invalid(_l("Verifikasi dua langkah wajib untuk akun Anda dan tidak dapat dimatikan."), "password")
    if not verify_password(user.password_hash, password):
        raise Invalid(_l("Kata sandi sekarang salah."), "password")
    user.totp_secret, user.totp_last_step, user.totp_enabled_at = None, None, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("user.two_factor_disable", user, {"two_factor": True}, {"two_factor": False})


def unused_recovery_codes(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def set_required_for_admins(tenant: Tenant, user: User, required: bool) -> None:
    """The admin instansi makes two-step sign-in mandatory (or not) for every admin."""
    if required and not user.two_factor_enabled:
        raise Invalid(_l("Aktifkan verifikasi dua langkah untuk akun Anda sendiri terlebih dahulu."), "required")
    if tenant.two_factor_required_for_admins == required:
        return
    before = {"two_factor_required_for_admins": tenant.two_factor_required_for_admins}
    tenant.two_factor_required_for_admins = required
    audit.record("tenant.two_factor_rule", tenant, before, {"two_factor_required_for_admins": required})
