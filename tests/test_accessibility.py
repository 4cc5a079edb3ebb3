"""WCAG 2.1 AA on the key pages of each role, at desktop and phone size (390×844):
axe-core finds no serious or critical violation and no page scrolls sideways on a
phone (tests/browser.py runs the checks). The data is a year like the browser
tests build: an agreed SKP with realisation and a final evaluation, the publik
objects, an import with bad rows, a platform operator."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.browser import assert_accessible, sign_in
from tests.conftest import make_operator
from tests.publik_support import add_publik_objects
from tests.reports_support import build_year

pytestmark = pytest.mark.browser

SLUG = "kota-uji"


@pytest.fixture
def world(app):
    with app.app_context():
        year = build_year(SLUG, "nasional")
        publik = add_publik_objects(year.org)
        make_operator()
        db.session.remove()
    return year, publik


def _check_pages(page, base: str, paths: list[str]) -> None:
    """Every page opens and passes; all the problems are reported together."""
    failures = []
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        try:
            assert_accessible(page)
        except AssertionError as problem:
            failures.append(str(problem))
    assert not failures, "\n\n".join(failures)


def test_the_pegawai_pages(world, live_server, page):
    year, _ = world
    sign_in(page, live_server, SLUG, "pegawai")
    # Every page a browser test shows is checked without being asked: the sign-in page was.
    assert f"{live_server}/{SLUG}/login" in page.audited
    s = f"/{SLUG}"
    _check_pages(page, live_server, [
        f"{s}/", f"{s}/skp/", f"{s}/skp/{year.plan_id}", f"{s}/skp/{year.plan_id}/realisasi",
        f"{s}/skp/{year.plan_id}/dialog", f"{s}/penilaian/{year.evaluation_id}",
        f"{s}/notifikasi/", f"{s}/riwayat/", f"{s}/pelatihan/", f"{s}/keberatan/",
        f"{s}/akun/kata-sandi",
    ])
    # A cell of the realisation grid: the period's realisation with its evidence.
    page.goto(f"{live_server}{s}/skp/{year.plan_id}/realisasi")
    page.locator("td[data-cell] a").first.click()
    page.wait_for_url("**/realisasi/*/*")
    assert_accessible(page)


def test_the_penilai_pages(world, live_server, page):
    year, _ = world
    sign_in(page, live_server, SLUG, "penilai")
    s = f"/{SLUG}"
    _check_pages(page, live_server, [
        f"{s}/", f"{s}/skp/tim", f"{s}/skp/{year.plan_id}", f"{s}/skp/{year.plan_id}/realisasi",
        f"{s}/penilaian/", f"{s}/penilaian/{year.evaluation_id}",
        f"{s}/penilaian/unit/{year.org.unit_id}/{year.quarter_id}",
    ])


def test_the_admin_pages(world, live_server, page, tmp_path):
    year, publik = world
    sign_in(page, live_server, SLUG, "admin")
    s = f"/{SLUG}"
    _check_pages(page, live_server, [
        f"{s}/", f"{s}/admin/", f"{s}/admin/pegawai", f"{s}/admin/pegawai/{year.org.pegawai_id}",
        f"{s}/admin/unit", f"{s}/admin/jabatan", f"{s}/admin/akun", f"{s}/admin/akun/baru",
        f"{s}/admin/periode/", f"{s}/admin/audit/", f"{s}/admin/rekap/",
        f"{s}/skp/admin/", f"{s}/admin/publik/", f"{s}/admin/publik/publikasi",
        f"{s}/admin/publik/pengaduan", f"{s}/admin/publik/pengaduan/{publik['complaint_id']}",
        f"{s}/admin/publik/ikm", f"{s}/admin/siasn/", f"{s}/admin/kop-dokumen/",
        f"{s}/pelatihan/katalog", f"{s}/admin/webhook/", f"{s}/admin/token-api/",
    ])

    # The import page, a file with a bad row, and its report; a form's errors shown.
    page.goto(f"{live_server}{s}/admin/impor/")
    assert_accessible(page)
    csv = tmp_path / "pegawai.csv"
    csv.write_text("nip,nama,jenis_kelamin,jenis_asn,kode_jabatan,email\n"
                   "199102302015031002,Tanggal Salah,L,PNS,STAF,\n", encoding="utf-8")
    page.select_option("select[name=kind]", "employees")
    page.set_input_files("input[name=file]", str(csv))
    page.click("button:has-text('Unggah dan periksa')")
    page.wait_for_selector("text=bukan tanggal yang ada")
    assert_accessible(page)

    page.goto(f"{live_server}{s}/admin/pegawai/baru")
    page.click("button.primary")
    page.wait_for_selector(".error")
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert_accessible(page)


def test_the_public_and_operator_pages(world, live_server, page):
    year, publik = world
    s = f"/{SLUG}"
    _check_pages(page, live_server, [
        "/", f"{s}/login", "/platform/login", f"{s}/publik/", f"{s}/publik/survei",
        f"{s}/publik/survei/{year.org.unit_id}", f"{s}/publik/pengaduan", f"{s}/publik/lacak",
    ])
    sign_in(page, live_server, None, "operator")
    _check_pages(page, live_server, ["/platform/", "/platform/tenant/baru"])


# --- the defects found by hand, one by one --------------------------------------------------------

_CONTRAST = """(el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let bg = el.parentElement;
  while (bg && getComputedStyle(bg).backgroundColor.replace(/\\s/g, "").match(/rgba\\(.*,0\\)|transparent/)) {
    bg = bg.parentElement;
  }
  const a = lum(getComputedStyle(el).borderTopColor), b = lum(getComputedStyle(bg || document.body).backgroundColor);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def _phone(page):
    page.set_viewport_size({"width": 390, "height": 844})


def test_sign_in_is_usable_by_keyboard_with_autocomplete_and_visible_borders(world, live_server, page):
    page.goto(f"{live_server}/{SLUG}/login")
    assert page.get_attribute("input[name=username]", "autocomplete") == "username"
    assert page.get_attribute("input[name=password]", "autocomplete") == "current-password"
    for name in ("username", "password"):  # WCAG 1.4.11: a control's border at 3:1 at least
        assert page.locator(f"input[name={name}]").evaluate(_CONTRAST) >= 3

    # On a page without autofocus the first Tab reaches the skip link, shown on focus with the app's
    # focus ring; it leads to the content.
    page.goto(f"{live_server}/{SLUG}/publik/")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const el = document.activeElement, s = getComputedStyle(el);
      return { cls: el.className, top: el.getBoundingClientRect().top, outline: s.outlineStyle, width: s.outlineWidth }; }""")
    assert focused["cls"] == "skip-link" and focused["top"] >= 0
    assert focused["outline"] == "solid" and focused["width"] == "3px"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "isi"
    page.keyboard.press("Tab")  # the next stop is in the content, past the menu
    assert page.evaluate("() => document.activeElement.closest('main') !== null")

    # The citizen's complaint contact asks for their own e-mail address.
    year, _ = world
    page.goto(f"{live_server}/{SLUG}/publik/pengaduan?unit={year.org.unit_id}")
    assert page.get_attribute("input[name=contact]", "autocomplete") == "email"


def test_errors_are_tied_to_their_fields_and_shown_in_red(world, live_server, page):
    sign_in(page, live_server, SLUG, "admin")
    page.goto(f"{live_server}/{SLUG}/admin/pegawai/baru")
    page.click("button.primary")
    page.wait_for_selector(".error")
    nip = page.locator("input[name=nip]")
    assert nip.get_attribute("aria-invalid") == "true"
    described = nip.get_attribute("aria-describedby").split()
    texts = [page.locator(f"#{i}").inner_text() for i in described]
    assert any(t.strip() and t.strip() in page.locator(".field.has-error").first.inner_text() for t in texts)
    assert nip.evaluate("el => getComputedStyle(el).borderTopColor") == "rgb(179, 38, 30)"  # --err
    name = page.locator("input[name=name]")
    if name.get_attribute("aria-invalid") is None:  # a valid field is not marked invalid
        assert name.evaluate("el => getComputedStyle(el).borderTopColor") != "rgb(179, 38, 30)"


def test_structure_tables_scroll_by_keyboard_and_pages_fit_a_phone(world, live_server, page):
    sign_in(page, live_server, SLUG, "admin")
    s = f"{live_server}/{SLUG}"
    for path in ("/admin/pegawai", "/admin/publik/publikasi", "/admin/impor/", "/"):
        page.goto(s + path)
        # Every menu is named; no table header is empty.
        assert page.locator("nav:not([aria-label]):not([aria-labelledby])").count() == 0, path
        empty = page.evaluate("() => [...document.querySelectorAll('th')].filter(th => !th.textContent.trim())"
                              ".map(th => th.closest('tr').outerHTML.slice(0, 300))")
        assert empty == [], (path, empty)
    page.goto(f"{s}/admin/impor/")
    assert page.locator("summary a, summary button").count() == 0  # no control inside a control
    assert page.locator("a[download]").count() >= 3

    # On a phone the employees table scrolls inside a named region the keyboard reaches and scrolls.
    page.goto(f"{s}/admin/pegawai")
    region = page.locator(".table-scroll").first
    assert region.get_attribute("role") is None and region.get_attribute("tabindex") is None  # fits on a desktop
    _phone(page)
    page.wait_for_function("() => document.querySelector('.table-scroll').getAttribute('role') === 'region'")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")

    # The admin's publications page fits a 390 px phone.
    page.goto(f"{s}/admin/publik/publikasi")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
