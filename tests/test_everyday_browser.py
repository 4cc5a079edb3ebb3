"""Everyday work in a real browser (issue #12, item 5): the admin finds an
employee by name in the Plt/Plh picker and narrows a long list of positions;
the pegawai submits a plan through its confirmation step; the realisation
grid tells a phone user that it scrolls. Every page is checked by axe-core
(tests/browser.py)."""

from __future__ import annotations

from datetime import date

import pytest

from app import models as m
from app.extensions import db
from app.org.models import ActingAssignment, Employee
from app.periods.models import Period, PeriodKind
from app.tenancy import tenant_scope
from tests.browser import sign_in
from tests.conftest import make_cycle

pytestmark = pytest.mark.browser


def test_admin_picks_an_employee_by_name_for_a_plt(app, two_tenants, live_server, page):
    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        nip = db.session.get(Employee, a.peer_id).nip
    sign_in(page, live_server, "kota-a", "admin")
    page.goto(f"{live_server}/kota-a/admin/jabatan/{a.position_ids['KABID']}")
    field = page.locator("input[name=employee_nip]")
    assert field.get_attribute("list")  # the picker is wired
    field.press_sequentially("Peer Kota", delay=20)
    options = page.locator(f"datalist#{field.get_attribute('list')} option")
    options.first.wait_for(state="attached")
    assert options.first.get_attribute("value") == nip
    assert "Peer Kota-A" in options.first.get_attribute("label")
    field.fill(options.first.get_attribute("value"))  # what choosing the suggestion does
    page.fill("input[name=starts_on]", "2026-01-01")
    page.click("button:has-text('Tunjuk Plt/Plh')")
    assert "Penunjukan Plt/Plh disimpan." in page.inner_text("main")
    with app.app_context(), tenant_scope(a.tenant):
        acting = db.session.query(ActingAssignment).one()
        assert acting.employee_id == a.peer_id and acting.position_id == a.position_ids["KABID"]

    # A long list of positions is narrowed by typing.
    page.goto(f"{live_server}/kota-a/admin/pegawai/{a.pegawai_id}")
    search = page.locator("input[data-picker-search]")
    search.fill("seksi")
    visible = page.eval_on_selector_all("select[name=position_id] option",
                                        "options => options.filter(o => !o.hidden && o.value).map(o => o.text)")
    # The match, and the current choice (never hidden, so the form keeps its value).
    assert visible == ["Kepala Seksi Pelayanan Primer — Dinas Kesehatan", "Pengadministrasi Pelayanan — Dinas Kesehatan"]


def test_pegawai_confirms_before_submitting(app, two_tenants, live_server, page):
    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        year = Period(year=2027, kind=PeriodKind.YEAR, sequence=1,
                      starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31))
        plan = m.Plan(employee_id=a.pegawai_id, period=year, position_name="Staf", unit_name="Dinas")
        result = m.PlanResult(plan=plan, description="Layanan administrasi tertib")
        db.session.add_all([year, plan, result, m.PlanIndicator(
            result=result, name="Dokumen diproses", aspect="kuantitas", direction="higher", unit="dokumen",
            target_lower=12, target_upper=12)])
        db.session.commit()
        plan_id = plan.id
        db.session.remove()
    sign_in(page, live_server, "kota-a", "pegawai")
    page.goto(f"{live_server}/kota-a/skp/{plan_id}")
    page.click("text=Ajukan kepada pejabat penilai")
    page.wait_for_url(f"**/kota-a/skp/{plan_id}/ajukan/konfirmasi")
    assert "Penilai Kota-A" in page.inner_text("main")
    page.click("text=Kembali ke SKP tanpa mengajukan")
    assert page.inner_text("#status") == "Draf"
    page.click("text=Ajukan kepada pejabat penilai")
    page.click("button:has-text('Ya, ajukan kepada pejabat penilai')")
    page.wait_for_url(f"**/kota-a/skp/{plan_id}")
    assert page.inner_text("#status") == "Diajukan"


def test_the_realisation_grid_says_it_scrolls_on_a_phone(app, two_tenants, live_server, browser):
    a, _ = two_tenants
    with app.app_context():
        cycle = make_cycle(a)
        db.session.remove()
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, "kota-a", "pegawai")
        page.goto(f"{live_server}/kota-a/skp/{cycle.plan_id}/realisasi")
        assert page.locator("#grid-scroll-hint").is_visible()
        region = page.locator(".grid-scroll")
        assert region.evaluate("box => box.scrollWidth > box.clientWidth")  # the periods scroll…
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # …not the page
        assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
        page.set_viewport_size({"width": 1280, "height": 800})
        assert not page.locator("#grid-scroll-hint").is_visible()
    finally:
        context.close()


def test_the_penilais_bulk_pages_in_the_browser(app, two_tenants, live_server, page):
    """The evidence review list, the team's plans and the bulk evaluation page: each
    works by ticking and one button, and passes the accessibility check."""
    a, _ = two_tenants
    with app.app_context():
        cycle = make_cycle(a)
        with tenant_scope(a.tenant):
            q2 = db.session.get(m.Evaluation, cycle.evaluation_id).period
            realisation = m.Realisation(indicator_id=cycle.indicator_id, period=q2, value=2)
            db.session.add(m.Evidence(realisation=realisation, kind=m.EvidenceKind.LINK,
                                      url="https://contoh.go.id/laporan-q2", original_name="Laporan Q2"))
            db.session.commit()
        db.session.remove()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, "kota-a", "penilai")
    page.goto(f"{live_server}/kota-a/skp/{cycle.plan_id}/realisasi")
    page.click("text=Periksa 1 bukti dukung yang menunggu")  # Q1 is final: its evidence is not counted
    page.check("input[name=evidence]")
    page.click("button:has-text('Terima semua yang sudah diperiksa')")
    assert "Diterima" in page.inner_text(".bulk-result")
    assert "Tidak ada bukti dukung yang menunggu pemeriksaan." in page.inner_text("main")
    page.goto(f"{live_server}/kota-a/skp/tim")
    page.goto(f"{live_server}/kota-a/penilaian/")
    page.click("text=Mulai atau finalkan penilaian tim sekaligus")
    page.click("nav.subnav >> text=Triwulan 3 2026")
    page.check("input[name=plan]")
    page.click("button:has-text('Mulai menilai yang dicentang')")
    assert "Penilaian dimulai." in page.inner_text(".bulk-result")
