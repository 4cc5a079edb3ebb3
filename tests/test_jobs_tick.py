"""``flask jobs tick``: every periodic task that is due runs, once per its
interval however many ticks come (cron and the queue, two servers); a
failed webhook delivery and a failed SIASN send are retried once due;
contact retention runs daily; with Redis the worker keeps one tick scheduled."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.scheduling import tick as ticking
from app.scheduling.models import ScheduledTask
from app.siasn.models import ExportStatus, SiasnExport
from app.tenancy import all_tenants, tenant_scope, utc_now
from app.webhooks import services as webhooks
from app.webhooks.models import DeliveryStatus, WebhookDelivery
from tests import siasn_fake
from tests.reports_support import build_year
from tests.test_jobs_queue import REDIS_URL, _config, _redis_available
from tests.test_siasn_send import _configure
from tests.test_webhooks import Receiver


def _retention_runs(app) -> int:
    with app.app_context(), all_tenants("test: count retention runs"):
        return db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "tenant.contact_retention"))


def test_each_task_runs_once_per_interval(app, two_tenants):
    now = utc_now()
    with app.app_context():
        first = dict(ticking.tick(now))
        assert set(first) == {task.name for task in ticking.TASKS}
        assert first["publik.contact_retention"] == "0 contacts blanked"
        assert ticking.tick(now + timedelta(seconds=30)) == []  # a second tick at once: nothing twice
        soon = [name for name, _outcome in ticking.tick(now + timedelta(minutes=5))]
        assert soon == ["webhooks.retry_due", "siasn.retry_due"]
        assert "publik.contact_retention" in dict(ticking.tick(now + timedelta(days=1)))
        row = db.session.get(ScheduledTask, "publik.contact_retention")
        assert row.last_outcome == "0 contacts blanked"
    assert _retention_runs(app) == 4  # two tenants, two days


def test_a_failing_task_does_not_stop_the_others(app, two_tenants):
    def boom() -> str:
        raise RuntimeError("boom")

    tasks = (ticking.Task("uji.gagal", timedelta(minutes=1), boom),
             ticking.Task("uji.jalan", timedelta(minutes=1), lambda: "ok"))
    with app.app_context():
        assert ticking.tick(tasks=tasks) == [("uji.gagal", "failed: RuntimeError"), ("uji.jalan", "ok")]


def test_the_cli_command(app, two_tenants):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "tick"])
    assert result.exit_code == 0, result.output
    assert "publik.contact_retention: 0 contacts blanked" in result.output
    assert runner.invoke(args=["jobs", "tick"]).output.strip() == "nothing due"
    status = runner.invoke(args=["jobs", "status"]).output
    assert "webhooks.retry_due (every 0:01:00): 20" in status


def test_a_failed_webhook_delivery_is_retried_when_due(app, two_tenants):
    a, _b = two_tenants
    receiver = Receiver()
    try:
        receiver.status = 500
        with app.app_context(), tenant_scope(a.tenant):
            webhooks.create_endpoint(receiver.url, ["plan.agreed"])
            delivery_id = webhooks.emit("plan.agreed", {"plan_id": 1})[0].id
            db.session.commit()  # first attempt: 500
            delivery = db.session.get(WebhookDelivery, delivery_id)
            assert delivery.status is DeliveryStatus.PENDING and delivery.attempts == 1
            delivery.next_attempt_at = utc_now() - timedelta(seconds=1)
            db.session.commit()
        receiver.status = 200
        with app.app_context():
            assert dict(ticking.tick())["webhooks.retry_due"] == "1 deliveries submitted"
        with app.app_context(), tenant_scope(a.tenant):
            delivery = db.session.get(WebhookDelivery, delivery_id)
            assert delivery.status is DeliveryStatus.DELIVERED and delivery.attempts == 2
    finally:
        receiver.close()
    assert len(receiver.requests) == 2


@pytest.fixture(scope="module")
def fake():
    server_fake, server = siasn_fake.start()
    yield server_fake
    server.shutdown()


def test_a_failed_siasn_send_is_retried_when_due(app, fake):
    fake.fail_next, fake.received[:], fake.uploads[:], fake.ids[:] = 0, [], [], []
    with app.app_context():
        year = build_year("kota-uji", "nasional")
        db.session.remove()
    _configure(app, year, fake)
    with app.app_context(), tenant_scope(year.org.tenant):
        db.session.add(SiasnExport(evaluation_id=year.evaluation_id, status=ExportStatus.FAILED, attempts=1,
                                   last_error="503", requested_by_id=year.org.user_ids["admin"],
                                   next_attempt_at=utc_now() + timedelta(minutes=5)))
        db.session.commit()
    with app.app_context():
        assert dict(ticking.tick())["siasn.retry_due"] == "0 SIASN sends queued again"  # backoff not over
        with tenant_scope(year.org.tenant):
            db.session.scalar(select(SiasnExport)).next_attempt_at = utc_now() - timedelta(seconds=1)
            db.session.commit()
        later = dict(ticking.tick(utc_now() + timedelta(minutes=5)))
        assert later["siasn.retry_due"] == "1 SIASN sends queued again"
        with tenant_scope(year.org.tenant):
            export = db.session.scalar(select(SiasnExport))
            assert export.status is ExportStatus.SENT and export.attempts == 2
    assert len(fake.received) == 1


@pytest.mark.skipif(not _redis_available(), reason="needs Redis on 127.0.0.1:6379 (CI has it)")
def test_with_redis_the_worker_keeps_one_tick_scheduled(app, two_tenants):
    from app import jobs
    from app.scheduling import queue as scheduled

    name = f"kinerja-test-{uuid.uuid4().hex[:12]}"
    with _config(app, REDIS_URL=REDIS_URL, JOBS_QUEUE=name), app.app_context():
        queue = jobs.queue(app)
        try:
            assert scheduled.schedule_next(app, timedelta(0)) is True
            assert scheduled.schedule_next(app) is False  # a restarted worker adds no second chain
            assert len(queue.scheduled_job_registry.get_job_ids()) == 1
            for job_id in queue.scheduled_job_registry.get_job_ids():
                queue.scheduled_job_registry.remove(job_id, delete_job=True)
            scheduled.queued_tick()  # what the worker runs: the tick, then the next one scheduled
            assert db.session.get(ScheduledTask, "webhooks.retry_due") is not None
            assert len(queue.scheduled_job_registry.get_job_ids()) == 1
        finally:
            for job_id in queue.scheduled_job_registry.get_job_ids():
                queue.scheduled_job_registry.remove(job_id, delete_job=True)
            queue.delete(delete_jobs=True)
