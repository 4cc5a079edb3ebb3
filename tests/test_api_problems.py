"""The API's problems are in the request's language all through: also the
detail of a body that is not JSON (400) and of one over the size limit (413),
where werkzeug's own English sentence used to show (found running docs/api.md
against the demo)."""

from __future__ import annotations

import pytest

from tests.api_support import bearer, make_token


@pytest.fixture
def secret(app, two_tenants):
    a, _b = two_tenants
    with app.app_context():
        return make_token(a.tenant)


def _post(client, secret, body: str, language: str | None = None):
    headers = bearer(secret, **({"Accept-Language": language} if language else {}))
    return client.post("/api/v1/employees", data=body, content_type="application/json", headers=headers)


def test_a_body_that_is_not_json_is_explained_in_indonesian_by_default(client, secret):
    response = _post(client, secret, '{"nip": ')
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["title"] == "Permintaan tidak valid"
    assert problem["detail"] == "Isi permintaan bukan JSON yang sah."
    assert problem["errors"] == {"json": ["Isi permintaan bukan JSON yang sah."]}


def test_a_body_that_is_not_json_is_explained_in_english_when_asked(client, secret):
    problem = _post(client, secret, "{", language="en").get_json()
    assert problem["status"] == 400
    assert problem["title"] == "Invalid request"
    assert problem["detail"] == "Invalid JSON body."


def test_a_body_over_the_size_limit_is_a_413_in_the_request_language(app, client, secret, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    response = _post(client, secret, '{"name": "' + "a" * 2000 + '"}')
    assert response.status_code == 413 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["title"] == "Berkas terlalu besar"
    assert problem["detail"] == "Isi permintaan melebihi batas ukuran."
    assert "capacity" not in response.get_data(as_text=True)


def test_a_method_an_address_does_not_take_is_answered_in_the_request_language(client, secret):
    problem = client.delete("/api/v1/units", headers=bearer(secret)).get_json()
    assert problem["status"] == 405 and problem["title"] == "Metode tidak diizinkan"
    assert "method is not allowed" not in problem["detail"]
    english = client.delete("/api/v1/units", headers=bearer(secret, **{"Accept-Language": "en"})).get_json()
    assert english["title"] == english["detail"] == "Method not allowed"


def test_a_page_an_address_does_not_take_is_indonesian_too(client, two_tenants):
    page = client.delete("/kota-a/login")
    assert page.status_code == 405 and "Metode tidak diizinkan" in page.get_data(as_text=True)
    assert "The method is not allowed" not in page.get_data(as_text=True)
