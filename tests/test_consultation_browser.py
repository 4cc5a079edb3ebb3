"""A criteria consultation from both sides in a real browser (Sawahlunto): the
admin opens it, the pegawai reads the proposal next to what is in force and
answers, the admin follows the tally, responds to the comment after the window
closes, adopts, publishes — and the public page shows the aggregate only."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.consultation.models import Consultation
from app.extensions import db
from app.tenancy import tenant_scope
from app.tenancy.models import Tenant
from tests.browser import sign_in
from tests.consultation_support import SLUG, build_sawahlunto, close_window

pytestmark = pytest.mark.browser


def _consultation_id(app) -> int:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        with tenant_scope(tenant):
            found = db.session.scalar(select(Consultation.id))
        db.session.remove()
    return found


def test_a_consultation_from_both_sides_in_the_browser(app, live_server, page, tmp_path):
    w = build_sawahlunto(app)
    page.on("dialog", lambda dialog: dialog.accept())  # the "are you sure?" confirmations
    base = live_server

    # The admin opens a consultation on Dinkes' indicator set.
    sign_in(page, base, SLUG, "admin")
    page.goto(f"{base}/{SLUG}/admin/konsultasi/")
    page.click("text=Buka konsultasi baru")
    page.fill("input[name=title]", "Set indikator pelayanan kesehatan")
    page.fill("textarea[name=explanation]", "Usulan indikator untuk puskesmas dan dinas.")
    page.select_option("select[name=unit_id]", str(w.org.unit_id))
    page.fill("input[name=opens_on]", (w.today - timedelta(days=20)).isoformat())
    page.fill("input[name=closes_on]", (w.today + timedelta(days=1)).isoformat())
    page.select_option("select[name=codes]", ["KES-01", "KES-02"])
    page.click("button:has-text('Buka konsultasi')")
    page.wait_for_url(f"**/{SLUG}/admin/konsultasi/*")
    assert "Konsultasi dibuka" in page.inner_text("main")
    consultation_id = _consultation_id(app)

    # The pegawai is told, reads the proposal and answers.
    sign_in(page, base, SLUG, "pegawai")
    page.goto(f"{base}/{SLUG}/konsultasi/")
    page.click("text=Set indikator pelayanan kesehatan")
    main = page.inner_text("main")
    assert "Jumlah pelayanan kesehatan yang diberikan" in main and "Yang berlaku" in main
    page.check("input[name=agrees][value='0']")
    page.fill("textarea[name=comment]", "Target layanan puskesmas terlalu tinggi.")
    page.screenshot(path=str(tmp_path / "1-answer.png"), full_page=True)
    page.click("button:has-text('Kirim tanggapan')")
    assert "Tanggapan Anda disimpan" in page.inner_text("main")
    assert "Tidak setuju" in page.inner_text("#tanggapan-saya")

    # The admin sees the live tally.
    sign_in(page, base, SLUG, "admin")
    page.goto(f"{base}/{SLUG}/admin/konsultasi/{consultation_id}")
    assert "1 dari 3 pegawai" in page.inner_text("#rekap")
    assert page.inner_text("[data-tally=disagree]") == "1"

    # The window closes; the admin responds, adopts and publishes.
    close_window(app, consultation_id)
    page.reload()
    page.fill("textarea[name=response]", "Target disesuaikan dengan kapasitas puskesmas.")
    page.click("button:has-text('Simpan tanggapan')")
    assert "Tanggapan disimpan" in page.inner_text("main")
    page.select_option("select[name=decision]", "adopted")
    page.fill("textarea[name=note]", "Diterapkan mulai tahun ini.")
    page.click("button:has-text('Simpan keputusan')")
    assert "Keputusan konsultasi disimpan" in page.inner_text("main")
    page.click("button:has-text('Umumkan hasil di halaman transparansi')")
    assert "Hasil konsultasi diumumkan" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "2-decided.png"), full_page=True)

    # The pegawai sees the response; the public sees the aggregate only.
    sign_in(page, base, SLUG, "pegawai")
    page.goto(f"{base}/{SLUG}/konsultasi/{consultation_id}")
    assert "Target disesuaikan" in page.inner_text("main")
    assert page.locator("button:has-text('Kirim tanggapan')").count() == 0
    page.context.clear_cookies()
    page.goto(f"{base}/{SLUG}/publik/konsultasi/")
    public = page.inner_text("main")
    assert "Set indikator pelayanan kesehatan" in public and "1 dari 3 pegawai" in public
    assert "Pegawai" not in public.replace("pegawai", "") and "terlalu tinggi" not in public
