"""SIASN and webhooks through the API: export status per final result and
sending one (against the local fake SIASN), webhook endpoints with their
deliveries (a local receiver checks the signature), resend, disable; the
signing secrets encrypted at rest, also those the 0022 migration finds."""

from __future__ import annotations

import json
import tempfile
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from app import create_app, secretbox
from app.api import tokens
from app.audit.models import AuditEntry
from app.extensions import db
from app.tenancy import tenant_scope
from app.webhooks import services, signing
from app.webhooks.models import WebhookEndpoint
from tests import siasn_fake
from tests.api_support import bearer, make_token
from tests.reports_support import build_year
from tests.test_siasn_send import _configure
from tests.test_webhooks import Receiver


@pytest.fixture(scope="module")
def fake():
    server_fake, server = siasn_fake.start()
    yield server_fake
    server.shutdown()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _admin_token(app, org, scopes) -> str:
    with app.app_context(), tenant_scope(org.tenant):
        new = tokens.create_token("simpeg", list(scopes), created_by_id=org.user_ids["admin"])
        db.session.commit()
        return new.secret


# --- SIASN --------------------------------------------------------------------------------

@pytest.fixture
def year(app, fake):
    fake.fail_next, fake.received[:], fake.uploads[:], fake.ids[:] = 0, [], [], []
    with app.app_context():
        built = build_year("kota-uji", "nasional")
        db.session.remove()
    return built


def test_siasn_status_and_send_one(app, client, fake, year):
    _configure(app, year, fake)
    secret = _admin_token(app, year.org, ["siasn:export"])
    listed = client.get("/api/v1/siasn/exports", headers=bearer(secret))
    assert listed.status_code == 200
    items = listed.get_json()["items"]
    assert {i["evaluation_id"] for i in items} >= {year.evaluation_id}
    mine = next(i for i in items if i["evaluation_id"] == year.evaluation_id)
    assert mine["status"] == "pending" and mine["remote_id"] is None
    sent = client.post(f"/api/v1/siasn/exports/{year.evaluation_id}/send", headers=bearer(secret))
    assert sent.status_code == 202, sent.get_json()
    assert sent.get_json()["status"] == "queued"  # the job runs once the request commits
    after = client.get(f"/api/v1/siasn/exports/{year.evaluation_id}", headers=bearer(secret)).get_json()
    assert after["status"] == "sent" and after["remote_id"] and after["attempts"] == 1
    assert len(fake.received) == 1
    only_sent = client.get("/api/v1/siasn/exports?status=sent", headers=bearer(secret)).get_json()["items"]
    assert [i["evaluation_id"] for i in only_sent] == [year.evaluation_id]


def test_siasn_send_needs_an_admins_token_and_a_final_result(app, client, fake, year):
    _configure(app, year, fake)
    with app.app_context():
        nobody = make_token(year.org.tenant, scopes=("siasn:export",), name="cli")
    refused = client.post(f"/api/v1/siasn/exports/{year.evaluation_id}/send", headers=bearer(nobody))
    assert refused.status_code == 403
    secret = _admin_token(app, year.org, ["siasn:export"])
    assert client.get("/api/v1/siasn/exports/999999", headers=bearer(secret)).status_code == 404
    assert fake.received == []


def test_siasn_send_without_settings_says_so(app, client, year):
    _configure(app, year)  # the employee's SIASN id, no address nor credentials
    secret = _admin_token(app, year.org, ["siasn:export"])
    answer = client.post(f"/api/v1/siasn/exports/{year.evaluation_id}/send", headers=bearer(secret))
    assert answer.status_code == 422 and "SIASN" in answer.get_json()["detail"]


# --- webhooks -----------------------------------------------------------------------------

