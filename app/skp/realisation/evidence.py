"""Bukti dukung: files or links attached to a realisation, checked by the penilai.

Files
- are limited in size (``EVIDENCE_MAX_BYTES``, default 10 MiB);
- are accepted by what they *contain*, not by their name: the content is
  sniffed (PDF, PNG, JPEG, XLSX/DOCX, CSV/TXT) and must match the extension,
  so ``virus.exe`` renamed ``laporan.pdf`` is refused;
- are stored through ``app.storage`` under a generated key, per tenant; the
  name the user gave is kept only for display and the download's name;
- are served only to those who may see the plan, as an attachment with the
  stored content type (never the browser's guess).

Links are http(s) URLs only. The penilai accepts or rejects each item with a
note; only the uploader deletes, and only while the sub-period is open.
Everything is audited; the other party gets a notification row.
Nothing here commits; the caller owns the transaction.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import audit
from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.notifications import notify
from app.periods.models import Period
from app.skp.planning.access import penilai_of
from app.skp.planning.models import Plan, PlanIndicator
from app.skp.realisation import services as realisation
from app.skp.realisation.access import can_delete_evidence, can_review_evidence
from app.skp.realisation.models import Evidence, EvidenceKind, EvidenceReview
from app.storage import StorageError, storage

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_URL_LENGTH = 1000
MAX_NAME_LENGTH = 255


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


FILE_TYPES = {
    t.code: t for t in (
        FileType("pdf", "PDF", "application/pdf", (".pdf",)),
        FileType("png", "PNG", "image/png", (".png",)),
        FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg")),
        FileType("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
        FileType("docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
        FileType("csv", "CSV", "text/csv; charset=utf-8", (".csv",)),
        FileType("txt", "TXT", "text/plain; charset=utf-8", (".txt",)),
    )
}
ALLOWED_LABEL = ", ".join(t.label for t in FILE_TYPES.values())
ACCEPT_ATTRIBUTE = ",".join(ext for t in FILE_TYPES.values() for ext in t.extensions)

REVIEW_LABELS = {
    EvidenceReview.PENDING: _l("menunggu pemeriksaan"),
    EvidenceReview.ACCEPTED: _l("diterima"),
    EvidenceReview.REJECTED: _l("ditolak"),
}

# Text may hold tabs, line breaks and form feeds, nothing else below space.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def max_bytes() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_BYTES") or DEFAULT_MAX_BYTES)


def sniff(data: bytes) -> str | None:
    """The allowed type the bytes really are, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return "text" if _is_text(data) else None


def _office_kind(data: bytes) -> str | None:
    """XLSX or DOCX: a zip with the Office Open XML parts (only the
    directory is read, nothing is unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return None


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not _CONTROL.search(text)


def display_name(filename: str | None) -> str:
    """The user's file name made harmless for display: no directories,
    no control characters, at most 255 characters. Never used as a path."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME_LENGTH - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else name[:MAX_NAME_LENGTH]
    return name or "berkas"


def _extension(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot else ""


def check_file(filename: str | None, data: bytes, max_bytes: int) -> tuple[FileType, str]:
    """The file's type and display name; ``Invalid`` with a clear
    message when it is empty, too big, of a type not allowed, or not what
    its name says."""
    if not data:
        raise Invalid(_("Berkas kosong. Pilih berkas yang berisi bukti dukung."), "file")
    if len(data) > max_bytes:
        raise Invalid(_("Berkas terlalu besar: paling besar %(mb)s MB.",
                                mb=f"{max_bytes / (1024 * 1024):g}"), "file")
    name = display_name(filename)
    ext = _extension(name)
    allowed_exts = {e: t for t in FILE_TYPES.values() for e in t.extensions}
    if ext not in allowed_exts:
        raise Invalid(_("Jenis berkas tidak diizinkan. Yang diizinkan: %(types)s.",
                                types=ALLOWED_LABEL), "file")
    claimed = allowed_exts[ext]
    found = sniff(data)
    if found == "text" and claimed.code in ("csv", "txt"):
        return claimed, name
    if found != claimed.code:
        raise Invalid(_(
            "Isi berkas tidak sesuai dengan jenisnya: berkas bernama %(ext)s tetapi isinya bukan %(label)s. "
            "Unggah berkas asli dalam salah satu jenis ini: %(types)s.",
            ext=ext, label=claimed.label, types=ALLOWED_LABEL), "file")
    return claimed, name


def check_url(url: str | None) -> str:
    url = (url or "").strip()
    if not url:
        raise Invalid(_("Isi alamat tautan."), "url")
    if len(url) > MAX_URL_LENGTH:
        raise Invalid(_("Alamat tautan terlalu panjang (paling banyak %(n)d karakter).",
                                n=MAX_URL_LENGTH), "url")
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or re.search(r"[\s\x00-\x1f\x7f]", url)):
        raise Invalid(_("Tautan harus berupa alamat web lengkap yang diawali http:// atau https://."), "url")
    if parts.username or parts.password:
        raise Invalid(_("Tautan tidak boleh memuat nama pengguna atau kata sandi."), "url")
    return url


