"""Issuing an official document: the register entry, the verification code and
QR, the region's rendering, the signature, the SHA-256, the stored bytes.

``issue(kind, subject, user)`` is the one way a final document leaves the
system. The subject is an agreed ``Plan`` (the SKP) or a final ``Evaluation``
(the evaluation documents); its ``subject_key`` ("skp:plan:12") names it in the
register. While the document's data has not changed (``data_hash``) the issued
bytes are served again: same code, same hash, no new record. When it has, a
new record with a new code supersedes the older ones of the same key.

A draft plan or evaluation is rendered as a draft (``final=False``, the region
prints its watermark) and is never registered: it carries no code.
Nothing here commits; the caller owns the transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import audit
from app.auth.models import User
from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.regions.documents import (
    DocumentSubject,
    EvaluationDocumentData,
    RenderedDocument,
    SkpDocumentData,
    Verification,
)
from app.reports import signing
from app.reports.documents import load_plan_for_document, skp_document
from app.reports.evaluation_document import evaluation_document, load_evaluation_for_document
from app.reports.models import IssuedDocument
from app.skp.evaluation.access import can_view_evaluation
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.planning.access import can_view_plan
from app.skp.planning.models import Plan, PlanStatus
from app.storage import StorageError, storage
from app.tenancy import tenant, tenant_rules, tenant_today, utc_now

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by people
CODE_LENGTH = 12
PDF = "application/pdf"
DEFAULT_FORMAT = {DocumentSubject.SKP: "skp", DocumentSubject.EVALUATION: "dokumen-evaluasi"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Document:
    """A document ready to send: its bytes, the file name offered, and its register entry
    (None for a draft, which is never registered)."""

    content: bytes
    filename: str
    issued: IssuedDocument | None


# --- what a document is of ------------------------------------------------------------

def subject_of(obj: Plan | Evaluation) -> DocumentSubject:
    return DocumentSubject.SKP if isinstance(obj, Plan) else DocumentSubject.EVALUATION


def subject_key(kind: str, obj: Plan | Evaluation) -> str:
    return f"{kind}:{'plan' if isinstance(obj, Plan) else 'evaluation'}:{obj.id}"


def is_final(obj: Plan | Evaluation) -> bool:
    if isinstance(obj, Plan):
        return obj.status is PlanStatus.AGREED
    return obj.status is EvaluationStatus.FINAL


def formats_for(subject: DocumentSubject) -> list[tuple[str, str]]:
    """(code, name) of the tenant's PDF formats of a subject, the default first."""
    found = [f for f in tenant_rules().formats_for(subject) if f.media_type == PDF]
    found.sort(key=lambda f: f.code != DEFAULT_FORMAT.get(subject))
    return [(f.code, f.name) for f in found]


def format_name(kind: str) -> str:
    fmt = tenant_rules().rule_set.report_format(kind)
    return fmt.name if fmt is not None else kind


def check_format(kind: str, obj: Plan | Evaluation) -> None:
    if kind not in {code for code, _name in formats_for(subject_of(obj))}:
        raise NotFound(_("Format dokumen ini tidak tersedia."))


def may_download(user: User, obj: Plan | Evaluation) -> bool:
    """The same people who may see the plan or evaluation: the pegawai (an evaluation
    once final), the penilai (acting ones included), the atasan, the admin instansi."""
    return can_view_plan(user, obj) if isinstance(obj, Plan) else can_view_evaluation(user, obj)


def load_subject(subject: DocumentSubject, object_id: int) -> Plan | Evaluation:
    if subject is DocumentSubject.SKP:
        return load_plan_for_document(object_id)
    return load_evaluation_for_document(object_id)


def document_data(obj: Plan | Evaluation) -> SkpDocumentData | EvaluationDocumentData:
    return skp_document(obj) if isinstance(obj, Plan) else evaluation_document(obj)


# --- hashing, codes, QR -------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return str(value)


