"""Links that leave the app come from PUBLIC_BASE_URL; unknown hosts are refused (issue #9, item 14)."""

from __future__ import annotations

import pytest
from flask import url_for

from app import create_app
from tests.conftest import login

BASE = "https://kinerja.example.go.id"


@pytest.fixture
def public_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", BASE)
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["localhost", "kinerja.example.go.id"])
    return app


def test_qr_codes_and_survey_links_use_the_configured_address(public_app, two_tenants):
    a, _ = two_tenants
    client = public_app.test_client()
    login(client, "kota-a", "admin")
    html = client.get("/kota-a/admin/publik/").get_data(as_text=True)
    assert f"{BASE}/kota-a/publik/survei/{a.unit_id}" in html
    assert "http://localhost" not in html


def test_external_links_ignore_the_host_header(public_app, two_tenants):
    with public_app.test_request_context("/", headers={"Host": "localhost"}):
        assert url_for("publik.survey_units", tenant_slug="kota-a", _external=True) == \
            f"{BASE}/kota-a/publik/survei"
        assert url_for("publik.survey_units", tenant_slug="kota-a") == "/kota-a/publik/survei"
    with public_app.app_context():  # e-mails built outside a request
        assert url_for("publik.survey_units", tenant_slug="kota-a", _external=True) == \
            f"{BASE}/kota-a/publik/survei"


def test_requests_for_unknown_hosts_are_refused(public_app, two_tenants):
    client = public_app.test_client()
    assert client.get("/kota-a/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/kota-a/login", headers={"Host": "kinerja.example.go.id"}).status_code == 200


def test_the_public_address_sets_the_trusted_hosts(database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "PUBLIC_BASE_URL": BASE + "/"})
    assert app.config["TRUSTED_HOSTS"] == ["kinerja.example.go.id"]
    assert app.config["PUBLIC_BASE_URL"] == BASE
    with pytest.raises(RuntimeError):
        create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "PUBLIC_BASE_URL": "kinerja.example"})


def test_the_environment_gives_the_address_and_hosts(monkeypatch):
    from app.config import Config

    monkeypatch.setenv("PUBLIC_BASE_URL", BASE)
    monkeypatch.setenv("TRUSTED_HOSTS", "kinerja.example.go.id, .internal.example")
    values = Config.from_env()
    assert values["PUBLIC_BASE_URL"] == BASE
    assert values["TRUSTED_HOSTS"] == ["kinerja.example.go.id", ".internal.example"]


def test_production_refuses_to_start_without_a_public_base_url(database_url):
    from app import create_app

    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32})
