"""The platform operator's controls over an existing region: its metadata
(the rule set only while it has no evaluation), deactivating and reactivating
it with a reason (audited, nothing deleted), and what a deactivated region's
people and visitors see: "Layanan daerah ini sedang dinonaktifkan" (503)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.org.models import Employee
from app.tenancy import all_tenants, tenant_scope
from app.tenancy.models import Tenant
from tests.api_support import make_token
from tests.conftest import PASSWORD, csrf_token, login, make_cycle

INACTIVE = "Layanan daerah ini sedang dinonaktifkan"


def _tenant(slug: str) -> Tenant:
    with all_tenants("test lookup"):
        return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def _operator(app):
    client = app.test_client()
    assert login(client, None, "operator").status_code == 302
    return client


def _entries(slug: str, action: str) -> list[AuditEntry]:
    with tenant_scope(_tenant(slug)):
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _edit(client, slug: str, **changes):
    url = f"/platform/tenant/{slug}/ubah"
    data = {"csrf_token": csrf_token(client, url), "name": "Pemerintah Kota A Baru", "level": "kota",
            "province": "Sumatera Barat", "rule_set": "nasional", "locale": "id", "timezone": "Asia/Jakarta"}
    return client.post(url, data={**data, **changes})


def test_the_operator_edits_a_regions_metadata(app, two_tenants):
    client = _operator(app)
    assert 'href="/platform/tenant/kota-a/ubah"' in client.get("/platform/").get_data(as_text=True)
    page = client.get("/platform/tenant/kota-a/ubah")
    assert page.status_code == 200 and "Pemerintah Kota Kota-A" in page.get_data(as_text=True)
    response = _edit(client, "kota-a", timezone="Asia/Jayapura", locale="en", level="kabupaten")
    assert response.status_code == 302
    with app.app_context():
        tenant = _tenant("kota-a")
        assert (tenant.name, tenant.province, tenant.timezone, tenant.locale, tenant.level.value) == (
            "Pemerintah Kota A Baru", "Sumatera Barat", "Asia/Jayapura", "en", "kabupaten")
        (entry,) = [e for e in _entries("kota-a", "tenant.update") if e.before is not None]
        assert entry.before["name"] == "Pemerintah Kota Kota-A" and entry.after["timezone"] == "Asia/Jayapura"
    # Bad input re-renders with the message; nothing changes.
    assert _edit(client, "kota-a", name="", timezone="Europe/Paris").status_code == 422
    assert client.get("/platform/tenant/kota-z/ubah").status_code == 404
    # Only operators: a tenant's admin is sent to the operators' sign-in.
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    response = admin.get("/platform/tenant/kota-a/ubah")
    assert response.status_code == 302 and "/platform/login" in response.location


def test_the_rule_set_changes_only_while_the_region_has_no_evaluation(app, two_tenants):
    a, _b = two_tenants
    with app.app_context():
        make_cycle(a)  # Kota A has evaluations (a draft and a final)
    client = _operator(app)
    refused = _edit(client, "kota-a", rule_set="walesi")
    assert refused.status_code == 422
    assert "Aturan daerah tidak dapat diganti" in refused.get_data(as_text=True)
    with app.app_context():
        assert _tenant("kota-a").rule_set_code == "nasional"
    assert _edit(client, "kota-b", rule_set="walesi").status_code == 302
    with app.app_context():
        assert _tenant("kota-b").rule_set_code == "walesi"
    assert _edit(client, "kota-b", rule_set="tidak-ada").status_code == 422


def test_a_deactivated_region_shows_a_clear_page_and_keeps_its_data(app, two_tenants):
    with app.app_context():
        with all_tenants("count"):
            employees = db.session.scalar(select(func.count()).select_from(Employee))
        api_token = make_token(_tenant("kota-a"))
    pegawai = app.test_client()
    assert login(pegawai, "kota-a", "pegawai").status_code == 302
    client = _operator(app)
    url = "/platform/tenant/kota-a/nonaktifkan"
    assert client.post(url, data={"csrf_token": csrf_token(client, "/platform/tenant/kota-a/ubah"),
                                  "reason": ""}).status_code == 422  # a reason is required
    response = client.post(url, data={"csrf_token": csrf_token(client, "/platform/tenant/kota-a/ubah"),
                                      "reason": "Permintaan Sekda: migrasi sistem"})
    assert response.status_code == 302
    with app.app_context():
        assert _tenant("kota-a").active is False
        (entry,) = _entries("kota-a", "tenant.deactivate")
        assert entry.reason == "Permintaan Sekda: migrasi sistem" and entry.after["active"] is False
        with all_tenants("count"):
            assert db.session.scalar(select(func.count()).select_from(Employee)) == employees  # nothing deleted
    # A signed-in employee, a visitor of the public pages, the sign-in form: the same clear page, 503.
    for who, path in [(pegawai, "/kota-a/"), (app.test_client(), "/kota-a/publik/"),
                      (app.test_client(), "/kota-a/login")]:
        page = who.get(path)
        assert page.status_code == 503 and INACTIVE in page.get_data(as_text=True), path
    refused = app.test_client().post("/kota-a/login", data={"username": "admin", "password": PASSWORD})
    assert refused.status_code == 503 and INACTIVE in refused.get_data(as_text=True)
    assert app.test_client().get("/api/v1/units", headers={"Authorization": f"Bearer {api_token}"}).status_code == 401
    assert "kota-a" not in app.test_client().get("/").get_data(as_text=True)
    # Kota B carries on.
    assert login(app.test_client(), "kota-b", "admin").status_code == 302
    # Reactivated (with a reason): everything works again.
    page = client.get("/platform/tenant/kota-a/ubah").get_data(as_text=True)
    assert "Aktifkan kembali" in page
    response = client.post("/platform/tenant/kota-a/aktifkan",
                           data={"csrf_token": csrf_token(client, "/platform/tenant/kota-a/ubah"),
                                 "reason": "Migrasi selesai"})
    assert response.status_code == 302
    with app.app_context():
        assert _tenant("kota-a").active is True
        assert [e.reason for e in _entries("kota-a", "tenant.reactivate")] == ["Migrasi selesai"]
    assert pegawai.get("/kota-a/").status_code == 200  # the session survived
    assert login(app.test_client(), "kota-a", "admin").status_code == 302
