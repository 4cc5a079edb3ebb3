"""Background jobs: work that should not hold up a request.

``submit(func, *args)`` is the one entry point. It runs ``func(*args)`` as the
tenant of the caller (``tenant_scope``), in the caller's language, inside a
fresh application context with its own database session, in one of three
ways:

- ``JOBS_INLINE`` (the tests): at once, in the caller's context and session;
- ``REDIS_URL`` set: enqueued on the RQ queue ``JOBS_QUEUE`` ("kinerja") and
  run by ``flask worker`` in a separate process. The job carries the
  function's import path, its arguments, the tenant (id and slug), the
  locale and the base URL for absolute links, so it survives a restart of
  the web workers: it lives in Redis until a worker takes it;
- otherwise (the demo, development): in a background thread of the current
  process. Such a job lives only as long as its process: a restart abandons
  it, in its running status, with its transaction rolled back.

Job functions are module-level functions taking plain values (ids, not model
objects). Jobs report their progress through the database (for imports:
``ImportBatch.processed_rows``), never through this module, so any process can
answer a status request.

``submit_after_commit`` is for work started inside a transaction that the job
must see committed (a webhook delivery row): it submits once the caller's
session commits, and forgets the job if the session rolls back. Inline (the
tests), it runs right after the commit, in a fresh context and session.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, has_app_context, has_request_context, request
from flask_babel import force_locale, get_locale
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.tenancy.context import TenantRef, current_tenant, tenant_scope
from app.tenancy.current import utc_now

log = logging.getLogger(__name__)

THREAD_NAME_PREFIX = "kinerja-job"
_PENDING = "kinerja_jobs_after_commit"


def submit(func: Callable[..., Any], *args: Any, tenant: TenantRef | None = None) -> Any:
    """Run ``func(*args)`` as ``tenant`` (default: the current one).

    Returns the RQ job, the thread running it, or None when it ran inline.
    """
    dispatch = _prepare(func, args, tenant)
    return dispatch()


def submit_after_commit(func: Callable[..., Any], *args: Any, tenant: TenantRef | None = None) -> None:
    """``submit`` once the current session commits (at once when inline)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_INLINE"):
        # After the commit, in its own context and session, as a worker would.
        ref = tenant or current_tenant()
        if ref is None:
            raise RuntimeError("A job needs a tenant: call submit() inside tenant_scope() or a tenant request.")
        dispatch: Callable[[], Any] = lambda: _run(app, ref, None, func, args, None, reraise=True)  # noqa: E731
    else:
        dispatch = _prepare(func, args, tenant)
    db.session().info.setdefault(_PENDING, []).append(dispatch)


def _prepare(func: Callable[..., Any], args: tuple[Any, ...], tenant: TenantRef | None) -> Callable[[], Any]:
    tenant = tenant or current_tenant()
    if tenant is None:
        raise RuntimeError("A job needs a tenant: call submit() inside tenant_scope() or a tenant request.")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_INLINE"):
        def inline() -> None:
            with tenant_scope(tenant):
                func(*args)
        return inline
    locale = get_locale()
    locale_name = str(locale) if locale else None
    # Absolute links a job builds (a document's verification URL) start with
    # PUBLIC_BASE_URL; where it is not set (the demo, development) with the
    # address the job was requested from.
    base_url = None if app.config.get("PUBLIC_BASE_URL") or not has_request_context() else request.host_url
    if app.config.get("REDIS_URL"):
        path = function_path(func)
        return lambda: queue(app).enqueue(
            run_queued, path, list(args), tenant.id, tenant.slug, locale_name, base_url,
            job_timeout=app.config.get("JOBS_TIMEOUT", 30 * 60),
            description=f"{path} (tenant {tenant.slug})")

    def start_thread() -> threading.Thread:
        thread = threading.Thread(
            target=_run_in_thread,
            args=(app, tenant, locale_name, func, args, base_url),
            name=f"{THREAD_NAME_PREFIX}-{getattr(func, '__name__', 'job')}",
            daemon=True,
        )
        thread.start()
        return thread
    return start_thread


# --- the queue ------------------------------------------------------------------------

def function_path(func: Callable[..., Any]) -> str:
    """``module:name`` of a module-level function (a worker imports it by this)."""
    module, name = getattr(func, "__module__", None), getattr(func, "__qualname__", "")
    if not module or not name or "." in name or "<" in name:
        raise RuntimeError(f"A queued job must be a module-level function, not {func!r}.")
    return f"{module}:{name}"


def resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def redis_connection(app: Flask) -> Any:
    from redis import Redis

    return Redis.from_url(app.config["REDIS_URL"])


def queue(app: Flask) -> Any:
    from rq import Queue

    return Queue(app.config.get("JOBS_QUEUE", "kinerja"), connection=redis_connection(app))


def run_queued(path: str, args: list[Any], tenant_id: int, tenant_slug: str,
               locale: str | None, base_url: str | None) -> None:
    """What an RQ worker runs: the job as the thread runner runs it, but a failure
    is raised again so RQ keeps the job in its failed registry."""
    if not has_app_context():  # a plain ``rq worker`` has no app: run ``flask worker``
        raise RuntimeError("Kinerja jobs run under `flask worker`, which provides the application.")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    _run(app, TenantRef(tenant_id, tenant_slug), locale, resolve(path), tuple(args), base_url, reraise=True)


def forget_connections_after_fork(app: Flask) -> None:
    """RQ forks a work horse per job: the child must not reuse the parent's
    pooled database connections."""
    def dispose() -> None:
        with app.app_context():
            db.engine.dispose(close=False)
    os.register_at_fork(after_in_child=dispose)


def link_context() -> AbstractContextManager:
    """Absolute links (e-mails, documents) built outside a request — a command
    or a scheduled task — as a request to ``PUBLIC_BASE_URL`` would build them."""
    if has_request_context():
        return nullcontext()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return app.test_request_context(base_url=app.config.get("PUBLIC_BASE_URL") or None)


# --- the thread runner ----------------------------------------------------------------

def _run_in_thread(app: Flask, tenant: TenantRef, locale: str | None,
                   func: Callable[..., Any], args: tuple[Any, ...], base_url: str | None = None) -> None:
    _run(app, tenant, locale, func, args, base_url)


def _run(app: Flask, tenant: TenantRef, locale: str | None, func: Callable[..., Any],
         args: tuple[Any, ...], base_url: str | None, reraise: bool = False) -> None:
    context = app.test_request_context(base_url=base_url) if base_url else app.app_context()
    with context, tenant_scope(tenant):
        try:
            if locale:
                # No request here: messages are rendered in the submitter's language.
                with force_locale(locale):
                    func(*args)
            else:
                func(*args)
        except Exception:
            log.exception("Job %s failed (tenant %s)", getattr(func, "__name__", func), tenant.slug)
            db.session.rollback()
            if reraise:
                raise
        finally:
            db.session.remove()


# --- after commit ---------------------------------------------------------------------

@event.listens_for(Session, "after_commit")
def _dispatch_pending(session: Session) -> None:
    for dispatch in session.info.pop(_PENDING, []):
        try:
            dispatch()
        except Exception:  # the commit stands; a lost dispatch is retried by its owner
            log.exception("Could not start a job after commit")


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction: Any) -> None:
    if not previous_transaction.nested:  # a savepoint rolled back: the transaction goes on
        session.info.pop(_PENDING, None)


# --- jobs tracked in a table (document bundles, rule jobs) --------------------------------
# Such a model has ``id``, ``status``, ``total``, ``processed``, ``created_at``,
# ``finished_at`` and ``error``; ``running`` is the set of its unfinished statuses.

def expire_abandoned(model: Any, job_id: int, running: frozenset, failed: Any, message: str) -> None:
    """A job whose process died (a restart) stays unfinished for ever; past
    ``IMPORT_JOB_TIMEOUT`` it is marked ``failed`` with ``message``."""
    limit = utc_now() - timedelta(seconds=current_app.config["IMPORT_JOB_TIMEOUT"])
    result = db.session.execute(
        update(model).where(model.id == job_id, model.status.in_(running), model.created_at < limit)
        .values(status=failed, finished_at=utc_now(), error=message))
    if result.rowcount:
        db.session.commit()


def progress_of(model: Any, job_id: int, running: frozenset) -> dict[str, Any] | None:
    """What the progress box polls (``app.web.progress.progress_answer``); None when the
    job is not the tenant's."""
    found = db.session.execute(select(model.status, model.total, model.processed)
                               .where(model.id == job_id)).first()
    if found is None:
        return None
    return {"status": str(found.status),
            "total_rows": found.total, "processed_rows": found.processed,
            "finished": found.status not in running}
