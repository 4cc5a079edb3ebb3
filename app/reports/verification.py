"""The verification register, read by anyone holding a document: is this code
ours, is the document still valid or superseded by a newer issue, and do the
bytes someone holds match what was issued?

The public page shows no personal data in clear: the name and NIP are masked
(``mask_name``, ``mask_nip``). Nothing personal is logged. Lookups of unknown
codes and uploads count against the client like the complaint lookup does
(``public_submission`` rows, keyed by an HMAC of the address).
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO

from flask import current_app
from sqlalchemy import func, select

from app.auth.throttle import client_key
from app.extensions import db
from app.org.nip import mask_nip
from app.publik import abuse
from app.publik.models import PublicSubmission
from app.reports.issuing import CODE_ALPHABET, CODE_LENGTH, format_name
from app.reports.models import IssuedDocument
from app.tenancy import local_time, utc_now

ACTION = "verify"  # public_submission.action
LIMIT_KEY, LIMIT_DEFAULT = "DOCUMENT_VERIFY_PER_WINDOW", 30
MAX_BYTES_KEY, MAX_BYTES_DEFAULT = "DOCUMENT_VERIFY_MAX_BYTES", 10 * 1024 * 1024


class Match(enum.StrEnum):
    THIS = "this"  # the bytes are exactly this issue's
    OTHER = "other"  # the bytes are another issue of the tenant
    NONE = "none"  # no issue has these bytes: altered, or not ours
    NOT_PDF = "not_pdf"
    TOO_LARGE = "too_large"
    EMPTY = "empty"


@dataclass(frozen=True)
class Status:
    """What the public page says about an issued document."""

    document: IssuedDocument
    kind_name: str
    valid: bool
    superseded_on: date | None  # the newer issue's date (tenant-local), when superseded
    issued_on: date
    name: str  # masked
    nip: str  # masked


@dataclass(frozen=True)
class UploadCheck:
    match: Match
    other: Status | None = None


# --- masking ----------------------------------------------------------------------------

def mask_name(name: str | None) -> str:
    """"Siti Aminah" → "S*** A*****": each word's first letter, the rest hidden."""
    words = (name or "").split()
    return " ".join(w[0] + "*" * (len(w) - 1) for w in words)


# --- lookup ---------------------------------------------------------------------------

def normalise_code(text: str | None) -> str | None:
    code = "".join((text or "").split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def find(code_text: str | None) -> IssuedDocument | None:
    """The current tenant's issue with this code (another tenant's is never found)."""
    code = normalise_code(code_text)
    if code is None:
        return None
    return db.session.scalar(select(IssuedDocument).where(IssuedDocument.code == code))


def _local_day(value: datetime) -> date:
    return local_time(value).date()


def status_of(doc: IssuedDocument) -> Status:
    newer = db.session.scalar(
        select(IssuedDocument.issued_at)
        .where(IssuedDocument.subject_key == doc.subject_key, IssuedDocument.id != doc.id,
               (IssuedDocument.issued_at > doc.issued_at)
               | ((IssuedDocument.issued_at == doc.issued_at) & (IssuedDocument.id > doc.id)))
        .order_by(IssuedDocument.issued_at.desc()).limit(1))
    employee = doc.employee
    return Status(doc, format_name(doc.kind), newer is None, _local_day(newer) if newer is not None else None,
                  _local_day(doc.issued_at), mask_name(employee.name if employee else ""),
                  mask_nip(employee.nip if employee else ""))


# --- the uploaded copy ------------------------------------------------------------------

def max_bytes() -> int:
    return int(current_app.config.get(MAX_BYTES_KEY) or MAX_BYTES_DEFAULT)


def check_upload(doc: IssuedDocument, stream: IO[bytes] | None) -> UploadCheck:
    """Do these bytes match this issue (or another issue of the tenant)? Only PDFs are read."""
    limit = max_bytes()
    data = stream.read(limit + 1) if stream is not None else b""
    if not data:
        return UploadCheck(Match.EMPTY)
    if len(data) > limit:
        return UploadCheck(Match.TOO_LARGE)
    if not data.startswith(b"%PDF-"):
        return UploadCheck(Match.NOT_PDF)
    digest = hashlib.sha256(data).hexdigest()
    if digest == doc.sha256:
        return UploadCheck(Match.THIS)
    other = db.session.scalar(select(IssuedDocument).where(IssuedDocument.sha256 == digest)
                              .order_by(IssuedDocument.issued_at.desc()).limit(1))
    return UploadCheck(Match.OTHER, status_of(other)) if other is not None else UploadCheck(Match.NONE)


# --- throttling ---------------------------------------------------------------------------

def _window() -> timedelta:
    return timedelta(seconds=current_app.config.get(abuse.WINDOW_KEY, abuse.WINDOW_DEFAULT))


def is_rate_limited() -> bool:
    """Has this client used up its lookups (unknown codes, uploads) in the window?"""
    limit = current_app.config.get(LIMIT_KEY, LIMIT_DEFAULT)
    used = db.session.scalar(
        select(func.count()).select_from(PublicSubmission).where(
            PublicSubmission.client_key == client_key(), PublicSubmission.action == ACTION,
            PublicSubmission.at >= utc_now() - _window()))
    return used >= limit


def count_attempt() -> None:
    """Count one unknown-code lookup or upload against the client (the caller commits)."""
    abuse.record_submission(ACTION)