def test_webhook_endpoints_deliveries_resend_and_disable(app, client, two_tenants, receiver):
    a, _b = two_tenants
    secret = _admin_token(app, a, ["webhooks:manage"])
    created = client.post("/api/v1/webhooks", json={"url": receiver.url, "events": ["plan.agreed"],
                                                    "description": "SIMPEG"}, headers=bearer(secret))
    assert created.status_code == 201, created.get_json()
    endpoint = created.get_json()
    signing_secret = endpoint["secret"]
    assert signing_secret.startswith("whsec_") and endpoint["active"] is True
    shown = client.get(f"/api/v1/webhooks/{endpoint['id']}", headers=bearer(secret)).get_json()
    assert "secret" not in shown and shown["events"] == ["plan.agreed"]
    assert [e["id"] for e in client.get("/api/v1/webhooks", headers=bearer(secret)).get_json()["items"]] == [
        endpoint["id"]]
    with app.app_context(), tenant_scope(a.tenant):
        stored = db.session.execute(text("SELECT secret_enc FROM webhook_endpoint")).scalar_one()
        assert signing_secret not in stored  # encrypted at rest
        assert db.session.get(WebhookEndpoint, endpoint["id"]).secret == signing_secret
        services.emit("plan.agreed", {"plan_id": 1})
        db.session.commit()  # the delivery job runs after the commit (inline in tests)
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert signing.verify(signing_secret, body, headers["x-kinerja-signature"], now=int(time.time()))
    deliveries = client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries", headers=bearer(secret)).get_json()
    first = deliveries["items"][0]
    assert first["status"] == "delivered" and first["response_code"] == 200 and first["attempts"] == 1
    again = client.post(f"/api/v1/webhooks/deliveries/{first['id']}/resend", headers=bearer(secret))
    assert again.status_code == 202 and again.get_json()["event_id"] == first["event_id"]
    assert len(receiver.requests) == 2
    assert json.loads(receiver.requests[1][1])["id"] == first["event_id"]
    disabled = client.post(f"/api/v1/webhooks/{endpoint['id']}/disable", headers=bearer(secret))
    assert disabled.status_code == 200 and disabled.get_json()["active"] is False
    with app.app_context(), tenant_scope(a.tenant):
        actions = db.session.execute(select(AuditEntry.action, AuditEntry.actor_label)
                                     .where(AuditEntry.object_type == "webhook_endpoint")
                                     .order_by(AuditEntry.seq)).all()
    assert actions == [("webhook.create", "api:simpeg"), ("webhook.resend", "api:simpeg"),
                       ("webhook.disable", "api:simpeg")]


def test_webhook_input_is_checked(app, client, two_tenants):
    a, _b = two_tenants
    secret = _admin_token(app, a, ["webhooks:manage"])
    unknown = client.post("/api/v1/webhooks", json={"url": "https://contoh.go.id/hook", "events": ["x.y"]},
                          headers=bearer(secret))
    assert unknown.status_code == 422 and unknown.get_json()["field"] == "events"
    bad_url = client.post("/api/v1/webhooks", json={"url": "ftp://contoh.go.id", "events": ["plan.agreed"]},
                          headers=bearer(secret))
    assert bad_url.status_code == 422 and bad_url.get_json()["field"] == "url"
    with app.app_context():
        reader = make_token(a.tenant, scopes=("org:read",), name="baca")
    assert client.get("/api/v1/webhooks", headers=bearer(reader)).status_code == 403


def test_a_replayed_webhook_answer_keeps_its_secret_encrypted_at_rest(app, client, two_tenants):
    a, _b = two_tenants
    secret = _admin_token(app, a, ["webhooks:manage"])
    headers = bearer(secret, **{"Idempotency-Key": "hook-1"})
    body = {"url": "https://contoh.go.id/hook", "events": ["plan.agreed"]}
    first = client.post("/api/v1/webhooks", json=body, headers=headers)
    again = client.post("/api/v1/webhooks", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    signing_secret = first.get_json()["secret"]
    assert again.get_json()["secret"] == signing_secret and again.headers["Idempotent-Replayed"] == "true"
    with app.app_context(), tenant_scope(a.tenant):
        stored = db.session.scalar(text("SELECT body FROM api_idempotency"))
    assert signing_secret not in stored and "contoh.go.id" not in stored


def test_an_unreadable_secret_fails_the_delivery_instead_of_signing_with_garbage(app, two_tenants, receiver):
    a, _b = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        endpoint, _secret = services.create_endpoint(receiver.url, ["plan.agreed"])
        endpoint.secret_enc = secretbox.encrypt(secretbox.WEBHOOK_SECRET, "whsec_lain", secret_key="kunci-lain")
        db.session.commit()
        assert endpoint.secret is None
        delivery = services.emit("plan.agreed", {"plan_id": 1})[0]
        db.session.commit()
        db.session.refresh(delivery)
        assert delivery.error == "secret unreadable" and delivery.status.value == "pending"
    assert receiver.requests == []


def test_the_migration_encrypts_plaintext_secrets():
    """0022 on a database holding a plaintext secret (as 0013-0021 stored them)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/m.db"})
        with app.app_context():
            upgrade(revision="0021")
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO tenant (id, slug, name, level, province, rule_set_code, settings, "
                                  "locale, timezone, active, created_at) VALUES (1, 'kota-m', 'Kota M', 'kota', "
                                  "'Uji', 'nasional', '{}', 'id', 'Asia/Jakarta', 1, '2026-01-01')"))
                conn.execute(text("INSERT INTO webhook_endpoint (tenant_id, url, description, secret, events, active, "
                                  "created_at) VALUES (1, 'https://m.example/hook', '', 'whsec_lama', '[]', 1, "
                                  "'2026-01-01')"))
            upgrade(revision="heads")
            stored = db.session.execute(text("SELECT secret_enc FROM webhook_endpoint")).scalar_one()
            assert stored != "whsec_lama"
            assert secretbox.decrypt(secretbox.WEBHOOK_SECRET, stored) == "whsec_lama"
            db.session.remove()
            db.engine.dispose()
