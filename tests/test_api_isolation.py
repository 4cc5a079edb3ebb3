"""Tenant isolation over every API route (as tests/test_isolation.py for pages).

Tenant A's token, with every scope, requests every ``/api/v1`` route with
the ids (and NIP) of tenant B's objects: the answer is 404, never B's data,
and nothing of B's changes. Lists never show B's rows. A new URL parameter
fails this test until it is added to PARAM_OBJECTS.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.org.models import Employee
from app.tenancy import all_tenants
from tests.api_support import bearer, make_token
from tests.conftest import make_cycle
from tests.publik_support import add_publik_objects

PARAM_OBJECTS = {
    "unit_id": lambda b: b.unit_id,
    "position_id": lambda b: b.position_ids["KASI"],
    "employee_id": lambda b: b.pegawai_id,
    "nip": lambda b: b.pegawai_nip,
    "period_id": lambda b: b.cycle.year_period_id,
    "plan_id": lambda b: b.cycle.plan_id,
    "evaluation_id": lambda b: b.cycle.final_evaluation_id,
    "objection_id": lambda b: b.cycle.objection_id,
    "realisation_id": lambda b: b.cycle.realisation_id,
    "endpoint_id": lambda b: b.webhook[0],
    "delivery_id": lambda b: b.webhook[1],
}
B_MARKERS = ("Beta ", "kota-b", "Kota-B")
BODIES = {"PATCH": {"name": "Diubah A"}, "POST": {}, "PUT": {"value": 1}}


def add_webhook_objects(org) -> tuple[int, int]:
    """An endpoint of ``org``'s tenant and one delivery to it: (endpoint id, delivery id)."""
    from app.tenancy import tenant_scope
    from app.webhooks.models import WebhookDelivery, WebhookEndpoint

    with tenant_scope(org.tenant):
        endpoint = WebhookEndpoint(url="https://beta.example/hook", events=["plan.agreed"], secret="whsec_beta")
        db.session.add(endpoint)
        db.session.flush()
        delivery = WebhookDelivery(endpoint_id=endpoint.id, event_id="beta-event", event="plan.agreed",
                                   payload={"id": "beta-event", "event": "plan.agreed", "data": {}})
        db.session.add(delivery)
        db.session.commit()
        return endpoint.id, delivery.id


def _b_state():
    with all_tenants("test: B's data must not change"):
        return tuple(db.session.execute(select(Employee.id, Employee.version, Employee.active, Employee.name)
                                        .order_by(Employee.id)).all())


def test_every_api_route_hides_the_other_tenants_objects(app, two_tenants):
    a, b = two_tenants
    with app.app_context():
        b.cycle = make_cycle(b)
        b.publik = add_publik_objects(b)
        b.webhook = add_webhook_objects(b)
        make_cycle(a)
        with all_tenants("test lookup"):
            b.pegawai_nip = db.session.get(Employee, b.pegawai_id).nip
        secret = make_token(a.tenant)
        before = _b_state()
        db.session.remove()
    client = app.test_client()
    problems = []
    routes = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              and not rule.endpoint.startswith(("api-docs.", "api_docs."))]
    assert len(routes) >= 18
    for rule in routes:
        args = {}
        for name in rule.arguments:
            assert name in PARAM_OBJECTS, f"{rule.rule}: add '{name}' to PARAM_OBJECTS"
            args[name] = PARAM_OBJECTS[name](b)
        url = rule.build(args, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            headers = bearer(secret, **({"If-Match": "*"} if method in ("PATCH", "PUT") else {}))
            response = client.open(url, method=method, headers=headers, json=BODIES.get(method))
            body = response.get_data(as_text=True)
            if any(marker in body for marker in B_MARKERS):
                problems.append(f"{method} {url}: shows tenant B's data")
            if args and response.status_code != 404:
                problems.append(f"{method} {url}: {response.status_code}, expected 404 for B's object")
            if not args and response.status_code >= 400 and method == "GET":
                problems.append(f"{method} {url}: {response.status_code}")
    assert not problems, "\n".join(problems)
    with app.app_context():
        assert _b_state() == before, "a request with A's token changed B's data"


def test_lists_and_figures_count_only_the_tokens_tenant(app, two_tenants):
    a, b = two_tenants
    with app.app_context():
        make_cycle(a)
        make_cycle(b)
        secret_a = make_token(a.tenant)
        secret_b = make_token(b.tenant, name="b")
    client = app.test_client()
    for secret, own in ((secret_a, a), (secret_b, b)):
        employees = client.get("/api/v1/employees?limit=200", headers=bearer(secret)).get_json()["items"]
        assert {e["id"] for e in employees} == {own.kadis_id, own.atasan_id, own.penilai_id, own.pegawai_id,
                                                own.peer_id}
        plans = client.get("/api/v1/plans", headers=bearer(secret)).get_json()["items"]
        assert [p["employee_id"] for p in plans] == [own.pegawai_id]
