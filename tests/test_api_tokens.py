"""API tokens: made by the admin instansi (web) or the command line, shown
once, stored hashed, audited; expired, revoked and unknown tokens refused;
the session cookie never opens the API."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.api import tokens
from app.api.models import ApiToken
from app.audit.models import AuditEntry
from app.extensions import db
from app.tenancy import all_tenants, tenant_scope, utc_now
from app.tenancy.models import Tenant
from tests.api_support import bearer, make_token
from tests.conftest import csrf_token, login

SECRET_RE = re.compile(r'value="(knj_[0-9a-f]{10}_[A-Za-z0-9_-]{43})"')


def _tokens(app, slug="kota-a"):
    with app.app_context(), all_tenants("test"):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        return db.session.scalars(select(ApiToken).where(ApiToken.tenant_id == tenant.id)).all()


def test_admin_creates_lists_and_revokes_a_token_in_the_browser(app, client, two_tenants):
    a, _b = two_tenants
    login(client, "kota-a", "admin")
    page = client.get("/kota-a/admin/token-api/")
    assert page.status_code == 200
    created = client.post("/kota-a/admin/token-api/", data={
        "name": "SIMPEG", "scopes": ["org:read", "org:write"], "expires_in_days": "30",
        "csrf_token": csrf_token(client, "/kota-a/admin/token-api/")})
    assert created.status_code == 200
    html = created.get_data(as_text=True)
    secret = SECRET_RE.search(html).group(1)
    assert "Cache-Control" in created.headers and "no-store" in created.headers["Cache-Control"]
    # Stored hashed; shown once: the list shows the prefix only.
    (token,) = _tokens(app)
    assert token.secret_hash == tokens.digest(secret) and secret not in token.secret_hash
    assert token.scopes == ["org:read", "org:write"] and token.expires_at > utc_now() + timedelta(days=29)
    listing = client.get("/kota-a/admin/token-api/").get_data(as_text=True)
    assert secret not in listing and f"knj_{token.prefix}_" in listing and "SIMPEG" in listing
    # It works, then is revoked and refused.
    assert client.get("/api/v1/units", headers=bearer(secret)).status_code == 200
    revoked = client.post(f"/kota-a/admin/token-api/{token.id}/cabut",
                          data={"csrf_token": csrf_token(client, "/kota-a/admin/token-api/")})
    assert revoked.status_code == 302
    assert client.get("/api/v1/units", headers=bearer(secret)).status_code == 401
    with app.app_context(), tenant_scope(a.tenant):
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "api_token")).all()
        assert actions == ["api_token.create", "api_token.revoke"]
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token.create"))
        assert entry.actor_label == "admin" and "secret_hash" not in (entry.after or {})
        assert secret not in str(entry.after) and token.secret_hash not in str(entry.after)


def test_only_the_admin_manages_tokens(app, client, two_tenants):
    login(client, "kota-a", "pegawai")
    assert client.get("/kota-a/admin/token-api/").status_code == 403


def test_the_form_refuses_a_token_without_scope(app, client, two_tenants):
    login(client, "kota-a", "admin")
    response = client.post("/kota-a/admin/token-api/", data={
        "name": "X", "csrf_token": csrf_token(client, "/kota-a/admin/token-api/")})
    assert response.status_code == 422
    assert _tokens(app) == []


def test_the_command_line_prints_the_secret_once(app, client, two_tenants):
    runner = app.test_cli_runner()  # Click 8.2+: stdout and stderr apart
    result = runner.invoke(args=["tokens", "create", "kota-a", "absensi", "--scope", "org:read",
                                 "--scope", "publik:read", "--expires", "7"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"knj_[0-9a-f]{10}_[A-Za-z0-9_-]{43}", secret)
    (token,) = _tokens(app)
    assert token.scopes == ["org:read", "publik:read"] and token.secret_hash == tokens.digest(secret)
    assert client.get("/api/v1/units", headers=bearer(secret)).status_code == 200
    listed = runner.invoke(args=["tokens", "list", "kota-a"])
    assert secret not in listed.output and token.prefix in listed.output
    assert runner.invoke(args=["tokens", "create", "kota-a", "x", "--scope", "nope"]).exit_code != 0
    assert runner.invoke(args=["tokens", "create", "kota-z", "x", "--scope", "org:read"]).exit_code != 0
    assert runner.invoke(args=["tokens", "revoke", "kota-a", token.prefix]).exit_code == 0
    assert client.get("/api/v1/units", headers=bearer(secret)).status_code == 401
    with app.app_context(), tenant_scope(two_tenants[0].tenant):
        labels = db.session.scalars(select(AuditEntry.actor_label).where(AuditEntry.object_type == "api_token")).all()
        assert labels == ["cli", "cli"]


def test_expired_revoked_unknown_and_malformed_tokens_are_refused(app, client, two_tenants):
    a, _b = two_tenants
    with app.app_context():
        expired = make_token(a.tenant, expired=True)
        revoked = make_token(a.tenant, revoked=True)
        good = make_token(a.tenant)
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    for header in (bearer(expired), bearer(revoked), bearer(forged), bearer("knj_0000000000_" + "x" * 43),
                   {"Authorization": "Basic YWRtaW46eA=="}, {"Authorization": "Bearer"}, {}):
        response = client.get("/api/v1/units", headers=header)
        assert response.status_code == 401, header
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/units", headers=bearer(good)).status_code == 200


def test_an_inactive_tenant_s_tokens_stop_working(app, client, two_tenants):
    a, _b = two_tenants
    with app.app_context():
        secret = make_token(a.tenant)
        with all_tenants("test"):
            db.session.get(Tenant, a.tenant.id).active = False
            db.session.commit()
    assert client.get("/api/v1/units", headers=bearer(secret)).status_code == 401


def test_a_signed_in_browser_gets_nothing_from_the_api(app, client, two_tenants):
    login(client, "kota-a", "admin")
    response = client.get("/api/v1/employees")
    assert response.status_code == 401
    # No CSRF token is needed (nor accepted as authentication) for a write.
    assert client.post("/api/v1/employees", json={}).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(app, client, two_tenants):
    a, _b = two_tenants
    with app.app_context():
        secret = make_token(a.tenant)
    client.get("/api/v1/units", headers=bearer(secret))
    (first,) = _tokens(app)
    assert first.last_used_at is not None
    client.get("/api/v1/units", headers=bearer(secret))
    (second,) = _tokens(app)
    assert second.last_used_at == first.last_used_at
    with app.app_context(), tenant_scope(a.tenant):
        db.session.get(ApiToken, first.id).last_used_at = utc_now() - timedelta(minutes=2)
        db.session.commit()
    client.get("/api/v1/units", headers=bearer(secret))
    (third,) = _tokens(app)
    assert third.last_used_at > first.last_used_at
    with app.app_context(), tenant_scope(a.tenant):  # using a token is not an audited change
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token.update")) is None
