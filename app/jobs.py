"""A small job runner for work that should not hold up a request.

``submit(func, *args)`` runs ``func(*args)`` in a background thread of the
current process, inside a fresh application context, as the tenant of the
caller (``tenant_scope``) and in the caller's language, with its own
database session (removed when the job ends). With
``app.config["JOBS_INLINE"]`` true (the tests) the job runs at once, in the
caller's context and session.

Jobs report their progress through the database (for imports:
``ImportBatch.processed_rows``), never through this module, so any process
can answer a status request. That also makes the runner replaceable: a
Redis/RQ (or Celery) queue can take its place later by enqueueing the same
functions with the same arguments, with the worker opening the app context
and ``tenant_scope`` as ``_run_in_thread`` does here. Until then a job lives
only as long as its process: a restart abandons a running job, which then
stays in its running status (its transaction is rolled back by the database,
so nothing is half-written).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_request_context, request
from flask_babel import force_locale, get_locale

from app.extensions import db
from app.tenancy.context import TenantRef, current_tenant, tenant_scope

log = logging.getLogger(__name__)

THREAD_NAME_PREFIX = "kinerja-job"


def submit(func: Callable[..., Any], *args: Any, tenant: TenantRef | None = None) -> threading.Thread | None:
    """Run ``func(*args)`` as ``tenant`` (default: the current one).

    Returns the thread running it, or None when the job ran inline.
    """
    tenant = tenant or current_tenant()
    if tenant is None:
        raise RuntimeError("A job needs a tenant: call submit() inside tenant_scope() or a tenant request.")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_INLINE"):
        with tenant_scope(tenant):
            func(*args)
        return None
    locale = get_locale()
    # Absolute links a job builds (a document's verification URL) start with
    # PUBLIC_BASE_URL; where it is not set (the demo, development) with the
    # address the job was requested from.
    base_url = None if app.config.get("PUBLIC_BASE_URL") or not has_request_context() else request.host_url
    thread = threading.Thread(
        target=_run_in_thread,
        args=(app, tenant, str(locale) if locale else None, func, args, base_url),
        name=f"{THREAD_NAME_PREFIX}-{getattr(func, '__name__', 'job')}",
        daemon=True,
    )
    thread.start()
    return thread


def _run_in_thread(app: Flask, tenant: TenantRef, locale: str | None,
                   func: Callable[..., Any], args: tuple[Any, ...], base_url: str | None = None) -> None:
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
        finally:
            db.session.remove()
