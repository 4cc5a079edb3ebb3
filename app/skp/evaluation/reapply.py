""""Terapkan ulang aturan" as a background job with progress.

``start_reapply`` records a ``RuleJob`` for the period and submits
``run_reapply`` (``app.jobs``; inline in the tests). The job recomputes the
period's drafts in batches of ``BATCH``: one query per kind loads the batch's
evaluations with their plans, IKIs, employees and positions
(``staleness.computing``), then the values recorded on the IKIs, their
feedback sessions, 360° ratings and (for the year) the plans' final
evaluations (``inputs.batch_inputs``), and — at the first draft that needs
them — the figures from the stages above for all the batch's employees
(completed training, complaints, the units' IKM) and the units a head's
hasil kerja follows; what is the same for every draft (the texts in the
job's language, the rules' fingerprint) is made once per batch
(``inputs.batch_once``). Each draft is recomputed exactly as
``services.reapply_rules`` (the synchronous version, kept as the reference)
does, the results are written with one UPDATE per batch (``_store``: what
the session's flush would write, version checked and bumped; on PostgreSQL
from one JSON document), the audit entries — ``evaluation.reapply``, before
→ after, with the reason — are appended through ``audit.bulk.record_many``
for the whole batch, and the batch commits together with the job's progress.

Each batch is its own transaction: if the job dies half-way, the batches
already done stay recomputed and audited (recomputing a draft is
idempotent), the job ends FAILED, and the admin starts it again. A draft
finalised meanwhile is skipped (its batch re-reads the status).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, inspect, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app import audit, jobs
from app.audit.bulk import Pending, record_many
from app.audit.services import SECRET_NAME, plain
from app.auth.models import User
from app.bulkwrite import collector_paused, update_checked
from app.errors import Forbidden
from app.extensions import db
from app.periods.models import Period
from app.settings.services import rules_for_period
from app.skp.evaluation.access import can_reapply_rules
from app.skp.evaluation.compute import computed_draft
from app.skp.evaluation.entries import audit_view
from app.skp.evaluation.inputs import batch_inputs
from app.skp.evaluation.models import Evaluation, EvaluationStatus, RuleJob, RuleJobStatus
from app.skp.evaluation.staleness import computing
from app.tenancy import tenant_rules, utc_now

log = logging.getLogger(__name__)

BATCH = 500
KIND = "reapply"
RUNNING = frozenset({RuleJobStatus.QUEUED, RuleJobStatus.RUNNING})


def start_reapply(user: User, period: Period, reason: str | None = None) -> RuleJob:
    """Queue re-applying the rules to the period's drafts (the caller's transaction is committed)."""
    if not can_reapply_rules(user):
        raise Forbidden(_("Hanya admin instansi yang dapat menerapkan ulang aturan."))
    job = RuleJob(kind=KIND, period_id=period.id, status=RuleJobStatus.QUEUED, total=len(_draft_ids(period.id)),
                  processed=0, changed=0, reason=(reason or "").strip()[:500] or None, requested_by_id=user.id)
    db.session.add(job)
    db.session.commit()
    jobs.submit(run_reapply, job.id)
    return job


def drafts_by_period(from_day: date, until_day: date | None = None) -> list[tuple[Period, int]]:
    """Draft evaluations per period starting in [from_day, until_day): the ones a
    settings version from ``from_day`` governs (``app.settings.affected``)."""
    query = (select(Period, func.count(Evaluation.id)).join(Evaluation, Evaluation.period_id == Period.id)
             .where(Evaluation.status == EvaluationStatus.DRAFT, Period.starts_on >= from_day)
             .group_by(Period.id).order_by(Period.starts_on, Period.id))
    if until_day is not None:
        query = query.where(Period.starts_on < until_day)
    return [(period, count) for period, count in db.session.execute(query).all()]


def _draft_ids(period_id: int) -> list[int]:
    return list(db.session.scalars(
        select(Evaluation.id).where(Evaluation.period_id == period_id, Evaluation.status == EvaluationStatus.DRAFT)
        .order_by(Evaluation.id)))


def run_reapply(job_id: int) -> None:
    """Job: recompute every draft of the job's period, batch by batch, committing progress."""
    job = db.session.get(RuleJob, job_id)
    if job is None or job.status is not RuleJobStatus.QUEUED:
        return
    try:
        job.status = RuleJobStatus.RUNNING
        ids = _draft_ids(job.period_id) if job.period_id is not None else []
        job.total = len(ids)
        requested_by = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
        db.session.commit()
        period = db.session.get(Period, job.period_id) if job.period_id is not None else None
        rt = rules_for_period(period) if period is not None else tenant_rules()  # the period's settings version
        why = job.reason or _("Terapkan ulang aturan %(code)s %(version)s", code=rt.rule_set.code,
                              version=rt.rule_set.version)
        with audit.acting_as(requested_by):
            for chunk in _chunks(ids, BATCH):
                with collector_paused():
                    changed = _reapply_batch(chunk, rt, why)
                db.session.execute(update(RuleJob).where(RuleJob.id == job_id).values(
                    processed=RuleJob.processed + len(chunk), changed=RuleJob.changed + changed))
                db.session.commit()
        job = db.session.get(RuleJob, job_id)
        job.status, job.finished_at = RuleJobStatus.DONE, utc_now()
        db.session.commit()
    except Exception:
        log.exception("Re-applying rules (job %s) failed", job_id)
        db.session.rollback()
        _fail(job_id)


