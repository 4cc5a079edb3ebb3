"""The job queue: with REDIS_URL jobs wait in Redis (RQ) for ``flask worker``
and run there as the submitter's tenant; without it they run in a thread of
the web process; JOBS_INLINE (the other tests) runs them at once."""

from __future__ import annotations

import os
import threading
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.imports import services as imports
from app.imports.models import ImportBatch, ImportKind, ImportStatus
from app.org.models import Unit
from app.tenancy import tenant_scope
from app.webhooks import services as webhooks
from app.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.test_webhooks import Receiver

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
UNITS = b"kode,nama,jenis,kode_induk\nBID-9,Bidang Uji,bidang,\n"


def _redis_available() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@contextmanager
def _config(app, **values):
    old = {key: app.config.get(key) for key in values}
    app.config.update(values)
    try:
        yield
    finally:
        app.config.update(old)


def _batch(org, batch_id) -> ImportBatch:
    with tenant_scope(org.tenant):
        batch = db.session.get(ImportBatch, batch_id)
        db.session.refresh(batch)
        return batch


@pytest.mark.skipif(not _redis_available(), reason="needs Redis on 127.0.0.1:6379 (CI has it)")
def test_with_redis_jobs_wait_in_the_queue_and_a_worker_runs_them_as_the_tenant(app, two_tenants):
    from rq import Queue, SimpleWorker, Worker

    a, _b = two_tenants
    queue_name = f"kinerja-test-{uuid.uuid4().hex[:12]}"  # parallel runs never share a queue
    receiver = Receiver()
    try:
        with _config(app, REDIS_URL=REDIS_URL, JOBS_QUEUE=queue_name, JOBS_INLINE=False), \
                app.test_request_context("/kota-a/admin/impor/", base_url="http://kinerja.test/"):
            with tenant_scope(a.tenant):
                webhooks.create_endpoint(receiver.url, ["import.finished"])
                db.session.commit()
                batch = imports.start_import(ImportKind.UNITS, "unit.csv", UNITS, a.user_ids["penilai"])
            # The job is in Redis, not in this process: any process sees it (a restarted web worker too).
            queue = Queue(queue_name, connection=jobs.redis_connection(app))
            (job,) = queue.jobs
            assert job.func_name == "app.jobs.run_queued"
            assert job.args == ("app.imports.services:check_batch", [batch.id], a.tenant.id, "kota-a", "id",
                                "http://kinerja.test/")
            assert _batch(a, batch.id).status is ImportStatus.VALIDATING  # nothing ran yet

            # A forking worker, as `flask worker` runs it.
            jobs.forget_connections_after_fork(app)
            assert Worker([queue], connection=queue.connection).work(burst=True)
            db.session.remove()
            assert _batch(a, batch.id).status is ImportStatus.PREVIEW and queue.count == 0

            with tenant_scope(a.tenant):
                assert imports.confirm_import(_batch(a, batch.id))
            assert SimpleWorker([queue], connection=queue.connection).work(burst=True)
            db.session.remove()
            with tenant_scope(a.tenant):
                assert _batch(a, batch.id).status is ImportStatus.APPLIED
                assert db.session.scalar(select(Unit.name).where(Unit.code == "BID-9")) == "Bidang Uji"
                # Applying announced import.finished: its delivery job, queued after the apply
                # committed, went through the queue too (the same burst took it).
                assert db.session.scalar(select(WebhookDelivery.status)) is DeliveryStatus.DELIVERED
            assert len(receiver.requests) == 1 and receiver.requests[0][0]["x-kinerja-event"] == "import.finished"
    finally:
        receiver.close()
        with app.app_context(), _config(app, REDIS_URL=REDIS_URL, JOBS_QUEUE=queue_name):
            jobs.queue(app).delete(delete_jobs=True)


def test_a_queued_job_must_be_a_module_level_function(app, two_tenants):
    a, _b = two_tenants
    with _config(app, REDIS_URL="redis://127.0.0.1:1/0", JOBS_INLINE=False), app.app_context(), \
            tenant_scope(a.tenant), pytest.raises(RuntimeError, match="module-level"):
        jobs.submit(lambda: None)
    assert jobs.function_path(imports.check_batch) == "app.imports.services:check_batch"
    assert jobs.resolve("app.imports.services:check_batch") is imports.check_batch


def test_without_redis_jobs_run_in_a_thread_of_the_web_process(app, two_tenants):
    a, _b = two_tenants
    with _config(app, REDIS_URL=None, JOBS_INLINE=False), app.app_context():
        with tenant_scope(a.tenant):
            batch = imports.start_import(ImportKind.UNITS, "unit.csv", UNITS, None)
        for thread in [t for t in threading.enumerate() if t.name.startswith(jobs.THREAD_NAME_PREFIX)]:
            thread.join(timeout=30)
        db.session.remove()
        assert _batch(a, batch.id).status is ImportStatus.PREVIEW