def data_hash(kind: str, data: Any) -> str:
    """SHA-256 of the document's data (without its verification), the format and the
    rules it is rendered with, and the signing certificate in use."""
    rt = tenant_rules()
    material = {
        "kind": kind, "rule_set": [rt.rule_set.code, rt.rule_set.version],
        "signing": tenant().signing_key or "",
        "data": dataclasses.asdict(dataclasses.replace(data, verification=None)),
    }
    text = json.dumps(material, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        taken = db.session.scalar(select(func.count()).select_from(IssuedDocument).where(IssuedDocument.code == code))
        if not taken:  # astronomically rare; the unique constraint is the backstop
            return code


def qr_svg(text: str) -> str:
    # Imported here: only a few routes draw QR codes, and qrcode with its SVG writer is slow to import.
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def verification_url(code: str) -> str:
    return url_for("reports.verify", tenant_slug=tenant().slug, code=code, _external=True)


# --- rendering -------------------------------------------------------------------------

def render(kind: str, data: Any) -> bytes:
    out = tenant_rules().render_report(kind, data)
    if isinstance(out, RenderedDocument):
        return out.content
    return out if isinstance(out, bytes) else out.encode()


def filename(kind: str, data: SkpDocumentData | EvaluationDocumentData) -> str:
    """"SKP-2026-<NIP>.pdf", "Dokumen-Evaluasi-Triwulan-I-2026-<NIP>.pdf"."""
    if isinstance(data, SkpDocumentData):
        name = f"SKP-{data.year}"
    else:
        title = "Dokumen-Evaluasi" if kind == "dokumen-evaluasi" else kind.title()
        name = f"{title}-{data.period_label}"
    name = _UNSAFE.sub("-", f"{name}-{data.pegawai.nip}").strip("-")
    return f"{name}.pdf" if data.final else f"{name}-DRAF.pdf"


def _stored_bytes(doc: IssuedDocument) -> bytes | None:
    if not doc.storage_key:
        return None
    try:
        with storage().open(doc.tenant_id, doc.storage_key) as f:
            return f.read()
    except StorageError:
        return None


def _sign(pdf: bytes, kind: str, place: str) -> tuple[bytes, bool]:
    try:
        signer = signing.tenant_signer(tenant())
    except signing.SigningUnavailable as exc:
        log.warning("document not signed for tenant %s: %s", tenant().slug, exc)
        return pdf, False
    if signer is None:
        return pdf, False
    return signing.sign_pdf(pdf, signer, f"Dokumen {format_name(kind)}", place), True


# --- the one way out -----------------------------------------------------------------------

def newest(key: str) -> IssuedDocument | None:
    return db.session.scalar(select(IssuedDocument).where(IssuedDocument.subject_key == key)
                             .order_by(IssuedDocument.issued_at.desc(), IssuedDocument.id.desc()).limit(1))


def _check(kind: str, obj: Plan | Evaluation, user: User) -> None:
    if not may_download(user, obj):
        raise Forbidden(_("Anda tidak berhak mengunduh dokumen ini."))
    check_format(kind, obj)


def issue(kind: str, obj: Plan | Evaluation, user: User) -> tuple[IssuedDocument, bytes]:
    """Issue (or serve again, unchanged) the final document ``kind`` of a plan or evaluation."""
    _check(kind, obj, user)
    if not is_final(obj):
        raise Invalid(_("Hanya SKP yang disetujui dan penilaian yang final yang diterbitkan."))
    return _issue(kind, obj, user, document_data(obj))


def _issue(kind: str, obj: Plan | Evaluation, user: User,
           data: SkpDocumentData | EvaluationDocumentData) -> tuple[IssuedDocument, bytes]:
    key = subject_key(kind, obj)
    digest = data_hash(kind, data)
    previous = newest(key)
    if previous is not None and previous.data_hash == digest:
        content = _stored_bytes(previous)
        if content is not None:
            return previous, content
    code = new_code()
    url = verification_url(code)
    data = dataclasses.replace(data, verification=Verification(code, url, qr_svg(url), tenant_today()))
    content, signed = _sign(render(kind, data), kind, data.letterhead.place)
    employee_id = obj.employee_id if isinstance(obj, Plan) else obj.plan.employee_id
    doc = IssuedDocument(
        code=code, kind=kind, subject_key=key, employee_id=employee_id,
        period_label=(f"Tahun {data.year}" if isinstance(data, SkpDocumentData) else data.period_label),
        unit_name=data.pegawai.unit[:200], issued_by_id=user.id, issued_at=utc_now(),
        sha256=hashlib.sha256(content).hexdigest(), data_hash=digest, size=len(content), signed=signed,
        storage_key=storage().save(tenant().id, content))
    db.session.add(doc)
    audit.record("document.issued", doc, None, after={
        "code": code, "kind": kind, "period_label": doc.period_label, "unit_name": doc.unit_name,
        "sha256": doc.sha256, "size": doc.size, "signed": signed}, employee_id=employee_id)
    return doc, content


def download(kind: str, obj: Plan | Evaluation, user: User) -> Document:
    """What the download button sends: the issued document when final; else a draft,
    rendered with ``final=False`` (the region prints its mark) and never registered."""
    _check(kind, obj, user)
    data = document_data(obj)
    if is_final(obj):
        doc, content = _issue(kind, obj, user, data)
        return Document(content, filename(kind, data), doc)
    data = dataclasses.replace(data, final=False, verification=None)
    return Document(render(kind, data), filename(kind, data), None)
