"""Bulk import of units, positions and employees: the steps behind the screens.

1. ``start_import`` only sniffs the upload (``readers.sniff``: its first bytes,
   encoding or archive directory), keeps its bytes in the file storage, creates
   an ``ImportBatch`` and submits ``check_batch``. Parsing a spreadsheet can
   take long whatever the bounds, so no request ever does it.
2. ``check_batch`` (a job) parses the file within ``readers.Limits`` (a file
   that cannot be used as a whole ends REJECTED with one error), then checks
   every row (``validation``): the batch ends in PREVIEW (what will be created
   and updated) or REJECTED (every bad row, with its line and reason; nothing
   can be applied). The page shows its progress meanwhile.
3. ``confirm_import`` moves a PREVIEW batch to APPLYING, once, and submits
   ``apply_batch``.
4. ``apply_batch`` (a job) checks the rows again against the database as it
   is now, then writes them (``writers``, through ``app.org.services``) in one
   transaction: all rows or none.

Jobs run through ``app.jobs``. They report progress in
``ImportBatch.processed_rows`` with short commits of their own, so the status
endpoint can be polled while the job's work is still uncommitted.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, load_only
from sqlalchemy.orm.exc import StaleDataError

from app import audit, jobs
from app.auth.models import User
from app.bulkwrite import collector_paused
from app.errors import Invalid
from app.extensions import db
from app.imports import validation, writers
from app.imports.kinds import SPECS, KindSpec
from app.imports.models import ImportBatch, ImportKind, ImportStatus
from app.imports.readers import Limits, read_table, sniff
from app.imports.rows import CREATE, UPDATE, Plan, Row
from app.storage import storage
from app.tabular import csv_text
from app.tenancy import current_tenant_id, utc_now
from app.webhooks import services as webhooks

log = logging.getLogger(__name__)

RUNNING = frozenset({ImportStatus.VALIDATING, ImportStatus.APPLYING})
PREVIEW_PAGE_SIZE = 100
ERRORS_SHOWN = 1000  # on the page; the CSV of errors has them all
RECENT_BATCHES = 20
FILE_KEY = "file_key"  # summary: the uploaded file in storage, until the job has read it


# --- 1. upload ----------------------------------------------------------------------

def start_import(kind: ImportKind, filename: str, data: bytes, user_id: int | None) -> ImportBatch:
    """Keep the file and queue its reading and check; ``Invalid`` (on ``file``)
    if a glance shows it cannot be used (empty, .xls, not UTF-8, not a workbook)."""
    sniff(data, _limits())
    batch = ImportBatch(
        kind=kind,
        filename=_display_name(filename),
        status=ImportStatus.VALIDATING,
        total_rows=0,
        processed_rows=0,
        rows=[],
        errors=[],
        summary={FILE_KEY: storage().save(current_tenant_id(), data)},
        created_by_id=user_id,
        job_started_at=utc_now(),
    )
    db.session.add(batch)
    db.session.commit()
    jobs.submit(check_batch, batch.id)
    return batch


def _limits() -> Limits:
    return Limits.from_config(current_app.config)


def _read_upload(batch: ImportBatch) -> bool:
    """Parse the batch's stored file into its rows (then forget the file); False,
    with the batch REJECTED and the reason stored, if the file cannot be used."""
    key = batch.summary[FILE_KEY]
    try:
        with storage().open(batch.tenant_id, key) as stored:
            data = stored.read()
        spec = SPECS[batch.kind]
        table = read_table(data, spec.required, spec.optional, _limits(), spec.aliases)
    except Invalid as exc:
        batch.errors = [{"line": None, "field": None, "message": str(exc.message)}]
        batch.summary = {}
        _finish(batch, ImportStatus.REJECTED)
        return False
    finally:
        storage().delete(batch.tenant_id, key)
    batch.rows = [{"line": row.line, "values": row.values} for row in table.rows]
    batch.summary = {"columns": table.columns, "ignored_columns": table.ignored_columns}
    batch.total_rows = len(table.rows)
    db.session.commit()  # the page now shows how many rows are being checked
    return True


def _display_name(filename: str | None) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:255] or "berkas"


# --- 2. check -----------------------------------------------------------------------

def check_batch(batch_id: int) -> None:
    """Job: check every row of an uploaded batch → PREVIEW, or REJECTED with every error."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.status != ImportStatus.VALIDATING:
        return
    try:
        if FILE_KEY in (batch.summary or {}) and not _read_upload(batch):
            db.session.commit()
            return
        plan = validation.check(batch.kind, _rows_of(batch), batch.summary.get("columns", []),
                                _Progress(batch_id))
        _store(batch, plan)
        if plan.errors:
            _finish(batch, ImportStatus.REJECTED)
        else:
            batch.status = ImportStatus.PREVIEW
        db.session.commit()
    except Exception:
        log.exception("Checking import batch %s failed", batch_id)
        db.session.rollback()
        _fail(batch_id)