def _reapply_batch(ids: list[int], rt: Any, why: str) -> int:
    """Recompute one batch of drafts; returns how many changed. One query loads the batch."""
    drafts = db.session.scalars(
        select(Evaluation).where(Evaluation.id.in_(ids), Evaluation.status == EvaluationStatus.DRAFT)
        .options(*computing()).order_by(Evaluation.id)).unique().all()
    entries, writes, changed = [], [], 0
    # One query per kind of input for the whole batch; nothing flushed until the batch is computed.
    with db.session.no_autoflush, batch_inputs(drafts, rt):
        for evaluation in drafts:
            before = audit_view(evaluation)
            _computed, values = computed_draft(evaluation, rt)
            # What the session's flush would write (the columns whose value changed), and the
            # new values in place as ``recompute`` sets them (a unit head recomputed later in
            # the batch reads the members' results) — set as committed: ``_store`` writes them,
            # and the session has no changed draft to look through at the next flush.
            keys = tuple(key for key, value in values.items() if value != getattr(evaluation, key))
            for key, value in values.items():
                set_committed_value(evaluation, key, value)
            if keys:
                writes.append((evaluation, keys))
            after = audit_view(evaluation)
            changed += not _same_view(before, after)
            entries.append((evaluation, before, after))
    _store(writes)
    db.session.flush()  # anything else, as record() flushes before writing its entry
    record_many(db.session, (Pending("evaluation.reapply", audit.object_type(evaluation), evaluation.id,
                                     evaluation.plan.employee_id, before, after, why, skip_unchanged=False)
                             for evaluation, before, after in entries))
    return changed


def _same_view(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """``plain(before) == plain(after)`` for a draft's audit views (``entries.audit_view``)
    without ``plain``'s JSON round trip of each: recomputing leaves the status and the
    entries as they were (the same objects); the rest is text, None, or a score compared
    as the text ``plain`` makes of a ``Decimal``. Anything else (or under a key ``plain``
    would redact) goes through ``plain``."""
    for key, old in before.items():
        new = after.get(key, _ABSENT)
        if old is new:
            continue
        kind = type(old)
        if kind is type(new) and kind in _PLAIN_KINDS and not SECRET_NAME.search(key):
            if (str(old) != str(new)) if kind is Decimal else old != new:
                return False
        elif new is _ABSENT or plain({key: old}) != plain({key: new}):
            return False
    return before.keys() == after.keys()


_ABSENT = object()


_PLAIN_KINDS = frozenset({str, Decimal})  # ``plain`` keeps text as it is and makes a Decimal its text


def _store(writes: list[tuple[Evaluation, tuple[str, ...]]]) -> None:
    """Write the recomputed drafts as the session's flush would — the columns whose value
    changed (``keys``; their new values already in place as committed), ``updated_at``,
    the version bumped and checked against the one read — with one UPDATE per set of
    changed columns instead of one per draft (``bulkwrite.update_checked``); then
    ``updated_at`` and the version become the drafts' committed state too."""
    mapper = inspect(Evaluation)
    now = utc_now()  # the batch's drafts are written together
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    versions = []
    for evaluation, keys in writes:
        row = {key: getattr(evaluation, key) for key in keys}
        row.update(updated_at=now, version=mapper.version_id_generator(evaluation.version),
                   b_id=evaluation.id, b_version=evaluation.version)
        groups.setdefault(keys, []).append(row)
        versions.append((evaluation, row["version"]))
    for rows in groups.values():
        with db.session.no_autoflush:  # the session would write these drafts itself first
            update_checked(db.session, Evaluation.__table__, rows)
    for evaluation, version in versions:
        set_committed_value(evaluation, "updated_at", now)
        set_committed_value(evaluation, "version", version)


def _fail(job_id: int) -> None:
    job = db.session.get(RuleJob, job_id)
    if job is None:
        return
    job.status, job.finished_at = RuleJobStatus.FAILED, utc_now()
    job.error = _("Terjadi kesalahan tak terduga. Penilaian yang sudah dihitung ulang tetap tersimpan; "
                  "jalankan lagi untuk menyelesaikan sisanya.")
    db.session.commit()


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def expire_abandoned(job_id: int) -> None:
    """A job whose process died stays "running"; past IMPORT_JOB_TIMEOUT it is marked failed."""
    jobs.expire_abandoned(RuleJob, job_id, RUNNING, RuleJobStatus.FAILED, _(
        "Proses terhenti sebelum selesai (misalnya server dimulai ulang). Penilaian yang sudah dihitung "
        "ulang tetap tersimpan; jalankan lagi untuk menyelesaikan sisanya."))


def status_of(job_id: int) -> dict[str, Any] | None:
    """What the progress box polls; None if the job is not this tenant's."""
    expire_abandoned(job_id)
    return jobs.progress_of(RuleJob, job_id, RUNNING)
