"""The admin's main path in a real browser: sign in, add an employee, find it,
see a form error in Indonesian, switch to English, sign out."""

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_admin_adds_an_employee_in_the_browser(two_tenants, live_server, page, tmp_path):
    a, _ = two_tenants
    page.goto(f"{live_server}/kota-a/admin/pegawai")
    assert "/kota-a/login" in page.url  # sent to sign in first
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/kota-a/admin/pegawai")

    page.click("text=Tambah pegawai")
    page.fill("input[name=nip]", "19910315 201503 1 002")
    page.fill("input[name=name]", "Rizky Pratama")
    page.select_option("select[name=sex]", "P")  # does not match the NIP's sex digit
    page.select_option("select[name=position_id]", str(a.position_ids["STAF"]))
    page.click("button.primary")
    assert page.locator(".error").first.inner_text().startswith("Jenis kelamin tidak sesuai")
    assert page.input_value("input[name=name]") == "Rizky Pratama"  # nothing lost

    page.select_option("select[name=sex]", "L")
    page.click("button.primary")
    page.wait_for_url("**/kota-a/admin/pegawai")
    assert "Data pegawai disimpan." in page.inner_text("main")

    page.fill("input[name=q]", "rizky")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**q=rizky**")
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "19910315 201503 1 002" in rows.first.inner_text()
    page.screenshot(path=str(tmp_path / "admin-employees.png"), full_page=True)

    page.click("text=English")
    assert page.locator("h1").inner_text() == "Employees"
    assert page.input_value("input[name=q]") == "rizky"  # the switch keeps the search

    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/kota-a/login")
    page.goto(f"{live_server}/kota-a/admin/pegawai")
    assert "/kota-a/login" in page.url
