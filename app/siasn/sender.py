"""Sending final evaluations to SIASN: a status per evaluation, a log of every
request, retries with backoff.

``queue_ready`` ("kirim yang siap") and ``queue_one`` (resend) mark evaluations
``queued`` and submit ``send_job`` through ``app.jobs`` once the request
commits. The job issues the Dokumen Evaluasi (``app.reports.issuing``),
uploads it, saves the body and records the answer: ``sent`` with SIASN's id,
or ``failed`` with the answer. A failure on SIASN's side (5xx, timeout) is
due again after a backoff (5 min, 10, 20 … at most a day, ``MAX_ATTEMPTS``
tries); ``queue_ready`` and ``flask siasn kirim`` pick up what is due. A body
SIASN refused (4xx) waits for the admin to fix the data and resend.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app import audit, jobs
from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.reports import issuing
from app.siasn.client import Answer, HttpSiasnClient, SiasnClient, SiasnUnavailable
from app.siasn.mapping import NotReady, build
from app.siasn.models import ExportStatus, SiasnExport, SiasnSendLog
from app.siasn.settings import SiasnConfig, config
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.tenancy import utc_now
from app.webhooks import services as webhooks

log = logging.getLogger(__name__)

KIND = "dokumen-evaluasi"
MAX_ATTEMPTS = 6
BACKOFF_START = timedelta(minutes=5)
BACKOFF_MAX = timedelta(days=1)
STUCK_AFTER = timedelta(hours=1)
# Tests may replace this (a fake is just a base URL, so they rarely need to).
client_factory: Callable[[SiasnConfig], SiasnClient] = HttpSiasnClient


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden(_("Hanya admin instansi yang dapat mengirim ke SIASN."))


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_START * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def finals(period_id: int | None = None):
    query = select(Evaluation).where(Evaluation.status == EvaluationStatus.FINAL)
    return query.where(Evaluation.period_id == period_id) if period_id else query


def export_for(evaluation: Evaluation, create: bool = False) -> SiasnExport | None:
    row = db.session.scalar(select(SiasnExport).where(SiasnExport.evaluation_id == evaluation.id))
    if row is None and create:
        row = SiasnExport(evaluation=evaluation, evaluation_id=evaluation.id, status=ExportStatus.PENDING)
        db.session.add(row)
    return row


def counts(period_id: int | None = None) -> dict[str, int]:
    """Final evaluations per status (no row counts as pending)."""
    final_ids = finals(period_id).with_only_columns(Evaluation.id).scalar_subquery()
    total = db.session.scalar(select(func.count()).select_from(finals(period_id).subquery())) or 0
    rows = dict(db.session.execute(select(SiasnExport.status, func.count()).where(
        SiasnExport.evaluation_id.in_(final_ids)).group_by(SiasnExport.status)).all())
    out = {status.value: int(rows.get(status, 0)) for status in ExportStatus}
    out[ExportStatus.PENDING.value] = total - sum(v for k, v in out.items() if k != ExportStatus.PENDING.value)
    out["total"] = total
    return out


# --- queueing ---------------------------------------------------------------------------

def _sendable(cfg: SiasnConfig) -> None:
    if not cfg.can_send:
        raise Invalid(_("Alamat dan kredensial SIASN belum diatur: unduh berkas ekspor untuk unggah manual."))


def _queue(export: SiasnExport, user: User) -> None:
    export.status, export.requested_by_id, export.next_attempt_at = ExportStatus.QUEUED, user.id, None
    db.session.flush()
    jobs.submit_after_commit(send_job, export.id, user.id)


def queue_ready(user: User, period_id: int | None = None) -> int:
    """Queue every final evaluation that can be sent and is not sent yet (failures once due)."""
    require_admin(user)
    cfg = config()
    _sendable(cfg)
    now = utc_now()
    exports = {e.evaluation_id: e for e in db.session.scalars(select(SiasnExport).where(
        SiasnExport.evaluation_id.in_(finals(period_id).with_only_columns(Evaluation.id).scalar_subquery())))}
    queued = 0
    for evaluation in db.session.scalars(finals(period_id).order_by(Evaluation.id)):
        export = exports.get(evaluation.id)
        if export is not None and not _due(export, now):
            continue
        try:
            build(evaluation, cfg)
        except NotReady:
            continue
        _queue(export or export_for(evaluation, create=True), user)
        queued += 1
    return queued


def _due(export: SiasnExport, now: datetime) -> bool:
    if export.status is ExportStatus.PENDING or _stuck(export, now):
        return True
    return (export.status is ExportStatus.FAILED and export.next_attempt_at is not None
            and export.next_attempt_at <= now)


def _stuck(export: SiasnExport, now: datetime) -> bool:
    """Queued for longer than any job runs: its worker died; queue it again."""
    return export.status is ExportStatus.QUEUED and export.updated_at < now - STUCK_AFTER


def queue_one(user: User, evaluation: Evaluation) -> SiasnExport:
    """Send (or send again) one final evaluation now, whatever its status but queued."""
    require_admin(user)
    cfg = config()
    _sendable(cfg)
    if evaluation.status is not EvaluationStatus.FINAL:
        raise Invalid(_("Hanya penilaian final yang dikirim ke SIASN."))
    try:
        build(evaluation, cfg)
    except NotReady as exc:
        raise Invalid(exc.message) from exc
    export = export_for(evaluation, create=True)
    if export.status is ExportStatus.QUEUED and not _stuck(export, utc_now()):
        raise Invalid(_("Penilaian ini sudah dalam antrean pengiriman."))
    _queue(export, user)
    return export


def queue_due(user: User) -> int:
    """What ``flask siasn kirim`` runs: everything ready, failures whose backoff is over."""
    return queue_ready(user)


def requeue_due() -> int:
    """The scheduler's retry (``flask jobs tick``): queue again every send that
    failed on SIASN's side once its backoff is over (and any stuck in the
    queue), as the admin who asked for it. Results never sent are only sent
    when an admin asks (``queue_ready``)."""
    if not config().can_send:
        return 0
    now = utc_now()
    count = 0
    for export in db.session.scalars(select(SiasnExport).where(
            SiasnExport.status.in_((ExportStatus.FAILED, ExportStatus.QUEUED))).order_by(SiasnExport.id)):
        if not _due(export, now) or export.requested_by_id is None:
            continue
        user = db.session.get(User, export.requested_by_id)
        if user is None or not user.active or not user.is_admin:
            continue
        _queue(export, user)
        count += 1
    return count


# --- the job ----------------------------------------------------------------------------

def send_job(export_id: int, user_id: int) -> None:
    """Send one queued evaluation and record the answer. Runs as the tenant."""
    export = db.session.get(SiasnExport, export_id)
    user = db.session.get(User, user_id)
    if export is None or user is None or export.status is not ExportStatus.QUEUED:
        return
    send(export, user)
    db.session.commit()


def send(export: SiasnExport, user: User, client: SiasnClient | None = None) -> None:
    evaluation = export.evaluation
    before = audit.snapshot(export)
    export.attempts += 1
    export.last_attempt_at = utc_now()
    cfg = config()
    own_client = client is None
    try:
        payload = build(evaluation, cfg, export.remote_id)
        document = issuing.download(KIND, evaluation, user)
        client = client or client_factory(cfg)
        upload = client.upload_document(document.filename, document.content)
        _log(export, user, "upload-dok", {"file": document.filename, "size": len(document.content)}, upload)
        if not upload.ok or upload.document() is None:
            return _failed(export, before, upload.short, upload.retryable)
        body = {**payload.body, "path": [upload.document()]}
        answer = client.save(payload.endpoint, body)
        _log(export, user, payload.endpoint, body, answer)
        if not answer.ok:
            return _failed(export, before, answer.short, answer.retryable)
    except NotReady as exc:
        return _failed(export, before, exc.message, retryable=False)
    except SiasnUnavailable as exc:
        _log(export, user, "-", None, None, str(exc))
        return _failed(export, before, str(exc), retryable=True)
    finally:
        if own_client and client is not None:
            client.close()
    export.status, export.sent_at = ExportStatus.SENT, utc_now()
    export.remote_id = answer.remote_id() or export.remote_id
    export.last_error = export.next_attempt_at = None
    audit.record("siasn.sent", export, before, employee_id=evaluation.plan.employee_id)
    webhooks.emit("siasn.sent", {"evaluation_id": evaluation.id, "employee_id": evaluation.plan.employee_id,
                                 "period_id": evaluation.period_id, "siasn_id": export.remote_id})
    return None


def _failed(export: SiasnExport, before: dict[str, Any], message: str, retryable: bool) -> None:
    export.status, export.last_error = ExportStatus.FAILED, message[:4000]
    again = retryable and export.attempts < MAX_ATTEMPTS
    export.next_attempt_at = utc_now() + backoff(export.attempts) if again else None
    audit.record("siasn.failed", export, before, employee_id=export.evaluation.plan.employee_id)
    log.warning("SIASN send failed for export %s (attempt %s)", export.id, export.attempts)


def _log(export: SiasnExport, user: User, endpoint: str, body: dict[str, Any] | None,
         answer: Answer | None, note: str | None = None) -> None:
    db.session.add(SiasnSendLog(
        export_id=export.id, endpoint=endpoint[:100], request_body=body, user_id=user.id,
        response_status=answer.status if answer else None,
        response_body=(answer.text[:4000] if answer else note)))


def history(export: SiasnExport | None, limit: int = 20) -> list[SiasnSendLog]:
    if export is None:
        return []
    return list(db.session.scalars(select(SiasnSendLog).where(SiasnSendLog.export_id == export.id)
                                   .order_by(SiasnSendLog.id.desc()).limit(limit)))


def failed_or_pending_filter(status: str | None):
    """The list's status filter (``pending`` includes evaluations without a row)."""
    if status == ExportStatus.PENDING.value:
        return or_(SiasnExport.id.is_(None), SiasnExport.status == ExportStatus.PENDING)
    if status in {s.value for s in ExportStatus}:
        return SiasnExport.status == ExportStatus(status)
    return None
