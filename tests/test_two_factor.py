"""Two-step sign-in (TOTP + one-time recovery codes) for admins and operators (issue #9, item 13)."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from app.auth import two_factor
from app.auth.models import RecoveryCode, User
from app.extensions import db
from app.tenancy import all_tenants, utc_now
from app.tenancy.models import Tenant
from tests.conftest import PASSWORD, csrf_token, login

SECRET_RE = re.compile(r'data-testid="totp-secret">([A-Z2-7 ]+)<')
RECOVERY_RE = re.compile(r'<li class="mono recovery-code">([A-Z0-9-]+)</li>')


def _code(secret: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (on the app's clock)."""
    return pyotp.TOTP(secret).generate_otp(two_factor.current_step(utc_now()) + steps_ahead)


def _enrol(client, base: str) -> tuple[str, list[str]]:
    page = client.get(f"{base}/akun/dua-langkah")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, inline
    secret = SECRET_RE.search(html).group(1).replace(" ", "")
    done = client.post(f"{base}/akun/dua-langkah", data={
        "csrf_token": csrf_token(client, f"{base}/akun/dua-langkah"), "code": _code(secret)})
    assert done.status_code == 200
    codes = RECOVERY_RE.findall(done.get_data(as_text=True))
    assert len(codes) == two_factor.RECOVERY_CODES
    return secret, codes


def _second_step(client, base: str, code: str):
    url = f"{base}/login/kode"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "code": code})


def _user(app, username: str, tenant_slug: str | None = "kota-a") -> User:
    with app.app_context(), all_tenants("test lookup"):
        query = select(User).where(User.username == username)
        if tenant_slug is None:
            query = query.where(User.tenant_id.is_(None))
        else:  # the same username exists in every tenant: name the tenant (PostgreSQL returns rows in any order)
            query = query.join(Tenant, User.tenant_id == Tenant.id).where(Tenant.slug == tenant_slug)
        user = db.session.scalars(query).one()
        db.session.expunge_all()
        return user


def test_an_admin_enrols_and_then_signs_in_with_a_code(app, two_tenants):
    client = app.test_client()
    login(client, "kota-a", "admin")
    secret, codes = _enrol(client, "/kota-a")
    admin = _user(app, "admin")
    assert admin.two_factor_enabled and admin.totp_secret == secret
    with app.app_context(), all_tenants("test"):
        stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == admin.id)).all()
    assert len(stored) == len(codes) and not set(codes) & set(stored)  # stored hashed only
    assert all(h.startswith("$argon2id$") for h in stored)

    fresh = app.test_client()
    first = login(fresh, "kota-a", "admin")
    assert first.status_code == 302 and first.location.endswith("/kota-a/login/kode")
    assert fresh.get("/kota-a/").status_code == 302  # the password alone signs nobody in
    wrong = _second_step(fresh, "/kota-a", "000000" if _code(secret) != "000000" else "111111")
    assert wrong.status_code == 200 and "Kode tidak valid" in wrong.get_data(as_text=True)
    code = _code(secret, 1)
    assert _second_step(fresh, "/kota-a", code).status_code == 302
    assert fresh.get("/kota-a/").status_code == 200
    # The same code cannot be used again (a code seen over a shoulder is spent).
    again = app.test_client()
    login(again, "kota-a", "admin")
    assert _second_step(again, "/kota-a", code).status_code == 200
    assert again.get("/kota-a/").status_code == 302


def test_a_recovery_code_works_once(app, two_tenants):
    client = app.test_client()
    login(client, "kota-a", "admin")
    _secret, codes = _enrol(client, "/kota-a")
    first = app.test_client()
    login(first, "kota-a", "admin")
    assert _second_step(first, "/kota-a", codes[0].lower()).status_code == 302
    second = app.test_client()
    login(second, "kota-a", "admin")
    assert _second_step(second, "/kota-a", codes[0]).status_code == 200
    assert second.get("/kota-a/").status_code == 302


def test_the_second_step_expires_and_cannot_be_entered_without_a_password(app, two_tenants):
    client = app.test_client()
    assert client.get("/kota-a/login/kode").status_code == 302  # nothing pending: back to sign-in


def test_wrong_codes_are_throttled_like_wrong_passwords(app, two_tenants):
    client = app.test_client()
    login(client, "kota-a", "admin")
    secret, _codes = _enrol(client, "/kota-a")
    guesser = app.test_client()
    login(guesser, "kota-a", "admin")
    bad = "000000" if _code(secret) != "000000" else "111111"
    statuses = [_second_step(guesser, "/kota-a", bad).status_code
                for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1)]
    assert statuses[-1] == 429


def test_only_admins_and_operators_enrol(app, two_tenants):
    client = app.test_client()
    login(client, "kota-a", "pegawai")
    assert client.get("/kota-a/akun/dua-langkah").status_code == 403


def test_a_tenant_makes_two_step_sign_in_mandatory_for_its_admins(app, two_tenants):
    from app.auth.accounts import UserData, save_user
    from app.tenancy import tenant_scope
    from app.tenancy.models import Tenant

    with app.app_context():
        with all_tenants("test"):
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(tenant):
            save_user(UserData("admin2", None, True, PASSWORD))
            db.session.commit()
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    url = "/kota-a/admin/keamanan-masuk"
    # Refused until the admin uses two-step sign-in themselves (no surprise lock-out).
    refused = admin.post(url, data={"csrf_token": csrf_token(admin, url), "required": "y"})
    assert refused.status_code == 422
    assert "terlebih dahulu" in refused.get_data(as_text=True)
    _enrol(admin, "/kota-a")
    assert admin.post(url, data={"csrf_token": csrf_token(admin, url), "required": "y"}).status_code == 302
    assert _user(app, "admin").two_factor_enabled

    other = app.test_client()
    assert login(other, "kota-a", "admin2").status_code == 302
    for page in ("/kota-a/", "/kota-a/admin/"):
        response = other.get(page)
        assert response.status_code == 302 and response.location.endswith("/kota-a/akun/dua-langkah")
    _enrol(other, "/kota-a")
    assert other.get("/kota-a/admin/").status_code == 200
    # An employee is not asked.
    staff = app.test_client()
    login(staff, "kota-a", "pegawai")
    assert staff.get("/kota-a/").status_code == 200
    # The rule is the tenant's own: kota-b's admin is not asked.
    b_admin = app.test_client()
    login(b_admin, "kota-b", "admin")
    assert b_admin.get("/kota-b/admin/").status_code == 200


@pytest.fixture
def operators_need_two_factor(app, monkeypatch):
    monkeypatch.setitem(app.config, "PLATFORM_TWO_FACTOR_REQUIRED", True)


def test_platform_operators_enrol_and_sign_in_with_a_code(app, two_tenants, operators_need_two_factor):
    client = app.test_client()
    assert login(client, None, "operator").status_code == 302
    response = client.get("/platform/")
    assert response.status_code == 302 and response.location.endswith("/platform/akun/dua-langkah")
    secret, _codes = _enrol(client, "/platform")
    assert client.get("/platform/").status_code == 200
    fresh = app.test_client()
    first = login(fresh, None, "operator")
    assert first.location.endswith("/platform/login/kode")
    assert _second_step(fresh, "/platform", _code(secret, 1)).status_code == 302
    assert fresh.get("/platform/").status_code == 200
