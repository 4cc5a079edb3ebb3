"""A pegawai of a matrix region reads "Aturan penilaian" on a phone: the page
fits the screen, its wide tables scroll on their own, and axe-core finds no
serious or critical violation (the audited browser checks desktop and phone)."""

import pytest

from app.extensions import db
from tests.conftest import PASSWORD, make_org, make_tenant

pytestmark = pytest.mark.browser


def test_a_pegawai_reads_the_rules_on_a_phone(app, live_server, browser):
    with app.app_context():
        make_org(make_tenant("walesi", rule_set="walesi"))
        db.session.remove()
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server}/walesi/aturan")
        assert "/walesi/login" in page.url  # sign in first
        page.fill("input[name=username]", "pegawai")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/walesi/aturan")
        assert page.inner_text("h1") == "Aturan penilaian"
        assert page.locator("#predikat table").count() == 1  # the predikat matrix
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.click("text=Riwayat perubahan")
        assert page.url.endswith("#riwayat")
    finally:
        context.close()
    assert any("/walesi/aturan" in url for url in page.audited)  # axe-core saw the page
