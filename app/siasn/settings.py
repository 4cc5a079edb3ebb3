"""The tenant's SIASN settings: where SIASN is, the credentials, and the reference codes.

SIASN identifies periods, quadrants, coefficients and ranks by ids from its
reference lists (``referensi periodik``, ``kuadranNilai``, ``koefisien``,
``golongan``). Only the golongan ids are known (BKN's "31" for III/a); the
others were not found in any public source, so every code is a setting with a
documented default the admin must confirm against the tenant's reference lists
(docs/operations.md, "SIASN export").

Secrets are encrypted with the Fernet key derived from SECRET_KEY under their
own label (``app.secretbox.SIASN_CREDENTIAL``), so they never decrypt as another
kind of secret nor another as them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, secretbox
from app.errors import Invalid
from app.extensions import db
from app.org.ranks import PNS_RANKS, PPPK_RANKS
from app.siasn.models import SiasnSettings

PERIODIK_KEYS = ("triwulan_1", "triwulan_2", "triwulan_3", "triwulan_4", "semester_1", "semester_2",
                 "bulanan", "tahunan")
# Guesses to confirm against referensi periodik (no public source lists the ids).
DEFAULT_PERIODIK = {"triwulan_1": "1", "triwulan_2": "2", "triwulan_3": "3", "triwulan_4": "4",
                    "semester_1": "5", "semester_2": "6", "bulanan": "7", "tahunan": "8"}
DEFAULT_KOEFISIEN = "1"
# kuadranNilai per predikat code. Anchored on the one working integration seen
# (sangat kurang 1, baik 2, sangat baik 5); butuh perbaikan 3 and kurang 4 are
# guesses. Numeric regions' "cukup" and "buruk" take the nearest matrix predikat's.
DEFAULT_KUADRAN = {"sangat_baik": "5", "baik": "2", "butuh_perbaikan": "3", "kurang": "4",
                   "sangat_kurang": "1", "cukup": "3", "buruk": "1"}
# hasilKinerjaNilai, perilakuKerjaNilai (1 di bawah, 2 sesuai, 3 di atas) per predikat, for
# results that carry no ratings (numeric regions, a predikat changed by an objection):
# a cell of the PermenPANRB 6/2022 matrix that gives the predikat.
DEFAULT_RATINGS = {"sangat_baik": (3, 3), "baik": (2, 2), "butuh_perbaikan": (1, 2), "kurang": (2, 1),
                   "sangat_kurang": (1, 1), "cukup": (1, 2), "buruk": (1, 1)}
# BKN golongan ids: I/a = 11 … IV/e = 45 (PPPK golongan have no default).
DEFAULT_GOLONGAN = {code: f"{['I', 'II', 'III', 'IV'].index(code.split('/')[0]) + 1}{'abcde'.index(code[-1]) + 1}"
                    for code in PNS_RANKS}
STATUS_PENILAI = ("ASN", "NON ASN")
_CODE = re.compile(r"^[A-Za-z0-9._:-]{1,40}$")
_KEY = re.compile(r"^[a-z_][a-z0-9_]{0,39}$")
_URL = re.compile(r"^https?://[^\s]{1,290}$")


@dataclass(frozen=True)
class Credentials:
    consumer_key: str
    consumer_secret: str
    client_id: str
    username: str
    password: str


@dataclass(frozen=True)
class SiasnConfig:
    """The settings in force: the stored values over the defaults, secrets decrypted."""

    base_url: str | None = None
    apim_token_url: str | None = None
    sso_token_url: str | None = None
    credentials: Credentials | None = None
    status_penilai: str = "ASN"
    koefisien_id: str = DEFAULT_KOEFISIEN
    periodik: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PERIODIK))
    kuadran: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_KUADRAN))
    ratings: dict[str, tuple[int, int]] = field(default_factory=lambda: dict(DEFAULT_RATINGS))
    golongan: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_GOLONGAN))

    @property
    def can_send(self) -> bool:
        """Credentials and addresses are set: send over HTTP (else: the batch file)."""
        return bool(self.base_url and self.apim_token_url and self.sso_token_url and self.credentials)


def stored() -> SiasnSettings | None:
    return db.session.scalar(select(SiasnSettings))


def _decrypt(token: str | None) -> str:
    if not token:
        return ""
    try:
        return secretbox.decrypt(secretbox.SIASN_CREDENTIAL, token)
    except secretbox.Unreadable:  # SECRET_KEY changed: as if not set
        return ""


def config() -> SiasnConfig:
    row = stored()
    if row is None:
        return SiasnConfig()
    codes = row.codes or {}
    secrets = [_decrypt(row.consumer_key_enc), _decrypt(row.consumer_secret_enc), row.client_id or "",
               row.username or "", _decrypt(row.password_enc)]
    return SiasnConfig(
        base_url=row.base_url, apim_token_url=row.apim_token_url, sso_token_url=row.sso_token_url,
        credentials=Credentials(*secrets) if all(secrets) else None,
        status_penilai=row.status_penilai or "ASN",
        koefisien_id=codes.get("koefisien_id") or DEFAULT_KOEFISIEN,
        periodik={**DEFAULT_PERIODIK, **codes.get("periodik", {})},
        kuadran={**DEFAULT_KUADRAN, **codes.get("kuadran", {})},
        ratings={**DEFAULT_RATINGS, **{k: (int(v[0]), int(v[1])) for k, v in codes.get("ratings", {}).items()}},
        golongan={**DEFAULT_GOLONGAN, **codes.get("golongan", {})},
    )


# --- editing --------------------------------------------------------------------------

@dataclass
class SettingsData:
    """What the form sends. Secrets left empty keep the stored ones; ``clear_credentials`` forgets them."""

    base_url: str = ""
    apim_token_url: str = ""
    sso_token_url: str = ""
    consumer_key: str = ""
    consumer_secret: str = ""
    client_id: str = ""
    username: str = ""
    password: str = ""
    clear_credentials: bool = False
    status_penilai: str = "ASN"
    koefisien_id: str = DEFAULT_KOEFISIEN
    periodik: str = ""  # "key = value" lines
    kuadran: str = ""
    ratings: str = ""
    golongan: str = ""


def mapping_text(values: dict[str, Any]) -> str:
    """A mapping as the form shows it: one "key = value" line each."""
    def show(v: Any) -> str:
        return ",".join(str(x) for x in v) if isinstance(v, (tuple, list)) else str(v)
    return "\n".join(f"{k} = {show(v)}" for k, v in values.items())


def _lines(text: str, name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise Invalid(_l("Baris %(n)d: tulis sebagai kode = nilai.", n=number), name)
        out[key.strip()] = value.strip()
    return out


def _codes(text: str, name: str, keys: set[str] | None) -> dict[str, str]:
    values = _lines(text, name)
    for key, value in values.items():
        if (keys is not None and key not in keys) or (keys is None and not _KEY.match(key)):
            raise Invalid(_l("Kode %(key)s tidak dikenal.", key=key[:40]), name)
        if not _CODE.match(value):
            raise Invalid(_l("Nilai untuk %(key)s harus 1–40 huruf, angka, titik atau tanda hubung.", key=key),
                          name)
    return values


def _ratings(text: str) -> dict[str, list[int]]:
    out = {}
    for key, value in _lines(text, "ratings").items():
        parts = [p.strip() for p in value.split(",")]
        if not _KEY.match(key):
            raise Invalid(_l("Kode %(key)s tidak dikenal.", key=key[:40]), "ratings")
        if len(parts) != 2 or any(p not in {"1", "2", "3"} for p in parts):
            raise Invalid(_l("Nilai untuk %(key)s ditulis sebagai dua angka 1–3, misalnya 2,2.", key=key), "ratings")
        out[key] = [int(p) for p in parts]
    return out


def _url(value: str, name: str) -> str | None:
    value = (value or "").strip().rstrip("/")
    if value and not _URL.match(value):
        raise Invalid(_l("Alamat harus diawali http:// atau https://."), name)
    return value or None


def save(data: SettingsData) -> SiasnSettings:
    """Validate and store the settings (audited; secrets encrypted and never in the trail)."""
    if data.status_penilai not in STATUS_PENILAI:
        raise Invalid(_l("Status penilai tidak dikenal."), "status_penilai")
    koefisien = (data.koefisien_id or "").strip()
    if not _CODE.match(koefisien):
        raise Invalid(_l("ID koefisien harus 1–40 huruf, angka, titik atau tanda hubung."), "koefisien_id")
    codes = {
        "koefisien_id": koefisien,
        "periodik": _codes(data.periodik, "periodik", set(PERIODIK_KEYS)),
        "kuadran": _codes(data.kuadran, "kuadran", None),
        "ratings": _ratings(data.ratings),
        "golongan": _codes(data.golongan, "golongan", set(PNS_RANKS) | set(PPPK_RANKS)),
    }
    urls = {name: _url(getattr(data, name), name) for name in ("base_url", "apim_token_url", "sso_token_url")}
    row = stored()
    before = audit.snapshot(row) if row is not None else None
    row = row or SiasnSettings()
    row.base_url, row.apim_token_url, row.sso_token_url = urls["base_url"], urls["apim_token_url"], urls["sso_token_url"]
    row.status_penilai, row.codes = data.status_penilai, codes
    if data.clear_credentials:
        row.consumer_key_enc = row.consumer_secret_enc = row.password_enc = None
        row.client_id = row.username = None
    else:
        for name in ("consumer_key", "consumer_secret", "password"):
            value = (getattr(data, name) or "").strip()
            if value:
                setattr(row, f"{name}_enc", secretbox.encrypt(secretbox.SIASN_CREDENTIAL, value))
        for name in ("client_id", "username"):
            value = (getattr(data, name) or "").strip()
            if len(value) > 100:
                raise Invalid(_l("Paling banyak %(n)d karakter.", n=100), name)
            if value:
                setattr(row, name, value)
    db.session.add(row)
    db.session.flush()
    audit.record("siasn.settings", row, before)
    return row
