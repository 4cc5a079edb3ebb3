"""One isolation test over every route, for every role.

Tenant A's people request every URL of the application with the ids of
tenant B's objects: the answer is 404 (or 403 where the role may not use the
route at all), never B's data. Anonymous visitors reach only sign-in and
public pages. A new route whose URL parameter is not in PARAM_OBJECTS fails
this test until someone says which object it takes.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.tenancy import all_tenants
from tests.api_support import make_token_id
from tests.conftest import login, make_cycle
from tests.consultation_support import add_consultation, offer_consultation
from tests.meetings_support import add_meeting
from tests.objection_support import add_objection_file
from tests.publik_support import add_publik_objects
from tests.reports_support import add_issued_document

ROLES = ["anonymous", "pegawai", "penilai", "atasan", "admin", "operator"]

# URL parameter name → how to find tenant B's object of that kind.
PARAM_OBJECTS = {
    "unit_id": lambda b: b.unit_id,
    "position_id": lambda b: b.position_ids["KASI"],
    "employee_id": lambda b: b.pegawai_id,
    "user_id": lambda b: b.user_ids["pegawai"],
    "batch_id": lambda b: b.batch_id,
    # The appraisal cycle (tests/conftest.py make_cycle).
    "period_id": lambda b: b.cycle.year_period_id,
    "plan_id": lambda b: b.cycle.plan_id,
    "result_id": lambda b: b.cycle.result_id,
    "indicator_id": lambda b: b.cycle.indicator_id,
    "realisation_id": lambda b: b.cycle.realisation_id,
    "evidence_id": lambda b: b.cycle.evidence_id,
    "message_id": lambda b: b.cycle.message_id,
    "session_id": lambda b: b.cycle.session_id,
    "evaluation_id": lambda b: b.cycle.evaluation_id,
    "objection_id": lambda b: b.cycle.objection_id,
    "file_id": lambda b: b.objection_file_id,  # a file on B's objection (keberatan.preview, .preview_page)
    "course_id": lambda b: b.cycle.course_id,
    "record_id": lambda b: b.cycle.record_id,
    "notification_id": lambda b: b.cycle.notification_id,
    "complaint_id": lambda b: b.publik["complaint_id"],
    "publication_id": lambda b: b.publik["publication_id"],
    "follow_up_id": lambda b: b.publik["follow_up_id"],
    "code": lambda b: b.issued_code,  # a verification code of B's issued document
    "token_id": lambda b: b.token_id,  # an API token of B (the admin's token page)
    "bundle_id": lambda b: b.bundle_id,  # a document bundle of B
    "job_id": lambda b: b.rule_job_id,  # a "terapkan ulang aturan" job of B
    "endpoint_id": lambda b: b.webhook_ids[0],  # a webhook endpoint of B
    "delivery_id": lambda b: b.webhook_ids[1],  # a delivery to it
    "token": lambda b: b.invitation_token,  # a live invitation link of B (app/auth/invitations.py)
    "consultation_id": lambda b: b.consultation_id,  # a criteria consultation of B
    "meeting_id": lambda b: b.meeting_ids[0],  # an evaluation meeting of B
    "action_id": lambda b: b.meeting_ids[1],  # its follow-up action
}
# URL parameters that name no tenant object (the same for every tenant).
NON_OBJECT_PARAMS = {"kind": "pegawai", "page": 1,  # a page of a PDF preview (bukti.preview_page)
                     # The operators' pages of one region: every region is theirs (tenant B's on purpose).
                     "slug": "kota-b"}
# Reachable without signing in.
PUBLIC_ENDPOINTS = {"static", "site.landing", "site.health", "auth.login", "platform_auth.login",
                    "publik.transparency_page", "publik.download", "publik.survey_units", "publik.survey",
                    "publik.survey_thanks", "publik.complaint_new", "publik.complaint_sent", "publik.track",
                    "consultation_public.published",
                    "auth.invitation_accept",
                    "reports.verify"}
# They end the session the loop relies on; covered in test_auth.py.
SKIPPED_ENDPOINTS = {"auth.logout", "platform_auth.logout"}
# B's organisation data carries "Beta "; B's name may appear only where every
# region is listed on purpose (the public landing page, the operators' pages).
B_DATA_MARKERS = ("Beta ",)
B_NAME_MARKERS = ("Kota-B", "kota-b")


def _add_import_batch(tenant_slug: str) -> int:
    from app.imports.models import ImportBatch, ImportKind
    from app.tenancy import tenant_scope
    from app.tenancy.models import Tenant

    with all_tenants("test lookup"):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == tenant_slug))
    with tenant_scope(tenant):
        batch = ImportBatch(kind=ImportKind.EMPLOYEES, filename="Beta pegawai.csv")
        db.session.add(batch)
        db.session.commit()
        return batch.id


def _add_bundle(org) -> int:
    from app.reports.models import DocumentBundle
    from app.tenancy import tenant_scope

    with tenant_scope(org.tenant):
        bundle = DocumentBundle(kind="skp", total=0)
        db.session.add(bundle)
        db.session.commit()
        return bundle.id


def _add_rule_job(org) -> int:
    from app.skp.evaluation.models import RuleJob
    from app.tenancy import tenant_scope

    with tenant_scope(org.tenant):
        job = RuleJob(kind="reapply", total=0, processed=0, changed=0)
        db.session.add(job)
        db.session.commit()
        return job.id


def _add_invitation(org) -> str:
    """A live invitation link of ``org``'s pegawai; returns its token."""
    import hashlib
    from datetime import timedelta

    from app.auth.invitation_models import Invitation
    from app.tenancy import tenant_scope, utc_now

    token = "undangan-b-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
    with tenant_scope(org.tenant):
        db.session.add(Invitation(user_id=org.user_ids["pegawai"], token_hash=hashlib.sha256(token.encode()).hexdigest(),
                                  purpose="reset", expires_at=utc_now() + timedelta(days=7)))
        db.session.commit()
    return token


