"""Onboarding a region (tenant): from the web form and from tenants/<slug>.toml.

A spec that cannot be used raises ``Invalid`` naming the form field (``file``
for an onboarding file that cannot be read)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.passwords import hash_password, password_problems
from app.errors import Invalid
from app.extensions import db
from app.regions.manager import regions
from app.regions.settings import SettingsError, effective_settings
from app.skp.evaluation.models import Evaluation
from app.tenancy import all_tenants, tenant_scope
from app.tenancy.models import SettingsVersion, Tenant, TenantLevel
from app.tenancy.web import RESERVED_SLUGS

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,39}$")


@dataclass
class TenantSpec:
    slug: str
    name: str
    level: str
    province: str
    rule_set: str
    locale: str = "id"
    timezone: str = "Asia/Jakarta"
    settings: dict[str, Any] = field(default_factory=dict)
    admin_username: str = "admin"
    admin_password: str | None = None  # None: the account has no password yet


def load_spec(path: Path) -> TenantSpec:
    """Read one onboarding file (see tenants/*.toml)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise Invalid(f"{path}: {exc}", "file") from exc
    tenant = data.get("tenant", {})
    missing = [k for k in ("slug", "name", "level", "province", "rule_set") if k not in tenant]
    if missing:
        raise Invalid(f"{path}: [tenant] lacks {', '.join(missing)}", "file")
    return TenantSpec(
        slug=tenant["slug"], name=tenant["name"], level=tenant["level"], province=tenant["province"],
        rule_set=tenant["rule_set"], locale=tenant.get("locale", "id"),
        timezone=tenant.get("timezone", "Asia/Jakarta"), settings=data.get("settings", {}),
        admin_username=data.get("admin", {}).get("username", "admin"),
    )


def validate_spec(spec: TenantSpec) -> None:
    if not SLUG_RE.match(spec.slug) or spec.slug in RESERVED_SLUGS:
        raise Invalid(_l("Slug harus 2-40 huruf kecil, angka atau tanda hubung, diawali huruf, dan bukan kata khusus."), "slug")
    if spec.level not in {lvl.value for lvl in TenantLevel}:
        raise Invalid(_l("Tingkat pemerintahan tidak dikenal: %(level)s.", level=spec.level), "level")
    rule_set = regions().get(spec.rule_set)
    if rule_set is None:
        raise Invalid(_l("Aturan daerah %(code)s tidak terpasang.", code=spec.rule_set), "rule_set")
    try:
        effective_settings(rule_set, spec.settings)
    except SettingsError as exc:
        raise Invalid(_l("Pengaturan daerah tidak valid: %(problems)s",
                                             problems=exc.detail), "settings") from exc
    if spec.locale not in ("id", "en"):
        raise Invalid(_l("Bahasa harus id atau en."), "locale")
    if spec.admin_password:
        problems = password_problems(spec.admin_password, spec.admin_username, (spec.slug, *spec.name.split()))
        if problems:
            raise Invalid(" ".join(problems), "admin_password")


def onboard(spec: TenantSpec) -> tuple[Tenant, bool]:
    """Create or update the tenant and its first admin. Idempotent: running it
    again updates the tenant's fields and never resets an existing password.
    Returns the tenant and whether it was created."""
    validate_spec(spec)
    with all_tenants("onboarding a tenant"):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == spec.slug))
    created = tenant is None
    tenant_before = None if created else audit.snapshot(tenant)
    tenant = tenant or Tenant(slug=spec.slug)
    tenant.name, tenant.level, tenant.province = spec.name, TenantLevel(spec.level), spec.province
    tenant.rule_set_code, tenant.locale, tenant.timezone = spec.rule_set, spec.locale, spec.timezone
    tenant.settings = spec.settings
    db.session.add(tenant)
    db.session.flush()
    with tenant_scope(tenant):
        # The tenant's own trail starts here (unchanged re-runs add nothing).
        audit.record("tenant.create" if created else "tenant.update", tenant, tenant_before)
        admin = db.session.scalar(select(User).where(User.username == spec.admin_username))
        admin_before = audit.snapshot(admin) if admin is not None else None
        if admin is None:
            admin = User(username=spec.admin_username, is_admin=True)
            db.session.add(admin)
        admin.is_admin, admin.active = True, True
        password_set = bool(spec.admin_password and not admin.password_hash)
        if password_set:
            admin.password_hash = hash_password(spec.admin_password)
        db.session.flush()
        audit.record("user.create" if admin_before is None else "user.update", admin, admin_before,
                     {**audit.snapshot(admin), **({"password_set": True} if password_set else {})})
        db.session.commit()
    return tenant, created


# --- the operator's controls over an existing region ---------------------------------------

# The time zones of Indonesia (WIB, WITA, WIT).
TIMEZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
MAX_REASON = 500


@dataclass
class TenantMeta:
    """What an operator may change about a region (its slug, data and accounts stay)."""

    name: str
    level: str
    province: str
    rule_set: str
    locale: str
    timezone: str


def find_tenant(slug: str) -> Tenant | None:
    with all_tenants("a platform operator opens a region"):
        return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def has_evaluations(tenant: Tenant) -> bool:
    """Whether any evaluation (draft or final) of the region exists."""
    with tenant_scope(tenant):
        return db.session.scalar(select(Evaluation.id).limit(1)) is not None


def _check_meta(tenant: Tenant, meta: TenantMeta) -> None:
    if not meta.name.strip():
        raise Invalid(_l("Nama pemerintah daerah wajib diisi."), "name")
    if not meta.province.strip():
        raise Invalid(_l("Provinsi wajib diisi."), "province")
    if meta.level not in {lvl.value for lvl in TenantLevel}:
        raise Invalid(_l("Tingkat pemerintahan tidak dikenal: %(level)s.", level=meta.level), "level")
    if meta.locale not in ("id", "en"):
        raise Invalid(_l("Bahasa harus id atau en."), "locale")
    if meta.timezone not in TIMEZONES:
        raise Invalid(_l("Zona waktu harus WIB, WITA atau WIT."), "timezone")
    if meta.rule_set == tenant.rule_set_code:
        return
    rule_set = regions().get(meta.rule_set)
    if rule_set is None:
        raise Invalid(_l("Aturan daerah %(code)s tidak terpasang.", code=meta.rule_set), "rule_set")
    if has_evaluations(tenant):
        raise Invalid(_l("Aturan daerah tidak dapat diganti: daerah ini sudah memiliki penilaian kinerja. "
                         "Hasil yang ada dihitung dengan aturan daerahnya sendiri."), "rule_set")
    with tenant_scope(tenant):
        stored = [tenant.settings or {}, *(v.settings for v in db.session.scalars(select(SettingsVersion)))]
    for settings in stored:
        try:
            effective_settings(rule_set, settings)
        except SettingsError as exc:
            raise Invalid(_l("Pengaturan daerah yang tersimpan tidak cocok dengan aturan daerah %(code)s: "
                             "%(problems)s", code=meta.rule_set, problems=exc.detail), "rule_set") from exc


def update_tenant(tenant: Tenant, meta: TenantMeta) -> Tenant:
    """Change a region's name, level, province, language, time zone and — while it
    has no evaluation — its rule set. Audited in the region's own trail."""
    _check_meta(tenant, meta)
    before = audit.snapshot(tenant)
    tenant.name, tenant.level, tenant.province = meta.name.strip(), TenantLevel(meta.level), meta.province.strip()
    tenant.rule_set_code, tenant.locale, tenant.timezone = meta.rule_set, meta.locale, meta.timezone
    with tenant_scope(tenant):
        audit.record("tenant.update", tenant, before)
    return tenant


def set_active(tenant: Tenant, active: bool, reason: str | None) -> Tenant:
    """Deactivate (``active=False``) or reactivate a region, with the reason.
    Nothing is deleted: a deactivated region's pages answer "Layanan daerah ini
    sedang dinonaktifkan" (``app.tenancy.web``) until it is reactivated."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Tuliskan alasannya."), "reason")
    if len(reason) > MAX_REASON:
        raise Invalid(_l("Alasan paling banyak %(n)d karakter.", n=MAX_REASON), "reason")
    if tenant.active == active:
        raise Invalid(_l("Daerah ini sudah aktif.") if active else _l("Daerah ini sudah nonaktif."))
    before = audit.snapshot(tenant)
    tenant.active = active
    with tenant_scope(tenant):
        audit.record("tenant.reactivate" if active else "tenant.deactivate", tenant, before, reason=reason)
    return tenant
