"""A citizen on a phone: answers the survey, files a complaint about an
employee chosen by name, then tracks it with the code — in Debian's Chromium."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield page, problems
    context.close()


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_citizen_on_a_phone_answers_complains_and_tracks(two_tenants, live_server, phone, tmp_path):
    a, _ = two_tenants
    page, problems = phone
    page.goto(f"{live_server}/kota-a/publik/")
    assert "Transparansi kinerja pelayanan" in page.inner_text("h1")
    page.click("text=Isi survei")
    page.click("text=Dinas Kesehatan")
    assert page.locator("fieldset.question").count() == 9
    assert _fits_the_screen(page)
    for i, choice in enumerate([3, 2, 2, 3, 2, 3, 3, 1, 2]):  # 0-based: 4 3 3 4 3 4 4 2 3
        page.locator("fieldset.question").nth(i).locator("label.scale-option").nth(choice).click()
    page.select_option("select[name=age_band]", "30-39")
    page.screenshot(path=str(tmp_path / "survey.png"), full_page=True)
    page.click("text=Kirim jawaban")
    page.wait_for_url(f"**/kota-a/publik/survei/{a.unit_id}/terima-kasih")
    assert "Terima kasih" in page.inner_text("h1")

    page.click("text=Ingin menyampaikan pengaduan?")
    page.select_option("select[name=category]", "perilaku")
    page.select_option("select[name=employee_id]", label="Pegawai Kota-A")
    page.fill("textarea[name=description]", "Petugas loket tidak ramah dan meminta saya datang lagi besok.")
    assert _fits_the_screen(page)
    page.click("text=Kirim pengaduan")
    page.wait_for_url("**/kota-a/publik/pengaduan/terkirim")
    code = page.inner_text("[data-testid=tracking-code]").strip()
    assert len(code.replace("-", "")) == 12
    page.screenshot(path=str(tmp_path / "complaint-sent.png"), full_page=True)

    page.goto(f"{live_server}/kota-a/publik/lacak")
    page.fill("input[name=code]", code.lower())
    page.click("button:has-text('Lacak')")
    page.wait_for_selector("h1:has-text('Status pengaduan')")
    assert page.url.endswith("/kota-a/publik/lacak")  # the tracking code never goes into a URL
    body = page.inner_text("main")
    assert "Diterima" in body and code in body and "Pegawai Kota-A" not in body
    assert _fits_the_screen(page)
    assert not [p for p in problems if "Content Security Policy" in p], problems
