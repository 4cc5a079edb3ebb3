"""The tick on the job queue: where ``REDIS_URL`` is set, ``flask worker``
(run with RQ's scheduler) keeps one tick scheduled, and each tick schedules
the next ``EVERY`` later — so no cron entry is needed. The tasks' own
claims (``app.scheduling.tick``) keep a tick from cron as well harmless.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, has_app_context

from app import jobs
from app.scheduling.tick import tick

EVERY = timedelta(minutes=1)  # the most frequent task (webhook retries) runs every minute
JOB_PREFIX = "kinerja-tick-"


def _waiting(queue: Any) -> bool:
    """A tick is already scheduled or queued (a worker restart must not start a second chain)."""
    ids = [*queue.scheduled_job_registry.get_job_ids(), *queue.get_job_ids()]
    return any(job_id.startswith(JOB_PREFIX) for job_id in ids)


def schedule_next(app: Flask, delay: timedelta = EVERY) -> bool:
    """Schedule a tick ``delay`` from now unless one is waiting; True if scheduled."""
    queue = jobs.queue(app)
    if _waiting(queue):
        return False
    queue.enqueue_in(delay, queued_tick, job_id=f"{JOB_PREFIX}{time.time_ns()}",
                     description="flask jobs tick", result_ttl=3600, failure_ttl=24 * 3600)
    return True


def queued_tick() -> None:
    """The queued job: run the due tasks, then schedule the next tick."""
    if not has_app_context():  # a plain ``rq worker`` has no app
        raise RuntimeError("Kinerja jobs run under `flask worker`, which provides the application.")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        tick()
    finally:
        schedule_next(app)