def _add_webhook(org) -> tuple[int, int]:
    from app.tenancy import tenant_scope
    from app.webhooks.models import WebhookDelivery, WebhookEndpoint

    with tenant_scope(org.tenant):
        endpoint = WebhookEndpoint(url="https://beta.example/hook", description="Beta hook", secret="s",
                                   events=["plan.agreed"])
        delivery = WebhookDelivery(endpoint=endpoint, event_id="0" * 36, event="plan.agreed", payload={})
        db.session.add_all([endpoint, delivery])
        db.session.commit()
        return endpoint.id, delivery.id


def _add_objection_file(org) -> int:
    """A PNG on ``org``'s objection (make_cycle), stored like an upload."""
    return add_objection_file(org.tenant.slug, org.cycle.objection_id, org.user_ids["pegawai"], "Beta foto.png",
                              "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS or rule.endpoint == "static":
            continue
        if rule.rule.startswith("/api/"):
            continue  # token-authenticated, not session: tests/test_api_isolation.py
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method


def _build(rule, slug, b):
    args = {}
    for name in rule.arguments:
        if name == "tenant_slug":
            args[name] = slug
        elif name in NON_OBJECT_PARAMS:
            args[name] = NON_OBJECT_PARAMS[name]
        else:
            assert name in PARAM_OBJECTS, f"{rule.rule}: add '{name}' to PARAM_OBJECTS"
            args[name] = PARAM_OBJECTS[name](b)
    return rule.build(args, append_unknown=False)[1]


def _b_snapshot():
    with all_tenants("test: B's data must not change"):
        return (
            db.session.scalar(select(func.count()).select_from(Employee).where(Employee.active)),
            db.session.scalar(select(func.count()).select_from(Unit).where(Unit.active)),
            db.session.scalar(select(func.count()).select_from(Position).where(Position.active)),
            db.session.scalar(select(func.count()).select_from(User).where(User.active)),
            tuple(db.session.scalars(select(Employee.version).order_by(Employee.id))),
        )


@pytest.mark.parametrize("role", ROLES)
def test_every_route_hides_other_tenants_data(app, two_tenants, role, monkeypatch, tmp_path):
    a, b = two_tenants
    with app.app_context():
        b.batch_id = _add_import_batch("kota-b")
        b.cycle = make_cycle(b)
        monkeypatch.setitem(app.config, "UPLOAD_ROOT", str(tmp_path / "uploads"))  # B's objection file
        b.objection_file_id = _add_objection_file(b)
        b.publik = add_publik_objects(b)
        b.issued_code = add_issued_document(b)
        b.token_id = make_token_id(b)
        b.bundle_id = _add_bundle(b)
        b.rule_job_id = _add_rule_job(b)
        b.webhook_ids = _add_webhook(b)
        b.invitation_token = _add_invitation(b)
        b.consultation_id = add_consultation(b, b.cycle.year_period_id, "Beta konsultasi")
        offer_consultation(a.tenant.id)  # A's consultation screens exist (the setting is off by default)
        b.meeting_ids = add_meeting(b, b.cycle.year_period_id)
        before = _b_snapshot()
        db.session.remove()
    # Reach the views themselves: CSRF has its own test (test_auth.py).
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)

    client = app.test_client()
    if role == "operator":
        assert login(client, None, "operator").status_code == 302
    elif role != "anonymous":
        assert login(client, "kota-a", role).status_code == 302

    problems = []
    for rule, method in _routes(app):
        url = _build(rule, "kota-a", b)
        response = client.open(url, method=method, data={})
        body = response.get_data().decode("utf-8", "replace")  # downloads (XLSX, PDF) are bytes
        status = response.status_code
        has_object = any(arg != "tenant_slug" and arg not in NON_OBJECT_PARAMS for arg in rule.arguments)
        markers = B_DATA_MARKERS + (B_NAME_MARKERS if "tenant_slug" in rule.arguments else ())
        if any(marker in body for marker in markers):
            problems.append(f"{method} {url} as {role}: shows tenant B's data")
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        is_platform = rule.rule.startswith("/platform")
        if role == "anonymous" or (role == "operator") != is_platform:
            # Not signed in here: sent to the right sign-in page, nothing else.
            login_path = "/platform/login" if is_platform else "/kota-a/login"
            redirected = status == 302 and login_path in response.location
            if not (redirected or status == 405 or (status == 403 and role != "anonymous")):
                problems.append(f"{method} {url} as {role}: {status}, expected a redirect to {login_path}")
        elif has_object and status not in (403, 404):
            problems.append(f"{method} {url} as {role}: {status}, expected 404 for tenant B's object")
        elif status >= 500:
            problems.append(f"{method} {url} as {role}: {status}")
    assert not problems, "\n".join(problems)

    with app.app_context():
        assert _b_snapshot() == before, "a request to tenant A changed tenant B's data"