# --- 3. confirm ---------------------------------------------------------------------

def confirm_import(batch: ImportBatch) -> bool:
    """Start applying a checked batch; False if it is not (or no longer) waiting for that."""
    result = db.session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.status == ImportStatus.PREVIEW)
        .values(status=ImportStatus.APPLYING, processed_rows=0, job_started_at=utc_now())
    )
    db.session.commit()
    if result.rowcount != 1:  # a second click, or another admin, was first
        return False
    jobs.submit(apply_batch, batch.id)
    return True


# --- 4. apply -----------------------------------------------------------------------

def apply_batch(batch_id: int) -> None:
    """Job: write every row in one transaction → APPLIED; or nothing → REJECTED/FAILED."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.status != ImportStatus.APPLYING:
        return
    kind = batch.kind
    try:
        with collector_paused():
            # The database may have changed since the preview: check again first.
            plan = validation.check(kind, _rows_of(batch), batch.summary.get("columns", []))
            if not plan.errors:
                # Every row's audit entry names the admin who confirmed the import.
                with audit.acting_as(_uploader(batch)):
                    writers.WRITERS[kind](plan, _Progress(batch_id, live=_concurrent_writes()))
        if plan.errors:
            db.session.rollback()  # nothing of this file is written
            batch = db.session.get(ImportBatch, batch_id)
            _store(batch, plan)
            _finish(batch, ImportStatus.REJECTED)
        else:
            counts = plan.counts
            batch.summary = {**batch.summary, "applied": {CREATE: counts[CREATE], UPDATE: counts[UPDATE]}}
            batch.processed_rows = batch.total_rows
            _finish(batch, ImportStatus.APPLIED)
            with audit.acting_as(_uploader(batch)):
                audit.record("import.apply", batch, None, {
                    "kind": kind.value, "filename": batch.filename, "applied": batch.summary["applied"]})
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        log.info("Import batch %s met a concurrent change; nothing written", batch_id)
        _fail(batch_id, _("Data organisasi diubah orang lain selama impor berjalan, jadi tidak ada yang ditulis. "
                          "Unggah berkas ini lagi untuk memeriksanya ulang."))
    except Exception:
        log.exception("Applying import batch %s failed", batch_id)
        db.session.rollback()
        _fail(batch_id)


# --- batch state --------------------------------------------------------------------

def _uploader(batch: ImportBatch) -> User | int | None:
    """Whom the batch's audit entries name: the admin who uploaded it (their id if the account is gone)."""
    if batch.created_by_id is None:
        return None
    return db.session.get(User, batch.created_by_id) or batch.created_by_id


def _rows_of(batch: ImportBatch) -> list[Row]:
    return [Row(line=item["line"], values=dict(item["values"])) for item in batch.rows]


def _store(batch: ImportBatch, plan: Plan) -> None:
    batch.rows = [row.as_stored() for row in plan.rows]
    batch.errors = plan.errors
    batch.summary = {**(batch.summary or {}), "counts": plan.counts}
    batch.total_rows = batch.processed_rows = len(plan.rows)


def _finish(batch: ImportBatch, status: ImportStatus) -> None:
    batch.status = status
    batch.finished_at = utc_now()
    webhooks.emit("import.finished", {"import_id": batch.id, "kind": str(batch.kind), "status": str(status),
                                      "total_rows": batch.total_rows})


def _fail(batch_id: int, message: str | None = None) -> None:
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None:
        return
    batch.errors = [{"line": None, "field": None, "message": message or _(
        "Terjadi kesalahan tak terduga, jadi tidak ada data yang ditulis. Coba unggah lagi; "
        "jika berulang, hubungi pengelola aplikasi.")}]
    _finish(batch, ImportStatus.FAILED)
    db.session.commit()