# --- adding ---------------------------------------------------------------------------

def add_file(user: User, plan: Plan, indicator: PlanIndicator, period: Period,
             filename: str | None, stream: IO[bytes]) -> Evidence:
    """Check and store an uploaded file as evidence of the cell's realisation.

    The file is written to storage before the caller commits; when the
    commit fails the caller should ``discard(evidence.storage_key)``."""
    realisation.require_edit(user, plan, period)
    limit = max_bytes()
    data = stream.read(limit + 1)
    file_type, name = check_file(filename, data, limit)
    target = realisation.ensure(user, plan, indicator, period)
    key = storage().save(plan.tenant_id, data)
    evidence = Evidence(realisation=target, kind=EvidenceKind.FILE, storage_key=key, original_name=name,
                        content_type=file_type.content_type, size=len(data), uploaded_by_id=user.id)
    return _added(plan, evidence, indicator, period)


def add_link(user: User, plan: Plan, indicator: PlanIndicator, period: Period,
             url: str | None, title: str | None = None) -> Evidence:
    realisation.require_edit(user, plan, period)
    url = check_url(url)
    target = realisation.ensure(user, plan, indicator, period)
    evidence = Evidence(realisation=target, kind=EvidenceKind.LINK, url=url,
                        original_name=display_name(title) if (title or "").strip() else None,
                        uploaded_by_id=user.id)
    return _added(plan, evidence, indicator, period)


def _added(plan: Plan, evidence: Evidence, indicator: PlanIndicator, period: Period) -> Evidence:
    db.session.add(evidence)
    audit.record("evidence.create", evidence, None, employee_id=plan.employee_id)
    db.session.flush()  # the notification is about the realisation the evidence supports
    penilai = penilai_of(plan)
    notify("evidence.pending",
           lambda: _("Bukti dukung baru dari %(name)s menunggu pemeriksaan: %(iki)s (%(period)s).",
                     name=plan.employee.name, iki=_short(indicator.name), period=period.label),
           employees=[penilai.id if penilai else None], about=("realisation", evidence.realisation_id))
    return evidence


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- reviewing and deleting -------------------------------------------------------------

def review(user: User, plan: Plan, evidence: Evidence, accepted: bool, note: str | None) -> Evidence:
    """The penilai accepts or rejects an item (a rejection needs a note)."""
    if not can_review_evidence(user, plan):
        raise Forbidden(_("Hanya pejabat penilai yang dapat memeriksa bukti dukung."))
    period = evidence.realisation.period
    if realisation.is_closed(plan, period):
        raise Forbidden(_("Penilaian periode %(period)s sudah final; bukti dukungnya tidak dapat diperiksa ulang.",
                           period=period.label))
    note = (note or "").strip() or None
    if not accepted and note is None:
        raise Invalid(_("Tuliskan alasan penolakan agar pegawai dapat memperbaikinya."), "note")
    before = audit.snapshot(evidence)
    evidence.review = EvidenceReview.ACCEPTED if accepted else EvidenceReview.REJECTED
    evidence.review_note = note
    audit.record("evidence.review", evidence, before, employee_id=plan.employee_id)
    indicator = evidence.realisation.indicator
    notify("evidence.reviewed",
           lambda: (_("Bukti dukung Anda diterima: %(iki)s (%(period)s).",
                      iki=_short(indicator.name), period=period.label) if accepted else
                    _("Bukti dukung Anda ditolak: %(iki)s (%(period)s). Lihat catatan penilai.",
                      iki=_short(indicator.name), period=period.label)),
           employees=[plan.employee_id], about=("realisation", evidence.realisation_id))
    return evidence


def delete(user: User, plan: Plan, evidence: Evidence) -> str | None:
    """Remove an item; returns the storage key to ``discard`` after the commit."""
    period = evidence.realisation.period
    if not can_delete_evidence(user, plan, evidence.uploaded_by_id):
        raise Forbidden(_("Bukti dukung hanya dapat dihapus oleh pegawai yang mengunggahnya."))
    if realisation.is_closed(plan, period):
        raise Forbidden(_("Penilaian periode %(period)s sudah final; bukti dukungnya tidak dapat dihapus.",
                           period=period.label))
    before = audit.snapshot(evidence)
    key = evidence.storage_key
    audit.record("evidence.delete", evidence, before, after=None, employee_id=plan.employee_id)
    db.session.delete(evidence)
    return key


def discard(tenant_id: int, key: str | None) -> None:
    """Remove a stored file whose row is gone (or was never committed)."""
    if key:
        with contextlib.suppress(StorageError):
            storage().delete(tenant_id, key)


def open_file(evidence: Evidence) -> IO[bytes]:
    """The stored file of a FILE evidence; ``StorageError`` when missing."""
    if evidence.kind is not EvidenceKind.FILE or not evidence.storage_key:
        raise StorageError("Not a file.")
    return storage().open(evidence.tenant_id, evidence.storage_key)
