"""Webhooks: endpoints an admin registers (secret shown once), signed deliveries
to a local receiver, failures logged and retried with backoff, resend, and
another tenant's endpoint or delivery answering 404."""

from __future__ import annotations

import json
import re
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.errors import Invalid
from app.extensions import db
from app.tenancy import tenant_scope, utc_now
from app.webhooks import services, signing
from app.webhooks.addresses import check_url
from app.webhooks.delivery import BACKOFF_SECONDS, retry_due
from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.conftest import csrf_token, login
from tests.test_skp_evaluation import _behaviours, _finalise, _plan, _rate, _setup, _start

SECRET_RE = re.compile(r'value="(whsec_[A-Za-z0-9_-]{43})"')


class Receiver:
    """A local HTTP server that records every POST and answers ``status``."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                answer = b'{"ok": true}' if receiver.status < 300 else b"boom: receiver failed"
                self.send_response(receiver.status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _endpoint(org, url, events=("evaluation.finalised",)) -> tuple[int, str]:
    with tenant_scope(org.tenant):
        endpoint, secret = services.create_endpoint(url, list(events), "Uji")
        db.session.commit()
        return endpoint.id, secret


def _deliveries(org) -> list[WebhookDelivery]:
    with tenant_scope(org.tenant):
        rows = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def test_a_signature_is_verifiable_and_tamper_evident():
    body = b'{"event":"plan.agreed"}'
    header = signing.sign("whsec_x", body, 1_700_000_000)
    assert header.startswith("t=1700000000,v1=")
    assert signing.verify("whsec_x", body, header, now=1_700_000_010)
    assert not signing.verify("whsec_x", body + b" ", header, now=1_700_000_010)  # body changed
    assert not signing.verify("whsec_y", body, header, now=1_700_000_010)  # another secret
    assert not signing.verify("whsec_x", body, header, now=1_700_000_000 + 3600)  # a replay
    assert not signing.verify("whsec_x", body, "v1=deadbeef", now=1_700_000_000)


def test_a_penilai_finalising_delivers_a_signed_evaluation_finalised(app, client, receiver):
    with app.app_context():
        o = _setup("sawahlunto")
        ids = _plan(o, [("KES-01", "Pelayanan kesehatan", "kuantitas", "higher", "layanan", 600, 600)],
                    {0: {1: 150}})
        endpoint_id, secret = _endpoint(o, receiver.url)
        _endpoint(o, receiver.url, events=("plan.agreed",))  # not subscribed: nothing sent there
    login(client, "sawahlunto", "penilai")
    ev_id = _start(client, "sawahlunto", ids["plan_id"], ids["periods"][1])
    assert _rate(client, "sawahlunto", ev_id, **_behaviours(100)).status_code == 302
    assert _finalise(client, "sawahlunto", ev_id).status_code == 302
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    with app.app_context():
        (delivery,) = _deliveries(o)
    assert delivery.endpoint_id == endpoint_id
    assert headers["x-kinerja-event"] == "evaluation.finalised"
    assert headers["x-kinerja-delivery"] == str(delivery.id)
    assert signing.verify(secret, body, headers["x-kinerja-signature"], now=int(time.time()))
    payload = json.loads(body)
    assert set(payload) == {"id", "event", "created_at", "tenant", "data"}
    assert payload["event"] == "evaluation.finalised" and payload["tenant"] == "sawahlunto"
    assert payload["data"]["evaluation_id"] == ev_id and payload["data"]["employee_id"] == o.pegawai_id
    assert payload["data"]["predikat_code"] == "baik"
    assert "nip" not in json.dumps(payload).lower()  # ids and codes, no personal data
    assert delivery.status is DeliveryStatus.DELIVERED and delivery.response_code == 200
    assert delivery.attempts == 1 and delivery.next_attempt_at is None and '"ok"' in delivery.response_excerpt


def test_a_failed_delivery_is_logged_retried_with_backoff_and_resent(app, client, two_tenants, receiver):
    a, _b = two_tenants
    receiver.status = 500
    with app.app_context():
        endpoint_id, _secret = _endpoint(a, receiver.url, events=("import.finished", "plan.agreed"))
        before = utc_now()
        with tenant_scope(a.tenant):
            services.emit("plan.agreed", {"plan_id": 7, "employee_id": a.pegawai_id, "period_id": 1})
            db.session.commit()  # the delivery job starts after the commit
        (failed,) = _deliveries(a)
    assert len(receiver.requests) == 1
    assert failed.status is DeliveryStatus.PENDING and failed.attempts == 1 and failed.response_code == 500
    assert failed.response_excerpt == "boom: receiver failed"
    expected = before + timedelta(seconds=BACKOFF_SECONDS[0])
    assert expected - timedelta(seconds=5) <= failed.next_attempt_at <= expected + timedelta(seconds=30)

    # Not yet due: retry-due leaves it; due: it goes again (now the receiver is well).
    receiver.status = 200
    with app.app_context():
        assert retry_due() == 0
        with tenant_scope(a.tenant):
            db.session.get(WebhookDelivery, failed.id).next_attempt_at = utc_now() - timedelta(seconds=1)
            db.session.commit()
        assert retry_due() == 1
        (retried,) = _deliveries(a)
    assert retried.status is DeliveryStatus.DELIVERED and retried.attempts == 2 and len(receiver.requests) == 2
    # The same event id on every attempt: the receiver can ignore repeats.
    assert json.loads(receiver.requests[0][1])["id"] == json.loads(receiver.requests[1][1])["id"]

    # The admin sees it and resends it.
    login(client, "kota-a", "admin")
    page = client.get(f"/kota-a/admin/webhook/{endpoint_id}")
    assert page.status_code == 200 and "plan.agreed" in page.get_data(as_text=True)
    token = csrf_token(client, f"/kota-a/admin/webhook/{endpoint_id}")
    resent = client.post(f"/kota-a/admin/webhook/pengiriman/{retried.id}/kirim-ulang", data={"csrf_token": token})
    assert resent.status_code == 302
    with app.app_context():
        rows = _deliveries(a)
        with tenant_scope(a.tenant):
            assert "webhook.resend" in db.session.scalars(select(AuditEntry.action)).all()
    assert len(rows) == 2 and rows[1].status is DeliveryStatus.DELIVERED and rows[1].event_id == rows[0].event_id
    assert len(receiver.requests) == 3


def test_attempts_end_after_the_last_backoff(app, two_tenants, receiver):
    a, _b = two_tenants
    receiver.status = 503
    with app.app_context():
        _endpoint(a, receiver.url, events=("plan.agreed",))
        with tenant_scope(a.tenant):
            services.emit("plan.agreed", {"plan_id": 1})
            db.session.commit()
        for _ in BACKOFF_SECONDS:
            with tenant_scope(a.tenant):
                db.session.scalar(select(WebhookDelivery)).next_attempt_at = utc_now() - timedelta(seconds=1)
                db.session.commit()
            assert retry_due() == 1
        (delivery,) = _deliveries(a)
    assert delivery.status is DeliveryStatus.FAILED and delivery.attempts == len(BACKOFF_SECONDS) + 1
    assert delivery.next_attempt_at is None and delivery.response_code == 503


def test_the_admin_registers_disables_and_deletes_an_endpoint(app, client, two_tenants):
    a, _b = two_tenants
    login(client, "kota-a", "admin")
    url = "/kota-a/admin/webhook/"
    assert client.get(url).status_code == 200
    created = client.post(url, data={"url": "http://localhost:9/hook", "events": ["plan.agreed", "siasn.sent"],
                                     "description": "SIMPEG", "csrf_token": csrf_token(client, url)})
    assert created.status_code == 200
    secret = SECRET_RE.search(created.get_data(as_text=True)).group(1)
    assert secret not in client.get(url).get_data(as_text=True)  # shown once
    refused = client.post(url, data={"url": "ftp://example.org/x", "events": ["plan.agreed"],
                                     "csrf_token": csrf_token(client, url)})
    assert refused.status_code == 422
    with app.app_context(), tenant_scope(a.tenant):
        endpoint = db.session.scalar(select(WebhookEndpoint))
        assert endpoint.secret == secret and endpoint.events == ["plan.agreed", "siasn.sent"]
        endpoint_id = endpoint.id
    assert client.post(f"{url}{endpoint_id}/status", data={"csrf_token": csrf_token(client, url)}).status_code == 302
    with app.app_context(), tenant_scope(a.tenant):
        assert db.session.get(WebhookEndpoint, endpoint_id).active is False
        assert services.emit("plan.agreed", {"plan_id": 1}) == []  # a disabled endpoint gets nothing
    assert client.post(f"{url}{endpoint_id}/hapus", data={"csrf_token": csrf_token(client, url)}).status_code == 302
    with app.app_context(), tenant_scope(a.tenant):
        assert db.session.get(WebhookEndpoint, endpoint_id) is None
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "webhook_endpoint")
                                     .order_by(AuditEntry.seq)).all()
        assert actions == ["webhook.create", "webhook.disable", "webhook.delete"]
        assert secret not in str(db.session.scalars(select(AuditEntry.after)).all())


def test_another_tenants_webhooks_are_404_and_non_admins_403(app, client, two_tenants):
    a, b = two_tenants
    with app.app_context():
        endpoint_id, _ = _endpoint(b, "http://127.0.0.1:9/hook", events=("plan.agreed",))
        with tenant_scope(b.tenant):
            endpoint = db.session.get(WebhookEndpoint, endpoint_id)
            delivery = WebhookDelivery(endpoint=endpoint, event_id="x", event="plan.agreed", payload={})
            db.session.add(delivery)
            db.session.commit()
            delivery_id = delivery.id
    login(client, "kota-a", "admin")
    token = csrf_token(client, "/kota-a/admin/webhook/")
    assert client.get(f"/kota-a/admin/webhook/{endpoint_id}").status_code == 404
    assert client.post(f"/kota-a/admin/webhook/{endpoint_id}/hapus", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/kota-a/admin/webhook/pengiriman/{delivery_id}/kirim-ulang",
                       data={"csrf_token": token}).status_code == 404
    other = app.test_client()
    login(other, "kota-a", "penilai")
    assert other.get("/kota-a/admin/webhook/").status_code == 403


def test_production_refuses_plain_http_and_internal_addresses(app):
    with app.app_context():
        app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
        try:
            for url in ("http://example.org/hook", "https://127.0.0.1/hook", "https://localhost/hook",
                        "https://10.1.2.3/x", "https://[::1]/x", "https://user:pw@example.org/x"):
                with pytest.raises(Invalid):
                    check_url(url)
        finally:
            app.config["WEBHOOKS_ALLOW_PRIVATE"] = None
        assert check_url("http://127.0.0.1:8000/x") == "http://127.0.0.1:8000/x"  # tests: allowed
