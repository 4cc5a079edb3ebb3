"""Realisations written through the API: the pegawai form's rules (agreed
plan, open sub-period, no negative value), If-Match, evidence links checked,
audit entries named after the token, the penilai told about new evidence."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.notifications.models import Notification
from app.periods.models import Period
from app.skp.planning.models import Plan, PlanStatus
from app.tenancy import tenant_scope
from tests.api_support import bearer, make_token
from tests.conftest import make_cycle


@pytest.fixture
def a(app, two_tenants):
    org, _b = two_tenants
    with app.app_context():
        org.cycle = make_cycle(org)
        org.secret = make_token(org.tenant)
        org.reader = make_token(org.tenant, scopes=("skp:read",), name="baca")
        with tenant_scope(org.tenant):
            org.q2 = db.session.scalar(select(Period.id).where(Period.parent_id == org.cycle.year_period_id,
                                                               Period.sequence == 2))
    return org


def _create(client, a, secret=None, **fields):
    body = {"indicator_id": a.cycle.indicator_id, "period_id": a.q2, "value": 4.5, "note": "Dari e-office",
            "evidence_links": [{"url": "https://eoffice.contoh.go.id/surat/1", "title": "Surat 1"}], **fields}
    return client.post(f"/api/v1/plans/{a.cycle.plan_id}/realisations", json=body, headers=bearer(secret or a.secret))


def test_record_then_change_with_if_match(app, client, a):
    created = _create(client, a)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert created.headers["ETag"] == '"1"' and created.headers["Location"].endswith(f"/realisations/{body['id']}")
    assert body["value"] == 4.5 and body["plan_id"] == a.cycle.plan_id
    assert [(e["kind"], e["url"], e["title"]) for e in body["evidence"]] == [
        ("link", "https://eoffice.contoh.go.id/surat/1", "Surat 1")]
    assert _create(client, a).status_code == 409  # one realisation per IKI and sub-period
    url = f"/api/v1/realisations/{body['id']}"
    change = {"value": 6, "evidence_links": [{"url": "https://eoffice.contoh.go.id/surat/1"},
                                             {"url": "http://absensi.contoh.go.id/rekap?bulan=4"}]}
    assert client.put(url, json=change, headers=bearer(a.secret)).status_code == 428
    assert client.put(url, json=change, headers=bearer(a.secret, **{"If-Match": '"7"'})).status_code == 412
    changed = client.put(url, json=change, headers=bearer(a.secret, **{"If-Match": '"1"'}))
    assert changed.status_code == 200, changed.get_json()
    assert changed.headers["ETag"] == '"2"' and changed.get_json()["value"] == 6
    assert len(changed.get_json()["evidence"]) == 2  # the link already attached is not doubled
    read = client.get(url, headers=bearer(a.reader))
    assert read.status_code == 200 and read.headers["ETag"] == '"2"'
    listed = client.get(f"/api/v1/plans/{a.cycle.plan_id}/realisations?period={a.q2}", headers=bearer(a.reader))
    assert [r["id"] for r in listed.get_json()["items"]] == [body["id"]]
    with app.app_context(), tenant_scope(a.tenant):
        entries = db.session.execute(select(AuditEntry.action, AuditEntry.actor_label)
                                     .where(AuditEntry.action.in_(("realisation.create", "realisation.update",
                                                                   "evidence.create")))
                                     .order_by(AuditEntry.seq)).all()
        assert entries == [("realisation.create", "api:uji"), ("evidence.create", "api:uji"),
                           ("realisation.update", "api:uji"), ("evidence.create", "api:uji")]
        told = db.session.scalars(select(Notification.kind).where(Notification.kind == "evidence.pending")).all()
        assert len(told) == 2


def test_the_forms_rules_apply(app, client, a):
    closed = client.put(f"/api/v1/realisations/{a.cycle.realisation_id}", json={"value": 9},
                        headers=bearer(a.secret, **{"If-Match": "*"}))
    assert closed.status_code == 403  # the quarter's evaluation is final
    bad_link = _create(client, a, evidence_links=[{"url": "javascript:alert(1)"}])
    assert bad_link.status_code == 422 and bad_link.get_json()["field"] == "evidence_links.0.url"
    assert _create(client, a, indicator_id=999999).get_json()["field"] == "indicator_id"
    assert _create(client, a, period_id=a.cycle.year_period_id + 999).get_json()["field"] == "period_id"
    assert _create(client, a, secret=a.reader).status_code == 403
    with app.app_context(), tenant_scope(a.tenant):
        db.session.get(Plan, a.cycle.plan_id).status = PlanStatus.SUBMITTED
        db.session.commit()
    assert _create(client, a).status_code == 403  # not agreed yet


def test_field_messages_speak_the_callers_language(client, a):
    negative = _create(client, a, value=-1)
    assert negative.status_code == 422
    assert negative.get_json()["errors"]["value"] == ["Harus lebih dari atau sama dengan 0 dan kurang dari atau sama dengan 1000000000000."]
    english = client.post(f"/api/v1/plans/{a.cycle.plan_id}/realisations", json={"value": "x"},
                          headers=bearer(a.secret, **{"Accept-Language": "en"}))
    errors = english.get_json()["errors"]
    assert errors["value"] == ["Not a valid number."] and errors["indicator_id"] == ["Missing data for required field."]
    indonesian = client.post(f"/api/v1/plans/{a.cycle.plan_id}/realisations", json={"value": "x", "x": 1},
                             headers=bearer(a.secret, **{"Accept-Language": "id"}))
    errors = indonesian.get_json()["errors"]
    assert errors["value"] == ["Harus berupa angka."] and errors["indicator_id"] == ["Wajib diisi."]
    assert errors["x"] == ["Isian ini tidak dikenal."]
