"""API tokens: create, list, revoke, and find the token a request presents.

A secret looks like ``knj_<prefix>_<random>``: ``prefix`` (10 hex digits) is
stored in clear to find the row, the whole secret only as its SHA-256. The
secret is shown once, when the token is made (the web page or
``flask tokens create``), and can never be read again: a lost secret means a
new token. Every create and revoke is audited; using a token is not (it
only moves ``last_used_at``, at most once a minute).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app import audit
from app.api.models import ApiToken
from app.errors import Invalid
from app.extensions import db
from app.tenancy import all_tenants, utc_now
from app.tenancy.models import Tenant

# Every scope a token may carry, with what it allows (Indonesian, for the admin page).
SCOPES: dict[str, object] = {
    "org:read": _l("Membaca unit kerja, jabatan, pegawai, periode dan status jejak audit"),
    "org:write": _l("Menambah, mengubah dan menonaktifkan pegawai"),
    "skp:read": _l("Membaca SKP beserta RHK dan IKI"),
    "skp:write": _l("Mencatat realisasi beserta tautan bukti dukung"),
    "evaluations:read": _l("Membaca penilaian, hasil akhir dan keberatan"),
    "publik:read": _l("Membaca IKM per unit dan statistik pengaduan"),
    "siasn:export": _l("Melihat status dan mengirim hasil penilaian ke SIASN"),
    "webhooks:manage": _l("Mengelola webhook dan pengirimannya"),
}
PREFIX_LENGTH = 10
MAX_EXPIRY_DAYS = 3650
TOUCH_INTERVAL = timedelta(minutes=1)
_SECRET = re.compile(r"^knj_([0-9a-f]{10})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_scopes(scopes: list[str] | tuple[str, ...]) -> list[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise Invalid(_l("Cakupan tidak dikenal: %(scopes)s.", scopes=", ".join(unknown)), "scopes")
    if not scopes:
        raise Invalid(_l("Pilih sekurang-kurangnya satu cakupan."), "scopes")
    return [scope for scope in SCOPES if scope in scopes]  # the catalogue's order, no duplicates


def create_token(name: str, scopes: list[str] | tuple[str, ...], expires_in_days: int | None = None,
                 created_by_id: int | None = None) -> NewToken:
    """A new token of the current tenant; its secret is in the answer only."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid(_l("Nama token wajib diisi (paling banyak 100 karakter)."), "name")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise Invalid(_l("Masa berlaku antara 1 dan %(max)d hari.", max=MAX_EXPIRY_DAYS), "expires_in_days")
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = f"knj_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(name=name, prefix=prefix, secret_hash=digest(secret), scopes=check_scopes(scopes),
                     created_by_id=created_by_id,
                     expires_at=utc_now() + timedelta(days=expires_in_days) if expires_in_days else None)
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.create", token, None)
    return NewToken(token, secret)


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is not None:
        raise Invalid(_l("Token ini sudah dicabut."), "revoked_at")
    before = audit.snapshot(token)
    token.revoked_at = utc_now()
    audit.record("api_token.revoke", token, before)


def tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.revoked_at.is_not(None),
                                                             ApiToken.created_at.desc(), ApiToken.id.desc())))


def find_presented(secret: str) -> tuple[ApiToken, Tenant] | None:
    """The live token whose secret this is, with its active tenant, or None.

    Runs before the tenant is known, so it says it crosses tenants; the row is
    found by its public prefix and the hash compared in constant time."""
    match = _SECRET.match(secret or "")
    if match is None:
        return None
    with all_tenants("finding the API token a request presents"):
        found = db.session.execute(
            select(ApiToken, Tenant).join(Tenant, Tenant.id == ApiToken.tenant_id)
            .where(ApiToken.prefix == match.group(1))
        ).first()
    if found is None:
        return None
    token, tenant = found
    if not hmac.compare_digest(token.secret_hash, digest(secret)):
        return None
    if not token.is_usable(utc_now()) or not tenant.active:
        return None
    return token, tenant


def touch(token: ApiToken, now: datetime) -> None:
    """Move ``last_used_at`` when it is a minute old (one write a minute at most)."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                       .execution_options(synchronize_session=False))
    db.session.commit()
