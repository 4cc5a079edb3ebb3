"""The region settings editor in a real browser (Sawahlunto): a value out of
range is refused on its field; the admin previews a change (the diff against
the rule set's values), saves it as a version from the year's first day, and
finds it in the history — and the switched-off consultation leaves the menus."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.regions.manager import regions
from app.tenancy import all_tenants, tenant_rules, tenant_scope
from app.tenancy.models import SettingsVersion, Tenant
from tests.browser import sign_in
from tests.consultation_support import SLUG, build_sawahlunto

pytestmark = pytest.mark.browser


def test_the_admin_previews_and_saves_a_settings_change(app, live_server, page):
    w = build_sawahlunto(app)
    with app.app_context():
        rule_set = regions().get("sawahlunto")
    base = live_server

    sign_in(page, base, SLUG, "admin")
    page.click("nav >> text=Admin")  # the admin menu opens
    page.click("nav >> text=Pengaturan daerah")
    page.wait_for_url(f"**/{SLUG}/admin/pengaturan/")
    assert page.locator(".subnav a:has-text('Konsultasi kriteria')").count() == 1

    # Out of range: refused on the field, nothing previewed.
    page.fill("input[name=s__objection_window_days]", "500")
    page.click("button:has-text('Pratinjau')")
    field = page.locator(".field:has(input[name=s__objection_window_days])")
    assert field.locator(".error").count() == 1
    assert page.locator("[data-testid=preview]").count() == 0

    # A valid change from the year's first day: the preview lists what changes.
    page.fill("input[name=s__objection_window_days]", "21")
    page.select_option("select[name=s__criteria_consultation]", "0")
    page.select_option("select[name=start]", str(w.year_id))
    page.fill("textarea[name=note]", "Perwako 3/2026")
    page.click("button:has-text('Pratinjau')")
    preview = page.locator("[data-testid=preview]")
    rows = [r.inner_text().split("\t") for r in preview.locator("tbody tr").all()]
    assert ["Masa keberatan (hari)", str(rule_set.objection_window_days), "21"] in rows
    assert any(r[0] == "Konsultasi kriteria dengan pegawai" for r in rows)
    assert len(rows) == 2  # unchanged settings are not listed
    with app.app_context(), all_tenants("test"):
        assert db.session.scalar(select(SettingsVersion.id)) is None  # a preview saves nothing

    preview.locator("button:has-text('Simpan')").click()
    page.wait_for_url("**/admin/pengaturan/?versi=1")
    main = page.inner_text("main")
    assert "Pengaturan daerah versi 1 disimpan" in main and "Versi 1 tersimpan" in main
    assert "Perwako 3/2026" in main and f"Masa keberatan (hari): {rule_set.objection_window_days} → 21" in main

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        with tenant_scope(tenant):
            version = db.session.scalar(select(SettingsVersion))
            assert version.settings == {"objection_window_days": 21, "criteria_consultation": False}
            assert tenant_rules().rule_set.objection_window_days == 21
        db.session.remove()
    # The consultation is no longer offered: its menu links are gone.
    page.reload()
    assert page.locator(".subnav a:has-text('Konsultasi kriteria')").count() == 0
