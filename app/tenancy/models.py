"""The tenant: one regional government (Pemda)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, String, false, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


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
