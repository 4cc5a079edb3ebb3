"""The OpenAPI document validates, and the API keeps to it for generated input.

Schemathesis generates requests from ``/api/v1/openapi.json`` (a bounded
number per operation) and sends them, with a token carrying every scope, to
the application in-process: no answer may be a 5xx, and every answer must
match the document (status, content type, body schema, headers).
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.extensions import db
from tests.api_support import bearer, make_token
from tests.conftest import make_cycle

EXAMPLES_PER_OPERATION = 25


def test_the_openapi_document_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) >= {"/api/v1/employees", "/api/v1/employees/{employee_id}",
                                  "/api/v1/employees/by-nip/{nip}", "/api/v1/plans/{plan_id}",
                                  "/api/v1/evaluations", "/api/v1/publik/ikm", "/api/v1/audit/verification"}
    # Every operation says which scope it needs and how errors look.
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("x-required-scope"), f"{method} {path}"
            assert operation["security"] == [{"bearerAuth": []}]
            assert "application/problem+json" in str(operation["responses"]["default"]) or \
                "DEFAULT_ERROR" in str(operation["responses"]["default"])


def test_the_reference_page_loads_only_local_files(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "http://" not in html and "https://" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "docs.js"):
        assert f"/api/v1/docs/{asset}" in html
        assert client.get(f"/api/v1/docs/{asset}").status_code == 200


def test_generated_requests_never_fail_and_answers_match_the_document(app, two_tenants, monkeypatch):
    a, _b = two_tenants
    with app.app_context():
        make_cycle(a)
        secret = make_token(a.tenant)
        db.session.remove()
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 0)  # no limit: hypothesis sends many requests
    monkeypatch.setitem(app.config, "PROPAGATE_UNEXPECTED", False)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = bearer(secret, **{"Accept-Encoding": "identity"})  # the in-process client does not gunzip
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    for operation in operations:
        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                             phases=[Phase.explicit, Phase.generate],
                             suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(headers=headers)
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
            # Every check but "schema-valid input is accepted": an opaque cursor or a text
            # with control characters is valid for the schema and rightly refused (422).
            case.validate_response(response, headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Exception as exc:  # collect every operation's failure, report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("path", ["/api/v1/employees?limit=0", "/api/v1/employees?limit=abc",
                                  "/api/v1/employees?cursor=%%%", "/api/v1/employees?cursor=OTk5OTk5OTk5OTk5OTk5",
                                  "/api/v1/employees?unit=99999999999999999999", "/api/v1/employees?q=a%00b",
                                  "/api/v1/periods?year=-5", "/api/v1/publik/ikm?quarter=9"])
def test_bad_query_values_are_422_with_field_errors(app, client, two_tenants, path):
    a, _b = two_tenants
    with app.app_context():
        secret = make_token(a.tenant)
    response = client.get(path, headers=bearer(secret))
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert body["status"] == 422 and body["errors"]
