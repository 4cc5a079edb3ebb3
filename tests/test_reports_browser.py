"""The pegawai downloads their SKP from the plan page in a real browser, and the
verification link printed in it opens the public verification page."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from tests.conftest import PASSWORD
from tests.reports_support import build_year, pdftotext

pytestmark = pytest.mark.browser


def test_the_pegawai_downloads_the_skp_from_the_plan_page(app, live_server, page, tmp_path):
    with app.app_context():
        year = build_year("kota-uji", "nasional")
        db.session.remove()
    page.goto(f"{live_server}/{year.slug}/skp/{year.plan_id}")
    assert f"/{year.slug}/login" in page.url
    page.fill("input[name=username]", "pegawai")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/{year.slug}/**")
    page.goto(f"{live_server}/{year.slug}/skp/{year.plan_id}")
    button = page.locator("#unduh-dokumen a").first
    assert "Unduh" in button.inner_text()
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == f"SKP-2026-{year.pegawai_nip}.pdf"
    path = tmp_path / "skp.pdf"
    download.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    text = " ".join(pdftotext(data, tmp_path, "unduhan").split())
    assert "SASARAN KINERJA PEGAWAI" in text and year.pegawai_name in text

    # The document's short URL opens the public verification page (no sign-in needed).
    code = re.search(r"Kode verifikasi: ([A-Z2-9]{12})", text).group(1)
    page.context.clear_cookies()
    page.goto(f"{live_server}/{year.slug}/verifikasi/{code}")
    assert "Sah" in page.inner_text("#status")
    assert year.pegawai_name not in page.inner_text("main")


def test_the_home_dashboard_charts_show_under_the_content_security_policy(app, live_server, page):
    """A chart is an SVG with its own stylesheet: printed inline, the page's CSP refused that
    stylesheet and every bar was a black box. As an image it loads, with no CSP complaint."""
    with app.app_context():
        year = build_year("kota-uji", "nasional")
        db.session.remove()
    complaints: list[str] = []
    page.on("console", lambda message: complaints.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server}/{year.slug}/login")
    page.fill("input[name=username]", "pegawai")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/{year.slug}/")
    charts = page.locator("figure.chart img")
    assert charts.count() >= 1
    for i in range(charts.count()):
        assert charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    assert complaints == []
