"""Bulk upsert of employees by NIP through the API: the import's rules, a
per-row report, all or nothing, Idempotency-Key, the size limit, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.org.models import Employee, EmployeeRank
from app.tenancy import tenant_scope
from tests.api_support import bearer, make_token

URL = "/api/v1/employees/bulk"
NIP_L = "199001012015031002"  # digit 15 = 1: L
NIP_P = "199202022016022001"  # digit 15 = 2: P


@pytest.fixture
def a(app, two_tenants):
    org, _b = two_tenants
    with app.app_context():
        org.secret = make_token(org.tenant)
        org.reader = make_token(org.tenant, scopes=("org:read",), name="baca")
    return org


def _row(nip=NIP_L, **fields):
    return {"nip": nip, "nama": "Budi Santoso", "jenis_kelamin": "L", "jenis_asn": "PNS",
            "kode_jabatan": "STAF", "email": None, "pangkat": "III/a", "tmt_pangkat": "2021-04-01", **fields}


def _employees(app, a):
    with app.app_context(), tenant_scope(a.tenant):
        return {e.nip: e for e in db.session.scalars(select(Employee))}


def test_creates_updates_and_reports_every_row(app, client, a):
    existing = _employees(app, a)
    peer_nip = next(nip for nip, e in existing.items() if e.id == a.peer_id)
    rows = [_row(), _row(NIP_P, nama="Sri Wahyuni", jenis_kelamin="p", pangkat="3b"),
            _row(peer_nip, nama="Peer Baru", pangkat="", tmt_pangkat="")]
    response = client.post(URL, json={"rows": rows}, headers=bearer(a.secret))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["written"] is True
    assert body["counts"] == {"create": 2, "update": 1, "unchanged": 0, "error": 0}
    assert [(r["index"], r["nip"], r["action"]) for r in body["rows"]] == [
        (0, NIP_L, "create"), (1, NIP_P, "create"), (2, peer_nip, "update")]
    assert "nama" in body["rows"][2]["changes"]
    after = _employees(app, a)
    assert after[NIP_P].sex.value == "P" and after[NIP_P].rank_code == "III/b"
    assert after[peer_nip].name == "Peer Baru" and after[peer_nip].position_id == a.position_ids["STAF"]
    with app.app_context(), tenant_scope(a.tenant):
        labels = set(db.session.scalars(select(AuditEntry.actor_label).where(
            AuditEntry.object_type == "employee", AuditEntry.object_id == after[NIP_L].id)))
        assert labels == {"api:uji"}
        assert db.session.scalar(select(func.count()).select_from(EmployeeRank)
                                 .where(EmployeeRank.employee_id == after[NIP_L].id)) == 1
    again = client.post(URL, json={"rows": rows}, headers=bearer(a.secret)).get_json()
    assert again["counts"]["unchanged"] == 3 and again["counts"]["create"] == 0


def test_one_bad_row_writes_nothing_and_names_every_problem(app, client, a):
    before = len(_employees(app, a))
    rows = [_row(), _row(NIP_P, jenis_kelamin="L", kode_jabatan="TIDAK-ADA"), _row(nama="")]
    response = client.post(URL, json={"rows": rows}, headers=bearer(a.secret))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert [r["action"] for r in body["rows"]] == ["error", "error", "error"]  # rows 0 and 2 share a NIP
    assert set(body["rows"][1]["errors"]) == {"jenis_kelamin", "kode_jabatan"}
    assert "nama" in body["rows"][2]["errors"] and "nip" in body["rows"][2]["errors"]
    assert "1.kode_jabatan" in body["errors"] and body["counts"]["error"] == 3
    assert len(_employees(app, a)) == before


def test_dry_run_and_same_fields_per_row(app, client, a):
    before = len(_employees(app, a))
    checked = client.post(URL, json={"rows": [_row()], "dry_run": True}, headers=bearer(a.secret))
    assert checked.status_code == 200
    assert checked.get_json()["written"] is False and checked.get_json()["rows"][0]["action"] == "create"
    assert len(_employees(app, a)) == before
    ragged = [_row(), {"nip": NIP_P, "nama": "Sri", "jenis_kelamin": "P", "jenis_asn": "PNS"}]
    response = client.post(URL, json={"rows": ragged}, headers=bearer(a.secret))
    assert response.status_code == 422 and "_row" in response.get_json()["rows"][1]["errors"]


def test_optional_fields_left_out_keep_their_values(app, client, a):
    existing = _employees(app, a)
    peer_nip = next(nip for nip, e in existing.items() if e.id == a.peer_id)
    row = {"nip": peer_nip, "nama": "Peer Ganti Nama", "jenis_kelamin": "L", "jenis_asn": "PNS"}
    assert client.post(URL, json={"rows": [row]}, headers=bearer(a.secret)).status_code == 200
    after = _employees(app, a)[peer_nip]
    assert after.name == "Peer Ganti Nama" and after.position_id == a.position_ids["STAF"]


def test_limits_scope_and_idempotency(app, client, a):
    too_many = client.post(URL, json={"rows": [_row()] * 1001}, headers=bearer(a.secret))
    assert too_many.status_code == 422 and "rows" in too_many.get_json()["errors"]
    assert client.post(URL, json={"rows": []}, headers=bearer(a.secret)).status_code == 422
    unknown = client.post(URL, json={"rows": [_row(gaji="1")]}, headers=bearer(a.secret))
    assert unknown.status_code == 422
    assert client.post(URL, json={"rows": [_row()]}, headers=bearer(a.reader)).status_code == 403
    headers = bearer(a.secret, **{"Idempotency-Key": "bulk-1"})
    first = client.post(URL, json={"rows": [_row()]}, headers=headers)
    second = client.post(URL, json={"rows": [_row()]}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert second.get_json()["rows"][0]["action"] == "create"  # the first answer, replayed