def _concurrent_writes() -> bool:
    """SQLite has one writer at a time: while the apply transaction is open no
    other connection can commit, so progress is only seen when it ends."""
    return db.engine.dialect.name != "sqlite"


class _Progress:
    """Writes ``processed_rows`` in short transactions of its own (a separate
    session), at most every ``INTERVAL`` seconds, so that status requests see
    it while the job's own transaction is still open."""

    INTERVAL = 0.5

    def __init__(self, batch_id: int, live: bool = True) -> None:
        self.batch_id = batch_id
        self.live = live
        self._last = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if not self.live or now - self._last < self.INTERVAL:
            return
        self._last = now
        # The tenancy hooks apply to every Session: scoped, and row-level security on PostgreSQL.
        with Session(db.engine) as session:
            session.execute(update(ImportBatch).where(ImportBatch.id == self.batch_id)
                            .values(processed_rows=done))
            session.commit()


# --- reading batches for the screens ------------------------------------------------

def recent_batches(limit: int = RECENT_BATCHES) -> list[ImportBatch]:
    """The tenant's latest batches, without their (large) rows and errors."""
    return list(db.session.scalars(
        select(ImportBatch)
        .options(load_only(ImportBatch.id, ImportBatch.kind, ImportBatch.filename, ImportBatch.status,
                           ImportBatch.total_rows, ImportBatch.processed_rows, ImportBatch.summary,
                           ImportBatch.created_at, ImportBatch.finished_at))
        .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
        .limit(limit)
    ))


def expire_abandoned(batch_id: int) -> None:
    """A job runs in its web worker's process; if that process died (a restart,
    a crash) the batch would stay "running" for ever. Past IMPORT_JOB_TIMEOUT
    it is marked failed — its transaction never committed, so nothing of it
    was written — and the admin can upload the file again."""
    limit = utc_now() - timedelta(seconds=current_app.config["IMPORT_JOB_TIMEOUT"])
    result = db.session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id, ImportBatch.status.in_(RUNNING), ImportBatch.job_started_at < limit)
        .values(status=ImportStatus.FAILED, finished_at=utc_now(), errors=[{
            "line": None, "field": None, "message": _(
                "Proses impor terhenti sebelum selesai (misalnya server dimulai ulang), jadi tidak ada "
                "data yang ditulis. Unggah berkas ini lagi.")}])
    )
    if result.rowcount:
        db.session.commit()


def status_of(batch_id: int) -> dict[str, Any] | None:
    """What the progress box polls; None if the batch is not this tenant's."""
    expire_abandoned(batch_id)
    found = db.session.execute(
        select(ImportBatch.status, ImportBatch.total_rows, ImportBatch.processed_rows)
        .where(ImportBatch.id == batch_id)
    ).first()
    if found is None:
        return None
    status = ImportStatus(found.status)
    return {"status": status.value, "total_rows": found.total_rows,
            "processed_rows": found.processed_rows, "finished": status not in RUNNING}


@dataclass
class PreviewPage:
    """A page of a batch's rows, with the attributes the pager macro reads (as app.web.listing.Page)."""

    items: list[dict[str, Any]]
    page: int
    pages: int
    total: int
    more = False

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def preview_page(batch: ImportBatch, action: str | None, page: int) -> PreviewPage:
    rows = [row for row in batch.rows or [] if action is None or row.get("action") == action]
    pages = max(1, -(-len(rows) // PREVIEW_PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PREVIEW_PAGE_SIZE
    return PreviewPage(rows[start:start + PREVIEW_PAGE_SIZE], page, pages, len(rows))


def template_csv(spec: KindSpec) -> str:
    """An empty file with the header row: ``;``-separated with a byte-order mark,
    which Excel with Indonesian regional settings opens in columns."""
    return csv_text([spec.names])


def errors_csv(batch: ImportBatch) -> str:
    """Every problem of the batch, through the shared writer (no cell becomes a formula)."""
    header = [_("baris"), _("kolom"), _("masalah")]
    return csv_text([header] + [[e.get("line") or "", e.get("field") or "", e.get("message") or ""]
                                for e in batch.errors or []])
