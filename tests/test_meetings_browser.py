"""A Walesi rapat evaluasi kinerja in a real browser: the admin schedules it,
records attendance, the minutes and a follow-up; the owner finds the follow-up
on their home page, opens it and closes it with a note."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app import models as m
from app.extensions import db
from app.periods import services as calendar
from app.periods.models import PeriodKind
from app.tenancy import tenant_scope, tenant_today
from tests.browser import sign_in
from tests.conftest import make_org, make_tenant

pytestmark = pytest.mark.browser

SLUG = "walesi"


def _walesi(app):
    """Walesi with the Dinkes organisation and this year opened in semesters."""
    with app.app_context():
        org = make_org(make_tenant(SLUG, rule_set="walesi"))
        with tenant_scope(org.tenant):
            today = tenant_today()
            calendar.open_year(today.year, "semester")
            db.session.commit()
            semester = db.session.scalar(select(m.Period).where(m.Period.kind != PeriodKind.YEAR,
                                                                 m.Period.starts_on <= today,
                                                                 m.Period.ends_on >= today))
            org.semester_id, org.today = semester.id, today
        db.session.remove()
    return org


def test_the_admin_records_a_meeting_and_the_owner_closes_its_follow_up(app, live_server, page):
    org = _walesi(app)
    base = live_server

    # The admin schedules the unit's meeting for this semester, today.
    sign_in(page, base, SLUG, "admin")
    page.click("nav >> text=Rapat evaluasi")
    page.select_option("select[name=unit_id]", str(org.unit_id))
    page.select_option("select[name=period_id]", str(org.semester_id))
    page.fill("input[name=held_on]", org.today.isoformat())
    page.fill("input[name=starts_at]", "09:00")
    page.fill("input[name=place]", "Aula Dinas Kesehatan")
    page.fill("textarea[name=agenda]", "Evaluasi kinerja semester berjalan")
    page.click("button:has-text('Jadwalkan')")
    page.wait_for_url(re.compile(rf"/{SLUG}/rapat/\d+$"))
    assert "Rapat evaluasi kinerja dijadwalkan" in page.inner_text("main")
    assert page.locator("#peserta select[name^=attendance_]").count() == 5  # the whole unit is invited

    # Attendance: everyone present but one excused; then the minutes; then held.
    selects = page.locator("#peserta select[name^=attendance_]")
    for i in range(selects.count()):
        selects.nth(i).select_option("excused" if i == 0 else "present")
    page.click("button:has-text('Simpan kehadiran')")
    assert "Kehadiran disimpan" in page.inner_text("main")
    page.fill("textarea[name=minutes]", "Capaian semester dibahas; bukti dukung vaksinasi perlu dilengkapi.")
    page.click("button:has-text('Simpan notulen')")
    assert "Notulen disimpan" in page.inner_text("main")
    page.click("button:has-text('Nyatakan rapat terlaksana')")
    assert "Rapat dinyatakan terlaksana" in page.inner_text("main")
    assert page.inner_text("#status-rapat") == "dilaksanakan"

    # A decision with an owner and a due date.
    page.fill("#tindak-lanjut textarea[name=description]", "Lengkapi bukti dukung vaksinasi semester ini")
    page.select_option("#tindak-lanjut select[name=owner_id]", str(org.pegawai_id))
    page.fill("#tindak-lanjut input[name=due_on]", org.today.isoformat())
    page.click("button:has-text('Simpan tindak lanjut')")
    assert "Tindak lanjut dicatat" in page.inner_text("main")

    # The owner finds it on the home page and closes it from the meeting page.
    sign_in(page, base, SLUG, "pegawai")
    work = page.locator("#rapat-evaluasi")
    assert "Lengkapi bukti dukung vaksinasi" in work.inner_text()
    work.locator("a:has-text('Lengkapi bukti dukung vaksinasi')").click()
    page.wait_for_url(re.compile(rf"/{SLUG}/rapat/\d+#tindak-lanjut-\d+$"))
    action = page.locator("article.follow-up")
    action.locator("textarea[name=note]").fill("Bukti dukung sudah diunggah lengkap.")
    action.locator("button:has-text('Tutup tindak lanjut')").click()
    assert "Tindak lanjut ditutup" in page.inner_text("main")
    assert "Bukti dukung sudah diunggah lengkap." in page.locator("article.follow-up").inner_text()

    page.goto(f"{base}/{SLUG}/")
    assert "Lengkapi bukti dukung vaksinasi" not in page.inner_text("main")
