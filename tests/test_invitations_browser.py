"""Invitations in a real browser: the admin instansi creates and invites the
accounts of a unit's employees, or resets an account's password by invitation;
mail is off, so the page shows the one-time link for the admin to hand over.
The invitee opens it in their own browser, is refused a weak or mismatched
password (in Indonesian, on its field), sets a good one, signs in with it and
has the account's role; the used link is gone, and so is a replaced password."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.org.models import Employee
from app.tenancy import tenant_scope
from tests.browser import fresh_page, sign_in

pytestmark = pytest.mark.browser

SLUG = "kota-a"
NEW_PASSWORD = "Lembayung-Senja-Kenari-81"  # noqa: S105
SAVED = "Kata sandi disimpan. Silakan masuk dengan nama pengguna dan kata sandi baru Anda."


@pytest.fixture
def mail_off(app, monkeypatch):
    """No mail server: the admin's page shows each link instead of mailing it."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)


@pytest.fixture
def invitee(browser):
    """The invitee's own browser: no session of the admin's."""
    yield from fresh_page(browser)


def _field_errors(page, name: str) -> str:
    return " ".join(page.locator(f".field:has(input[name={name}]) .error").all_inner_texts())


def _set_password(page, password: str, confirm: str | None = None) -> None:
    page.fill("input[name=password]", password)
    page.fill("input[name=confirm]", password if confirm is None else confirm)
    page.click("button:has-text('Simpan kata sandi')")
    page.wait_for_load_state("load")


def test_the_admin_invites_a_units_employees_and_the_invitee_signs_in(
        app, two_tenants, mail_off, live_server, page, invitee):
    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        kadis = db.session.get(Employee, a.kadis_id)  # no account yet; peer has none either, nor an e-mail
        kadis.email = "kadis@kota-a.go.id"
        kadis_nip = kadis.nip
        db.session.commit()
        db.session.remove()
    base = live_server

    # The admin finds the unit invitation under Akun and sends it for Dinas Kesehatan.
    sign_in(page, base, SLUG, "admin")
    page.click("nav >> text=Admin")  # the admin menu opens
    page.click("nav >> text=Data instansi")
    page.click(".subnav >> text=Akun")
    page.click("text=Buat akun untuk satu unit")
    page.wait_for_url(f"**/{SLUG}/admin/akun/undang-unit")
    page.select_option("select[name=unit_id]", label="Dinas Kesehatan (DINKES)")
    page.click("button:has-text('Buat akun dan kirim undangan')")
    page.wait_for_selector("[data-testid=invite-counts]")
    assert page.inner_text("[data-testid=invite-counts]") == (
        "1 akun dibuat dan diundang; 3 pegawai sudah punya akun; 1 tidak dapat diundang.")
    assert "Belum ada alamat e-mail pegawai." in page.inner_text("[data-testid=not-invited]")  # the peer
    assert "Pengiriman e-mail belum diatur" in page.inner_text("main")
    row = page.locator("tr:has(code.invitation-link)")
    assert row.count() == 1
    assert kadis_nip in row.inner_text() and "Kadis Kota-A" in row.inner_text()
    link = row.locator("code.invitation-link").inner_text().strip()
    assert link.startswith(f"{base}/{SLUG}/undangan/")

    # The invitee opens the link: the account's username (the NIP) and a form for the password.
    invitee.goto(link)
    assert invitee.inner_text("h1") == "Tetapkan kata sandi"
    assert invitee.inner_text("[data-testid=invited-username]") == kadis_nip

    # A weak password is refused on its field, in Indonesian; nothing is echoed back and the link still works.
    _set_password(invitee, "rahasia")
    assert invitee.url == link
    assert "Kata sandi minimal 10 karakter." in _field_errors(invitee, "password")
    assert "Kata sandi harus memuat huruf dan angka atau simbol." in _field_errors(invitee, "password")
    assert invitee.get_attribute("input[name=password]", "aria-invalid") == "true"
    assert invitee.input_value("input[name=password]") == ""  # a password is never sent back in the page
    assert invitee.input_value("input[name=confirm]") == ""
    assert invitee.inner_text("[data-testid=invited-username]") == kadis_nip

    # A good one is saved: the invitee is sent to sign in, and is told so.
    _set_password(invitee, NEW_PASSWORD)
    assert invitee.url == f"{base}/{SLUG}/login"
    assert SAVED in invitee.inner_text("main")

    # Signed in with the NIP and the new password: a pegawai with the employee's SKP, no admin.
    sign_in(invitee, base, SLUG, kadis_nip, NEW_PASSWORD)
    assert invitee.url == f"{base}/{SLUG}/"
    header = invitee.locator("header nav")
    assert f"Keluar ({kadis_nip})" in header.inner_text()
    assert header.locator("a:has-text('SKP saya')").count() == 1
    assert header.locator("summary:has-text('Admin')").count() == 0
    assert invitee.goto(f"{base}/{SLUG}/admin/").status == 403

    # The link worked once.
    assert invitee.goto(link).status == 404

    # The admin's list shows the new account as a pegawai's.
    page.goto(f"{base}/{SLUG}/admin/akun?q={kadis_nip}")
    account = page.locator(f"tbody tr:has(a:text-is('{kadis_nip}'))")
    assert "Kadis Kota-A" in account.inner_text() and "Pegawai" in account.inner_text()


def test_a_password_reset_by_invitation_replaces_the_old_password(
        app, two_tenants, mail_off, live_server, page, invitee):
    a, _ = two_tenants
    base = live_server
    page.on("dialog", lambda dialog: dialog.accept())  # "Kirim tautan sekali pakai …?"

    # The admin opens the pegawai's account and resets its password by invitation.
    sign_in(page, base, SLUG, "admin")
    page.goto(f"{base}/{SLUG}/admin/akun")
    page.click("tbody a:text-is('pegawai')")
    page.wait_for_url(f"**/{SLUG}/admin/akun/{a.user_ids['pegawai']}")
    page.click("button:has-text('Reset kata sandi lewat undangan')")
    page.wait_for_selector("code.invitation-link")
    link = page.inner_text("code.invitation-link").strip()
    assert page.locator("a:has-text('Kembali ke akun')").count() == 1

    # Mismatched passwords: refused on the second field, in Indonesian.
    invitee.goto(link)
    assert invitee.inner_text("[data-testid=invited-username]") == "pegawai"
    _set_password(invitee, NEW_PASSWORD, "Lembayung-Senja-Kenari-18")
    assert invitee.url == link
    assert _field_errors(invitee, "confirm") == "Kedua kata sandi baru tidak sama."
    assert _field_errors(invitee, "password") == ""

    _set_password(invitee, NEW_PASSWORD)
    assert invitee.url == f"{base}/{SLUG}/login"
    assert SAVED in invitee.inner_text("main")

    # The old password no longer opens the account; the new one does, as the pegawai it was.
    with pytest.raises(AssertionError, match="Nama pengguna atau kata sandi salah."):
        sign_in(invitee, base, SLUG, "pegawai")
    sign_in(invitee, base, SLUG, "pegawai", NEW_PASSWORD)
    header = invitee.locator("header nav")
    assert "Keluar (pegawai)" in header.inner_text()
    assert header.locator("a:has-text('SKP saya')").count() == 1
    assert header.locator("summary:has-text('Admin')").count() == 0
