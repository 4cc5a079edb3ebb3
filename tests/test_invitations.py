"""Invitations to set a password: single use, expiry, a newer link replacing an
older one, another tenant's link, throttled guessing; accounts for a unit's
employees; the operator's first-admin invitation (issue #12 items 2 and 5)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth import invitations
from app.auth.invitation_models import Invitation
from app.auth.models import User
from app.errors import NotFound
from app.extensions import db
from app.org import services as org
from app.org.models import Employee
from app.tenancy import all_tenants, frozen_clock, tenant_scope, utc_now
from tests.conftest import csrf_token, login
from tests.test_notifications import smtp_sink  # noqa: F401 - the fixture

NEW_PASSWORD = "Lembayung-Senja-Kenari-81"  # noqa: S105
LINK_RE = re.compile(r"https?://[^\s<\"]+/undangan/[A-Za-z0-9_\-]+")


def _reset_link(client, user_id: int, slug: str = "kota-a") -> str:
    """As the signed-in admin, press "Reset kata sandi lewat undangan"; the link the page shows (mail off)."""
    token = csrf_token(client, f"/{slug}/admin/akun/{user_id}")
    response = client.post(f"/{slug}/admin/akun/{user_id}/undang", data={"csrf_token": token})
    assert response.status_code == 200
    links = LINK_RE.findall(response.get_data(as_text=True))
    assert len(links) == 1
    return links[0]


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _accept(client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    path = _path(link)
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, "password": password,
                                   "confirm": password if confirm is None else confirm})


def _audit_actions(slug: str) -> list[str]:
    from app.tenancy.models import Tenant

    with all_tenants("test: reading the trail"):
        return list(db.session.scalars(select(AuditEntry.action).join(Tenant, AuditEntry.tenant_id == Tenant.id)
                                       .where(Tenant.slug == slug).order_by(AuditEntry.id)))


def test_a_link_sets_the_password_once(app, two_tenants):
    a, _ = two_tenants
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    link = _reset_link(admin, a.user_ids["pegawai"])
    assert link.startswith("http://localhost/kota-a/undangan/")

    visitor = app.test_client()
    page = visitor.get(_path(link))
    assert page.status_code == 200 and "pegawai" in page.get_data(as_text=True)
    # The same rules as any new password: a weak one re-renders with the message, the link still works.
    weak = _accept(visitor, link, "password123")
    assert weak.status_code == 422
    mismatch = _accept(visitor, link, NEW_PASSWORD, "something-else-entirely")
    assert mismatch.status_code == 422
    done = _accept(visitor, link)
    assert done.status_code == 302 and done.location.endswith("/kota-a/login")
    # The sign-in form shows the username once; the address does not carry it.
    username_field = re.compile(r'<input[^>]*name="username"[^>]*>')
    assert 'value="pegawai"' in username_field.search(visitor.get(done.location).get_data(as_text=True)).group(0)
    assert 'value="pegawai"' not in username_field.search(visitor.get(done.location).get_data(as_text=True)).group(0)

    assert visitor.get(_path(link)).status_code == 404  # used: gone
    assert login(app.test_client(), "kota-a", "pegawai", NEW_PASSWORD).status_code == 302
    with app.app_context():
        actions = _audit_actions("kota-a")
        assert "user.invite" in actions and "user.invitation_accept" in actions
        # Only the token's hash is stored.
        with all_tenants("test"):
            stored = db.session.scalar(select(Invitation.token_hash))
        assert stored not in link and len(stored) == 64


def test_two_requests_racing_with_one_link_set_one_password(app, two_tenants):
    a, _ = two_tenants
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    token = _path(_reset_link(admin, a.user_ids["pegawai"])).rsplit("/", 1)[1]
    with app.test_request_context(), tenant_scope(a.tenant):
        # Both requests found the link usable; the first one to accept uses it up.
        first, second = invitations.find(token), invitations.find(token)
        assert first is not None and second is not None
        invitations.accept(first, NEW_PASSWORD)
        with pytest.raises(NotFound):
            invitations.accept(second, "Lain-Sandi-Yang-Panjang-2026")
        db.session.commit()
    assert login(app.test_client(), "kota-a", "pegawai", NEW_PASSWORD).status_code == 302


def test_a_link_expires(app, two_tenants):
    a, _ = two_tenants
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    link = _reset_link(admin, a.user_ids["pegawai"])
    with frozen_clock(utc_now() + timedelta(days=6, hours=23)):
        assert app.test_client().get(_path(link)).status_code == 200
    with frozen_clock(utc_now() + timedelta(days=7, minutes=1)):
        visitor = app.test_client()
        assert visitor.get(_path(link)).status_code == 404


def test_a_newer_invitation_replaces_the_older(app, two_tenants):
    a, _ = two_tenants
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    first = _reset_link(admin, a.user_ids["pegawai"])
    second = _reset_link(admin, a.user_ids["pegawai"])
    visitor = app.test_client()
    assert visitor.get(_path(first)).status_code == 404
    assert _accept(visitor, second).status_code == 302


def test_another_tenants_link_is_not_found(app, two_tenants):
    _, b = two_tenants
    admin_b = app.test_client()
    login(admin_b, "kota-b", "admin")
    link = _reset_link(admin_b, b.user_ids["pegawai"], "kota-b")
    token = link.rsplit("/", 1)[1]
    visitor = app.test_client()
    at_a = visitor.get(f"/kota-a/undangan/{token}")
    assert at_a.status_code == 404
    assert "Beta" not in at_a.get_data(as_text=True)
    csrf = csrf_token(visitor, "/kota-a/login")
    assert visitor.post(f"/kota-a/undangan/{token}", data={"csrf_token": csrf, "password": NEW_PASSWORD,
                                                             "confirm": NEW_PASSWORD}).status_code == 404
    assert visitor.get(f"/kota-b/undangan/{token}").status_code == 200
    # Nor can tenant A's admin invite B's account.
    admin_a = app.test_client()
    login(admin_a, "kota-a", "admin")
    token_a = csrf_token(admin_a, "/kota-a/admin/akun")
    assert admin_a.post(f"/kota-a/admin/akun/{b.user_ids['pegawai']}/undang",
                        data={"csrf_token": token_a}).status_code == 404


def test_guessing_links_is_throttled(app, two_tenants):
    a, _ = two_tenants
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    link = _reset_link(admin, a.user_ids["pegawai"])
    guesser = app.test_client()
    for n in range(app.config["LOGIN_MAX_FAILURES"]):
        assert guesser.get(f"/kota-a/undangan/tebakan{n}").status_code == 404
    throttled = guesser.get(_path(link))
    assert throttled.status_code == 429 and throttled.headers["Retry-After"]
    # Another region is not affected.
    assert guesser.get("/kota-b/undangan/tebakan").status_code == 404


def test_only_the_admin_invites(app, two_tenants):
    a, _ = two_tenants
    client = app.test_client()
    login(client, "kota-a", "penilai")
    token = csrf_token(client, "/kota-a/akun/kata-sandi")
    assert client.post(f"/kota-a/admin/akun/{a.user_ids['pegawai']}/undang",
                       data={"csrf_token": token}).status_code == 403
    assert client.get("/kota-a/admin/akun/undang-unit").status_code == 403


# --- accounts for a unit ------------------------------------------------------------------

def _unit_with_sub_unit(app, a) -> int:
    """kadis (e-mail) and peer (none) have no account; a sub-unit adds one more with e-mail."""
    with app.app_context(), tenant_scope(a.tenant):
        db.session.get(Employee, a.kadis_id).email = "kadis@kota-a.go.id"
        sub = org.save_unit(org.UnitData("PUSK", "Puskesmas Kota", "puskesmas", a.unit_id))
        db.session.flush()
        position = org.save_position(org.PositionData("PERAWAT", "Perawat", "fungsional", sub.id, None))
        db.session.flush()
        nurse = org.save_employee(org.EmployeeData("198502142010012003", "Perawat Kota", "P", "PNS", position.id))
        nurse.email = "perawat@kota-a.go.id"
        db.session.commit()
        nurse_id = nurse.id
        db.session.remove()
    return nurse_id


def _invite_unit(client, unit_id: int, sub_units: bool):
    token = csrf_token(client, "/kota-a/admin/akun/undang-unit")
    data = {"csrf_token": token, "unit_id": str(unit_id)}
    if sub_units:
        data["include_sub_units"] = "y"
    return client.post("/kota-a/admin/akun/undang-unit", data=data)


def test_accounts_for_a_unit_are_created_and_invited(app, two_tenants, smtp_sink, monkeypatch):  # noqa: F811
    a, _ = two_tenants
    nurse_id = _unit_with_sub_unit(app, a)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_sink.server_address[1])
    monkeypatch.setitem(app.config, "MAIL_SYNC", True)
    admin = app.test_client()
    login(admin, "kota-a", "admin")

    response = _invite_unit(admin, a.unit_id, sub_units=False)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # kadis invited; atasan, penilai, pegawai have accounts; peer has no e-mail.
    assert "1 akun dibuat dan diundang; 3 pegawai sudah punya akun; 1 tidak dapat diundang." in html
    assert "Peer Kota-A" in html and "Belum ada alamat e-mail pegawai." in html
    assert not LINK_RE.search(html)  # mailed, not shown
    assert [m["rcpt"] for m in smtp_sink.messages] == [["kadis@kota-a.go.id"]]

    response = _invite_unit(admin, a.unit_id, sub_units=True)
    assert "1 akun dibuat dan diundang; 4 pegawai sudah punya akun; 1 tidak dapat diundang." in \
        response.get_data(as_text=True)
    assert smtp_sink.messages[-1]["rcpt"] == ["perawat@kota-a.go.id"]
    with app.app_context(), tenant_scope(a.tenant):
        nurse = db.session.get(Employee, nurse_id)
        account = db.session.scalar(select(User).where(User.employee_id == nurse_id))
        assert account.username == nurse.nip and account.password_hash is None and not account.is_admin

    # The mailed link sets the password; the NIP signs in.
    mail = smtp_sink.messages[-1]["data"].replace("=\r\n", "").replace("=3D", "=")
    link = LINK_RE.search(mail).group(0)
    assert _accept(app.test_client(), link).status_code == 302
    assert login(app.test_client(), "kota-a", "198502142010012003", NEW_PASSWORD).status_code == 302


def test_inviting_a_unit_without_mail_shows_the_links(app, two_tenants):
    a, _ = two_tenants
    _unit_with_sub_unit(app, a)
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    html = _invite_unit(admin, a.unit_id, sub_units=True).get_data(as_text=True)
    assert len(LINK_RE.findall(html)) == 2
    assert _invite_unit(admin, a.unit_id, sub_units=True).status_code == 200  # again: nobody left to invite
    with app.app_context(), tenant_scope(a.tenant):
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2


@pytest.mark.parametrize("unit_id", ["", "abc", "999999", "-1"])
def test_a_bad_unit_re_renders_the_form(app, two_tenants, unit_id):
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    token = csrf_token(admin, "/kota-a/admin/akun/undang-unit")
    response = admin.post("/kota-a/admin/akun/undang-unit", data={"csrf_token": token, "unit_id": unit_id})
    assert response.status_code == 422


def test_a_reset_needs_an_address_when_mail_is_on(app, two_tenants, smtp_sink, monkeypatch):  # noqa: F811
    a, _ = two_tenants
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_sink.server_address[1])
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    token = csrf_token(admin, f"/kota-a/admin/akun/{a.user_ids['penilai']}")
    response = admin.post(f"/kota-a/admin/akun/{a.user_ids['penilai']}/undang", data={"csrf_token": token},
                          follow_redirects=True)
    assert "belum punya alamat e-mail" in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(a.tenant):
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


# --- the operator's first-admin invitation ---------------------------------------------------

def _tenant_id(slug: str) -> int:
    from app.tenancy.models import Tenant

    with all_tenants("test"):
        return db.session.scalar(select(Tenant.id).where(Tenant.slug == slug))


def test_the_operator_invites_a_first_admin(app, two_tenants):
    with app.app_context():
        tenant_id = _tenant_id("kota-b")
    operator = app.test_client()
    assert login(operator, None, "operator").status_code == 302
    token = csrf_token(operator, f"/platform/undangan-admin?tenant={tenant_id}")
    response = operator.post("/platform/undangan-admin", data={
        "csrf_token": token, "tenant_id": str(tenant_id), "username": "admin.baru", "email": "bkpsdm@kota-b.go.id"})
    assert response.status_code == 200
    link = LINK_RE.search(response.get_data(as_text=True)).group(0)
    assert "/kota-b/undangan/" in link
    assert _accept(app.test_client(), link).status_code == 302
    assert login(app.test_client(), "kota-b", "admin.baru", NEW_PASSWORD).status_code == 302
    with app.app_context():
        assert "user.invitation_accept" in _audit_actions("kota-b")

    # An admin account already in use is not the operator's to take over: its region resets it.
    for used in ("admin.baru", "admin"):
        again = operator.post("/platform/undangan-admin", data={
            "csrf_token": token, "tenant_id": str(tenant_id), "username": used, "email": ""})
        assert again.status_code == 422 and "sudah dipakai" in again.get_data(as_text=True)

    # A new admin account when the name is free; a non-admin account is refused.
    token = csrf_token(operator, "/platform/undangan-admin")
    created = operator.post("/platform/undangan-admin", data={
        "csrf_token": token, "tenant_id": str(tenant_id), "username": "admin2", "email": ""})
    assert created.status_code == 200
    with app.app_context(), all_tenants("test"):
        assert db.session.scalar(select(User.is_admin).where(User.username == "admin2"))
    refused = operator.post("/platform/undangan-admin", data={
        "csrf_token": token, "tenant_id": str(tenant_id), "username": "pegawai", "email": ""})
    assert refused.status_code == 422


def test_only_operators_invite_first_admins(app, two_tenants):
    client = app.test_client()
    login(client, "kota-a", "admin")
    assert client.get("/platform/undangan-admin").status_code in (302, 403)