def test_a_session_of_tenant_a_is_anonymous_at_tenant_b(app, two_tenants, monkeypatch, tmp_path):
    a, b = two_tenants
    with app.app_context():
        b.batch_id = _add_import_batch("kota-b")
        b.cycle = make_cycle(b)
        monkeypatch.setitem(app.config, "UPLOAD_ROOT", str(tmp_path / "uploads"))  # B's objection file
        b.objection_file_id = _add_objection_file(b)
        b.publik = add_publik_objects(b)
        b.issued_code = add_issued_document(b)
        b.token_id = make_token_id(b)
        b.bundle_id = _add_bundle(b)
        b.rule_job_id = _add_rule_job(b)
        b.webhook_ids = _add_webhook(b)
        b.invitation_token = _add_invitation(b)
        b.consultation_id = add_consultation(b, b.cycle.year_period_id, "Beta konsultasi")
        b.meeting_ids = add_meeting(b, b.cycle.year_period_id)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    client = app.test_client()
    login(client, "kota-a", "admin")
    for rule, method in _routes(app):
        if "tenant_slug" not in rule.arguments or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = _build(rule, "kota-b", b)
        response = client.open(url, method=method, data={})
        assert response.status_code in (302, 405), f"{method} {url}: {response.status_code}"
        if response.status_code == 302:
            assert "/kota-b/login" in response.location


def test_unknown_tenant_is_404(client, two_tenants):
    assert client.get("/kota-z/login").status_code == 404
    assert client.get("/kota-z/admin/pegawai").status_code == 404
