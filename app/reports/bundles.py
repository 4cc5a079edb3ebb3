"""Document bundles: every SKP (or evaluation document) of an OPD for a period
as one ZIP, built in the background with progress.

``start_bundle`` records what was asked and queues ``build_bundle`` on the job
runner (``app.jobs``); the job issues each document through the one way out
(``issuing.issue``: registered, verifiable, signed when the tenant has a
certificate), writes them into a ZIP in a temporary file, stores the ZIP and
reports progress in ``DocumentBundle.processed``, so any process can answer
the status request. Only final documents are bundled (agreed plans, final
evaluations): a draft is never issued.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app import audit, jobs
from app.auth.models import User
from app.errors import Invalid, NotFound
from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.periods.models import Period, PeriodKind
from app.regions.documents import DocumentSubject
from app.reports import issuing
from app.reports.models import BundleStatus, DocumentBundle
from app.reports.recaps import OrgTree
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.planning.models import Plan, PlanStatus
from app.storage import StorageError, storage
from app.tenancy import tenant, utc_now

log = logging.getLogger(__name__)

RUNNING = frozenset({BundleStatus.QUEUED, BundleStatus.RUNNING})
PROGRESS_EVERY = 5  # documents between progress commits
FORGET_EVERY = 200  # documents between clearing the session
MAX_DOCUMENTS = 5000  # one bundle; a bigger OPD is split by unit
RECENT = 20
STATUS_LABELS = {
    BundleStatus.QUEUED: _l("Menunggu giliran"),
    BundleStatus.RUNNING: _l("Sedang dibuat"),
    BundleStatus.DONE: _l("Siap diunduh"),
    BundleStatus.FAILED: _l("Gagal"),
}


def kinds() -> list[tuple[str, str]]:
    """(format code, name) of every PDF format a bundle can hold: SKP first, then evaluations."""
    return issuing.formats_for(DocumentSubject.SKP) + issuing.formats_for(DocumentSubject.EVALUATION)


def _subject(kind: str) -> DocumentSubject:
    for subject in (DocumentSubject.SKP, DocumentSubject.EVALUATION):
        if kind in {code for code, _name in issuing.formats_for(subject)}:
            return subject
    raise Invalid(_("Pilih jenis dokumen."), "kind")


def subject_ids(kind: str, period: Period, unit: Unit | None) -> list[int]:
    """Ids of the final plans (SKP) or evaluations of the period inside the unit, by name."""
    subject = _subject(kind)
    unit_ids = sorted(OrgTree.load().below(unit.id)) if unit is not None else None
    if subject is DocumentSubject.SKP:
        year = period if period.kind is PeriodKind.YEAR or period.parent_id is None else period.parent
        query = (select(Plan.id).join(Employee, Employee.id == Plan.employee_id)
                 .where(Plan.period_id == year.id, Plan.status == PlanStatus.AGREED))
    else:
        query = (select(Evaluation.id).join(Plan, Plan.id == Evaluation.plan_id)
                 .join(Employee, Employee.id == Plan.employee_id)
                 .where(Evaluation.period_id == period.id, Evaluation.status == EvaluationStatus.FINAL))
    if unit_ids is not None:
        query = query.join(Position, Position.id == Employee.position_id).where(Position.unit_id.in_(unit_ids))
    return list(db.session.scalars(query.order_by(Employee.name, Employee.id)))


def start_bundle(kind: str, period: Period, unit: Unit | None, user: User) -> DocumentBundle:
    """Record the request and queue the job; ``Invalid`` when there is nothing to bundle."""
    ids = subject_ids(kind, period, unit)
    if not ids:
        raise Invalid(_("Tidak ada dokumen final untuk periode dan unit ini."), "period")
    if len(ids) > MAX_DOCUMENTS:
        raise Invalid(_("Terlalu banyak dokumen untuk satu berkas ZIP (%(n)s, paling banyak %(max)s): "
                        "pilih unit yang lebih kecil.", n=len(ids), max=MAX_DOCUMENTS), "unit")
    bundle = DocumentBundle(kind=kind, period_id=period.id, unit_id=unit.id if unit else None,
                            total=len(ids), requested_by_id=user.id)
    db.session.add(bundle)
    db.session.flush()
    audit.record("bundle.requested", bundle, None, after={
        "kind": kind, "period_id": period.id, "unit_id": bundle.unit_id, "total": bundle.total})
    db.session.commit()  # the job reads the row from its own session
    jobs.submit(build_bundle, bundle.id, user.id)
    return bundle


def build_bundle(bundle_id: int, user_id: int) -> None:
    """The job: issue every document into a ZIP, then store it. Runs as the tenant."""
    bundle = db.session.get(DocumentBundle, bundle_id)
    user = db.session.get(User, user_id)
    if bundle is None or bundle.status not in RUNNING:
        return
    bundle.status = BundleStatus.RUNNING
    db.session.commit()
    try:
        _build(bundle, user)
    except Exception as exc:  # noqa: BLE001 - the bundle says it failed; the log has the cause
        log.exception("Bundle %s failed", bundle_id)
        db.session.rollback()
        db.session.execute(update(DocumentBundle).where(DocumentBundle.id == bundle_id).values(
            status=BundleStatus.FAILED, finished_at=utc_now(),
            error=_("Berkas ZIP tidak dapat dibuat (%(error)s). Coba lagi.", error=type(exc).__name__)[:500]))
        db.session.commit()


def _build(bundle: DocumentBundle, user: User | None) -> None:
    if user is None:
        raise NotFound("requesting user")
    period = db.session.get(Period, bundle.period_id) if bundle.period_id else None
    unit = db.session.get(Unit, bundle.unit_id) if bundle.unit_id else None
    if period is None:
        raise NotFound("period")
    ids = subject_ids(bundle.kind, period, unit)
    subject, bundle_id, kind, user_id = _subject(bundle.kind), bundle.id, bundle.kind, user.id
    bundle.total = len(ids)
    names: set[str] = set()
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, object_id in enumerate(ids, start=1):
                obj = issuing.load_subject(subject, object_id)
                _doc, pdf = issuing.issue(kind, obj, user)
                archive.writestr(_unique(issuing.filename(kind, issuing.document_data(obj)), names), pdf)
                if done % PROGRESS_EVERY == 0 or done == len(ids):
                    _progress(bundle_id, done)  # commits the documents issued so far, too
                if done % FORGET_EVERY == 0:
                    db.session.expunge_all()  # keep the session's identity map small
                    user = db.session.get(User, user_id)
        spool.seek(0)
        key = storage().save(tenant().id, spool.read())
    bundle = db.session.get(DocumentBundle, bundle_id)
    bundle.storage_key, bundle.status, bundle.finished_at = key, BundleStatus.DONE, utc_now()
    bundle.processed = bundle.total
    db.session.commit()


def _progress(bundle_id: int, done: int) -> None:
    db.session.execute(update(DocumentBundle).where(DocumentBundle.id == bundle_id).values(processed=done))
    db.session.commit()


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}" if dot else f"{name}-{n}"
    taken.add(candidate)
    return candidate


def expire_abandoned(bundle_id: int) -> None:
    """A bundle still running past the job timeout died with its process (a restart)."""
    jobs.expire_abandoned(DocumentBundle, bundle_id, RUNNING, BundleStatus.FAILED, _(
        "Pembuatan berkas terhenti sebelum selesai (misalnya server dimulai ulang). Minta berkas ini lagi."))


def status_of(bundle_id: int) -> dict[str, Any] | None:
    """What the progress box polls (the same shape as an import's); None if not this tenant's."""
    expire_abandoned(bundle_id)
    return jobs.progress_of(DocumentBundle, bundle_id, RUNNING)


def recent() -> list[DocumentBundle]:
    return list(db.session.scalars(select(DocumentBundle)
                                   .order_by(DocumentBundle.created_at.desc(), DocumentBundle.id.desc())
                                   .limit(RECENT)))


def content(bundle: DocumentBundle) -> bytes:
    if bundle.status is not BundleStatus.DONE or not bundle.storage_key:
        raise NotFound(_("Berkas ZIP ini belum siap."))
    try:
        with storage().open(bundle.tenant_id, bundle.storage_key) as f:
            return f.read()
    except StorageError as exc:
        raise NotFound(_("Berkas ZIP ini tidak ditemukan lagi.")) from exc
