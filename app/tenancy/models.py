"""The tenant: one regional government (Pemda)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint, false, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.tenancy.scoping import TenantScoped


class TenantLevel(enum.StrEnum):
    PROVINSI = "provinsi"
    KOTA = "kota"
    KABUPATEN = "kabupaten"
    LAINNYA = "lainnya"


class Tenant(db.Model):
    __tablename__ = "tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[TenantLevel] = mapped_column(
        Enum(TenantLevel, native_enum=False, length=20, validate_strings=True)
    )
    province: Mapped[str] = mapped_column(String(100))
    rule_set_code: Mapped[str] = mapped_column(String(40))
    # Overrides of the rule set's tenant settings, validated by the rule
    # set's marshmallow schema before they are saved.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    locale: Mapped[str] = mapped_column(String(10), default="id")
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    active: Mapped[bool] = mapped_column(default=True)
    # The admin instansi may make two-step sign-in mandatory for every admin.
    two_factor_required_for_admins: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # The document header: where documents are signed ("Sawahlunto") and the
    # logo printed on them (a PNG in storage).
    document_place: Mapped[str | None] = mapped_column(String(100))
    logo_key: Mapped[str | None] = mapped_column(String(200))
    # A PAdES signing certificate (PKCS#12 in storage, its passphrase
    # encrypted with the app's key); documents are signed when both are set.
    signing_key: Mapped[str | None] = mapped_column(String(200))
    signing_passphrase: Mapped[str | None] = mapped_column(String(500))

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class SettingsVersion(TenantScoped, db.Model):
    """One version of a tenant's settings overrides, in force from ``effective_from``.

    The overrides (a dict validated by the rule set's settings schema) that
    apply on a day are those of the latest version whose ``effective_from`` is
    on or before that day; with no version at all, ``Tenant.settings`` (what
    onboarding wrote) is in force. Versions are never edited: a change is a
    new version. ``period_id`` names the period the version was chosen to take
    effect from (its start is ``effective_from``), when one was chosen.
    """

    __tablename__ = "settings_version"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_settings_version_tenant_number"),
        Index("ix_settings_version_tenant_effective", "tenant_id", "effective_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int]
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    effective_from: Mapped[date]
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(500))
    # Where the version came from: "editor", "consultation", "onboarding".
    source: Mapped[str] = mapped_column(String(20), default="editor")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def __repr__(self) -> str:
        return f"<SettingsVersion {self.tenant_id}#{self.number} from {self.effective_from}>"
