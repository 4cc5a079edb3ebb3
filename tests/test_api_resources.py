"""Reading through the API: lists with cursors and filters, single objects,
plans with RHK and IKI, evaluations with their trace, figures, the audit
chain; scopes per route; the language of errors; the rate limit."""

from __future__ import annotations

import pytest

from app.api import ratelimit
from app.extensions import db
from tests.api_support import bearer, make_token
from tests.conftest import make_cycle
from tests.publik_support import add_publik_objects


@pytest.fixture
def world(app, two_tenants):
    a, _b = two_tenants
    with app.app_context():
        a.cycle = make_cycle(a)
        a.publik = add_publik_objects(a)
        a.secret = make_token(a.tenant)
        db.session.remove()
    return a


def _get(client, world, url, **headers):
    response = client.get(url, headers=bearer(world.secret, **headers))
    assert response.status_code == 200, (url, response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    return response.get_json()


def test_employees_page_with_an_opaque_cursor_and_filters(client, world):
    first = _get(client, world, "/api/v1/employees?limit=2")
    assert len(first["items"]) == 2 and first["next_cursor"]
    seen = [e["id"] for e in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        more = _get(client, world, f"/api/v1/employees?limit=2&cursor={cursor}")
        seen += [e["id"] for e in more["items"]]
        cursor = more["next_cursor"]
    assert len(seen) == len(set(seen)) == 5 and seen == sorted(seen)  # kota-a only: B's five never appear
    pegawai = _get(client, world, f"/api/v1/employees/{world.pegawai_id}")
    assert _get(client, world, "/api/v1/employees?q=Pegawai")["items"] == [pegawai]
    assert _get(client, world, f"/api/v1/employees?q={pegawai['nip'][:8]}")["items"][0]["nip"].startswith(
        pegawai["nip"][:8])
    assert _get(client, world, "/api/v1/employees?q=%25")["items"] == []  # a wildcard is a character
    assert len(_get(client, world, f"/api/v1/employees?unit={world.unit_id}")["items"]) == 5
    assert _get(client, world, "/api/v1/employees?active=false")["items"] == []
    assert pegawai["unit_id"] == world.unit_id and pegawai["version"] == 1
    by_nip = client.get(f"/api/v1/employees/by-nip/{pegawai['nip']}", headers=bearer(world.secret))
    assert by_nip.get_json() == pegawai and by_nip.headers["ETag"] == '"1"'


def test_units_positions_and_periods(client, world):
    units = _get(client, world, "/api/v1/units")["items"]
    assert [u["code"] for u in units] == ["DINKES"]
    assert _get(client, world, f"/api/v1/units/{world.unit_id}")["name"] == "Dinas Kesehatan"
    positions = _get(client, world, f"/api/v1/positions?unit={world.unit_id}")["items"]
    assert {p["code"] for p in positions} == {"KADIS", "KABID", "KASI", "STAF"}
    kasi = _get(client, world, f"/api/v1/positions/{world.position_ids['KASI']}")
    assert kasi["reports_to_id"] == world.position_ids["KABID"]
    periods = _get(client, world, "/api/v1/periods?year=2026&kind=quarter")["items"]
    assert [p["label"] for p in periods] == [f"Triwulan {q} 2026" for q in range(1, 5)]


def test_a_plan_with_its_rhk_and_iki(client, world):
    plan = _get(client, world, f"/api/v1/plans/{world.cycle.plan_id}")
    assert plan["status"] == "agreed" and plan["employee_id"] == world.pegawai_id
    (result,) = plan["results"]
    assert result["description"] == "Layanan administrasi tertib" and result["kind"] == "utama"
    assert result["indicators"][0]["name"] == "Dokumen diproses" and result["indicators"][0]["target_upper"] == 12
    listed = _get(client, world, f"/api/v1/plans?employee={world.pegawai_id}&status=agreed")["items"]
    assert listed == [plan]


def test_final_results_carry_the_rule_set_and_trace(client, world):
    finals = _get(client, world, "/api/v1/evaluations?status=final")["items"]
    assert [e["id"] for e in finals] == [world.cycle.final_evaluation_id]
    final = finals[0]
    assert final["rule_set_code"] == "nasional" and final["rule_set_version"] == "test"
    assert final["predikat_code"] == "baik" and final["employee_id"] == world.pegawai_id
    assert isinstance(final["trace"], dict)
    assert len(_get(client, world, f"/api/v1/evaluations?employee={world.pegawai_id}")["items"]) == 2
    objection = _get(client, world, f"/api/v1/objections?evaluation={final['id']}")["items"][0]
    assert objection["status"] == "open" and objection["lodged_at"].endswith("+00:00")
    assert _get(client, world, f"/api/v1/objections/{objection['id']}") == objection


def test_figures_and_the_audit_chain(client, world):
    ikm = _get(client, world, "/api/v1/publik/ikm?year=2026&quarter=0")
    assert ikm["period"]["label"] == "Tahun 2026"
    for item in ikm["items"]:
        assert 0 <= float(item["ikm"]) <= 100 and len(item["element_means"]) == 9
    stats = _get(client, world, "/api/v1/publik/complaints/stats?year=2026&quarter=0")
    assert stats["received"] == sum(u["received"] for u in stats["units"])
    chain = _get(client, world, "/api/v1/audit/verification")
    assert chain["ok"] is True and chain["entries"] > 5 and chain["problem"] is None


ROUTE_SCOPES = {
    "/api/v1/units": "org:read", "/api/v1/employees": "org:read", "/api/v1/periods": "org:read",
    "/api/v1/audit/verification": "org:read", "/api/v1/plans": "skp:read", "/api/v1/evaluations": "evaluations:read",
    "/api/v1/objections": "evaluations:read", "/api/v1/publik/ikm": "publik:read",
    "/api/v1/publik/complaints/stats": "publik:read",
}


def test_every_route_needs_its_scope(app, client, world):
    spec = client.get("/api/v1/openapi.json").get_json()
    from app.api.tokens import SCOPES
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            needed = operation["x-required-scope"]
            if path in ROUTE_SCOPES:
                assert needed == (ROUTE_SCOPES[path] if method == "get" else "org:write"), f"{method} {path}"
            with app.app_context():
                others = make_token(world.tenant, [s for s in SCOPES if s != needed], name=f"no {needed}")
            url = path.replace("{nip}", "198001012005011001")
            for name in ("unit_id", "position_id", "employee_id", "period_id", "plan_id", "evaluation_id",
                         "objection_id", "realisation_id", "endpoint_id", "delivery_id"):
                url = url.replace("{" + name + "}", "1")
            response = client.open(url, method=method.upper(), headers=bearer(others), json={})
            assert response.status_code == 403, f"{method} {path}"
            assert response.get_json()["scope"] == needed and needed in response.get_json()["detail"]


def test_errors_speak_the_callers_language(client, world):
    english = client.get("/api/v1/employees/999999", headers=bearer(world.secret, **{"Accept-Language": "en-GB,en;q=0.8"}))
    indonesian = client.get("/api/v1/employees/999999", headers=bearer(world.secret, **{"Accept-Language": "id"}))
    default = client.get("/api/v1/employees/999999", headers=bearer(world.secret))
    assert english.status_code == indonesian.status_code == 404
    assert english.get_json()["title"] == "Page not found"
    assert indonesian.get_json()["title"] == default.get_json()["title"] == "Halaman tidak ditemukan"
    invalid = client.get("/api/v1/employees?limit=0", headers=bearer(world.secret, **{"Accept-Language": "en"}))
    assert invalid.status_code == 422 and invalid.get_json()["errors"]["limit"]
    assert invalid.get_json()["title"] != "Isian tidak dapat diproses"


def test_the_rate_limit_answers_429_with_retry_after(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 3)
    ratelimit.reset()
    statuses = [client.get("/api/v1/units", headers=bearer(world.secret)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/units", headers=bearer(world.secret))
    assert refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    with app.app_context():  # another token has its own allowance
        other = make_token(world.tenant, name="lain")
    assert client.get("/api/v1/units", headers=bearer(other)).status_code == 200
    ratelimit.reset()
