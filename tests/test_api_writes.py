"""Writing employees through the API: the admin screens' rules and audit,
If-Match (428/412), Idempotency-Key replays, field errors."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.org.models import Employee
from app.tenancy import tenant_scope
from tests.api_support import bearer, make_token

NIP = "199001012015031002"  # born 1990-01-01, TMT 2015-03, L (digit 15 = 1), number 002


@pytest.fixture
def token(app, two_tenants):
    a, _b = two_tenants
    with app.app_context():
        a.secret = make_token(a.tenant)
    return a


def _new(client, a, key=None, **fields):
    body = {"nip": NIP, "name": "Budi Santoso", "sex": "L", "employee_type": "PNS",
            "position_id": a.position_ids["STAF"], **fields}
    headers = bearer(a.secret, **({"Idempotency-Key": key} if key else {}))
    return client.post("/api/v1/employees", json=body, headers=headers)


def _count(app, a):
    with app.app_context(), tenant_scope(a.tenant):
        return db.session.scalar(select(func.count()).select_from(Employee))


def test_create_update_and_deactivate_like_the_admin_screen(app, client, token):
    a = token
    created = _new(client, a)
    assert created.status_code == 201, created.get_json()
    employee = created.get_json()
    assert created.headers["ETag"] == '"1"' and created.headers["Location"].endswith(f"/employees/{employee['id']}")
    assert employee["nip"] == NIP and employee["unit_id"] == a.unit_id
    updated = client.patch(f"/api/v1/employees/{employee['id']}", json={"name": "Budi S."},
                           headers=bearer(a.secret, **{"If-Match": '"1"'}))
    assert updated.status_code == 200 and updated.get_json()["name"] == "Budi S."
    assert updated.headers["ETag"] == '"2"' and updated.get_json()["nip"] == NIP
    gone = client.post(f"/api/v1/employees/{employee['id']}/deactivate", headers=bearer(a.secret))
    assert gone.status_code == 200 and gone.get_json()["active"] is False
    with app.app_context(), tenant_scope(a.tenant):
        entries = db.session.execute(select(AuditEntry.action, AuditEntry.actor_label)
                                     .where(AuditEntry.object_id == employee["id"], AuditEntry.object_type == "employee")
                                     .order_by(AuditEntry.seq)).all()
    assert entries == [("employee.create", "api:uji"), ("employee.update", "api:uji"),
                       ("employee.deactivate", "api:uji")]


def test_the_same_rules_as_the_form(app, client, token):
    a = token
    wrong_sex = _new(client, a, sex="P")
    assert wrong_sex.status_code == 422
    body = wrong_sex.get_json()
    assert wrong_sex.mimetype == "application/problem+json"
    assert body["field"] == "sex" and body["errors"]["sex"]
    structural = _new(client, a, position_id=a.position_ids["KASI"])  # held by the penilai already
    assert structural.status_code == 422 and structural.get_json()["field"] == "position_id"
    assert _new(client, a).status_code == 201
    taken = _new(client, a)
    assert taken.status_code == 422 and taken.get_json()["field"] == "nip"


def test_request_validation_names_every_field(client, token):
    response = client.post("/api/v1/employees", json={"nip": "", "sex": "X", "email": "bukan-email",
                                                      "name": "a\x00b"}, headers=bearer(token.secret))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) >= {"nip", "sex", "email", "employee_type", "name"}
    not_json = client.post("/api/v1/employees", data="{", content_type="application/json",
                           headers=bearer(token.secret))
    assert not_json.status_code in (400, 422) and not_json.mimetype == "application/problem+json"


def test_if_match_is_required_and_checked(app, client, token):
    a = token
    url = f"/api/v1/employees/{a.pegawai_id}"
    missing = client.patch(url, json={"name": "X"}, headers=bearer(a.secret))
    assert missing.status_code == 428 and missing.mimetype == "application/problem+json"
    etag = client.get(url, headers=bearer(a.secret)).headers["ETag"]
    assert client.patch(url, json={"name": "Pegawai Baru"}, headers=bearer(a.secret, **{"If-Match": etag})).status_code == 200
    stale = client.patch(url, json={"name": "Lagi"}, headers=bearer(a.secret, **{"If-Match": etag}))
    assert stale.status_code == 412 and stale.headers["ETag"] != etag
    with app.app_context(), tenant_scope(a.tenant):
        assert db.session.get(Employee, a.pegawai_id).name == "Pegawai Baru"
    assert client.post(f"{url}/deactivate", headers=bearer(a.secret, **{"If-Match": etag})).status_code == 412


def test_an_idempotency_key_replays_the_first_answer(app, client, token):
    a = token
    first = _new(client, a, key="simpeg-42")
    again = _new(client, a, key="simpeg-42")
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(app, a) == 6
    other_body = _new(client, a, key="simpeg-42", name="Orang Lain")
    assert other_body.status_code == 422 and other_body.get_json()["type"].endswith("idempotency-key-reused")
    # A failed request is not remembered: the corrected retry with the same key goes through.
    failed = _new(client, a, key="simpeg-43", nip="199001012015031001", sex="P")
    assert failed.status_code == 422
    assert _new(client, a, key="simpeg-43", nip="199001012015032003", sex="P").status_code == 201
    assert _new(client, a, key="bad key with spaces").status_code == 422
    # Keys belong to a token: another token's same key is a new request.
    with app.app_context():
        other = make_token(a.tenant, name="lain")
    replay_elsewhere = client.post("/api/v1/employees", headers=bearer(other, **{"Idempotency-Key": "simpeg-42"}),
                                   json={"nip": NIP, "name": "Budi Santoso", "sex": "L", "employee_type": "PNS",
                                         "position_id": a.position_ids["STAF"]})
    assert replay_elsewhere.status_code == 422  # the NIP is taken now: it really ran again


def test_a_read_only_token_cannot_write(app, client, two_tenants):
    a, _b = two_tenants
    with app.app_context():
        reader = make_token(a.tenant, ["org:read"])
    response = client.post("/api/v1/employees", json={}, headers=bearer(reader))
    assert response.status_code == 403 and response.get_json()["scope"] == "org:write"
