"""Criteria consultation: the admin opens one on a proposal, the employees
concerned answer (once each, changeable while the window is open), the admin
responds, decides and publishes — and Sawahlunto's plan lock reads it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import models as m
from app.audit.models import AuditEntry
from app.consultation.models import Answer, Consultation, Decision, Subject
from app.extensions import db
from app.periods.models import PeriodKind
from app.tenancy import tenant_rules, tenant_scope, tenant_settings, tenant_today
from app.tenancy.models import SettingsVersion, Tenant
from tests.conftest import csrf_token, login
from tests.consultation_support import SLUG, build_sawahlunto


def in_t(app, fn, slug=SLUG):
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with tenant_scope(tenant):
            try:
                return fn()
            finally:
                db.session.remove()


@pytest.fixture
def world(app):
    return build_sawahlunto(app)


def signed_in(app, username, password=None):
    client = app.test_client()
    kwargs = {"password": password} if password else {}
    assert login(client, SLUG, username, **kwargs).status_code == 302
    return client


def post(client, url, data=None):
    token = csrf_token(client, f"/{SLUG}/")
    return client.post(url, data={"csrf_token": token, **(data or {})})


def _open(client, w, **over):
    data = {"title": "Set indikator Dinkes 2027", "explanation": "Usulan indikator pelayanan kesehatan.",
            "subject": "indicator_set", "period_id": w.year_id, "unit_id": w.org.unit_id,
            "opens_on": (w.today - timedelta(days=20)).isoformat(), "closes_on": (w.today + timedelta(days=1)).isoformat(),
            "codes": ["KES-01", "KES-02"]}
    data.update(over)
    return post(client, f"/{SLUG}/admin/konsultasi/baru", data)


def _only(app) -> Consultation:
    return in_t(app, lambda: db.session.scalars(select(Consultation)).one())


def _close(app, consultation_id, days_ago=1):
    """Time passes: the window ended ``days_ago`` days ago."""
    def run():
        row = db.session.get(Consultation, consultation_id)
        row.closes_on = tenant_today() - timedelta(days=days_ago)
        db.session.commit()
    in_t(app, run)


def _lock(admin, w):
    return post(admin, f"/{SLUG}/admin/periode/{w.year_id}/kunci")


def _notified(app, user_id, kind):
    return in_t(app, lambda: db.session.scalars(select(m.Notification).where(
        m.Notification.user_id == user_id, m.Notification.kind == kind)).all())


def test_a_full_sawahlunto_consultation_changes_the_indicator_set_and_unblocks_plan_lock(app, world):
    w = world
    admin = signed_in(app, "admin")
    blocked = _lock(admin, w)
    assert blocked.status_code == 422 and "belum dikonsultasikan kepada pegawai" in blocked.get_data(as_text=True)
    # The lock form no longer asks for consultation figures.
    page = admin.get(f"/{SLUG}/admin/periode/{w.year_id}").get_data(as_text=True)
    assert "consultation_published_on" not in page and "comments_received" not in page

    assert _open(admin, w).status_code == 302
    c = _only(app)
    assert (c.subject, c.unit_id, c.proposal) == (Subject.INDICATOR_SET, w.org.unit_id, {"codes": ["KES-01", "KES-02"]})
    # Everyone concerned with an account is told; the teacher of another unit is not.
    for key in ("atasan", "penilai", "pegawai"):
        [note] = _notified(app, w.org.user_ids[key], "consultation.open")
        assert note.about_kind == "consultation" and note.about_id == c.id
    guru_id = in_t(app, lambda: db.session.scalar(select(m.User.id).where(m.User.username == "guru")))
    assert _notified(app, guru_id, "consultation.open") == []
    # While it runs, plans cannot lock.
    html = _lock(admin, w).get_data(as_text=True)
    assert "Masa konsultasi indikator belum selesai" in html and "belum diumumkan" in html

    # The pegawai reads the proposal next to what is in force and answers; then changes the answer.
    pegawai = signed_in(app, "pegawai")
    assert f"/{SLUG}/konsultasi/{c.id}" in pegawai.get(f"/{SLUG}/konsultasi/").get_data(as_text=True)
    page = pegawai.get(f"/{SLUG}/konsultasi/{c.id}").get_data(as_text=True)
    library = in_t(app, lambda: tenant_rules().rule_set.indicator("KES-01").name)
    assert library in page and "Yang berlaku" in page and "Usulan" in page
    url = f"/{SLUG}/konsultasi/{c.id}"
    assert post(pegawai, url, {"agrees": "1", "comment": "Target 600 layanan terlalu tinggi"}).status_code == 302
    assert post(pegawai, url, {"agrees": "0", "comment": "Target 600 layanan terlalu tinggi untuk puskesmas"}
                ).status_code == 302
    missing = post(pegawai, url, {"comment": "tanpa pilihan"})
    assert missing.status_code == 422 and "Pilih setuju atau tidak setuju" in missing.get_data(as_text=True)
    penilai = signed_in(app, "penilai")
    assert post(penilai, url, {"agrees": "1"}).status_code == 302
    rows = in_t(app, lambda: [(a.employee_id, a.agrees, a.comment) for a in db.session.scalars(
        select(Answer).order_by(Answer.id))])
    assert rows == [(w.org.pegawai_id, False, "Target 600 layanan terlalu tinggi untuk puskesmas"),
                    (w.org.penilai_id, True, None)]
    # The teacher is not concerned; the admin's pages are the admin's.
    guru = signed_in(app, "guru", "rahasia-uji-123")
    assert guru.get(url).status_code == 403
    assert post(guru, url, {"agrees": "1"}).status_code == 403
    assert pegawai.get(f"/{SLUG}/admin/konsultasi/").status_code == 403

    # Live tallies for the admin: 2 of 3 concerned, 1 agrees, 1 disagrees, 1 comment.
    detail = admin.get(f"/{SLUG}/admin/konsultasi/{c.id}").get_data(as_text=True)
    assert "2 dari 3 pegawai" in detail and "(67%)" in detail
    assert re.search(r'data-tally="agree">1<', detail) and re.search(r'data-tally="disagree">1<', detail)
    assert re.search(r'data-tally="comments">1<', detail) and "Pegawai Sawahlunto-Uji" in detail
    answer_id = in_t(app, lambda: db.session.scalar(select(Answer.id).where(Answer.comment.is_not(None))))
    early = post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/tanggapan", {"answer_id": answer_id, "response": "Ok"})
    assert early.status_code == 422 and "setelah masa konsultasi ditutup" in early.get_data(as_text=True)

    # The window closes (20 days after it opened): answers are refused, read-only.
    _close(app, c.id)
    late = post(pegawai, url, {"agrees": "1"})
    assert late.status_code == 422 and "sudah ditutup" in late.get_data(as_text=True)
    assert "Kirim tanggapan" not in pegawai.get(url).get_data(as_text=True)
    # Every comment gets a response before the decision.
    waiting = post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/putuskan", {"decision": "adopted"})
    assert waiting.status_code == 422 and "belum ditanggapi" in waiting.get_data(as_text=True)
    assert post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/tanggapan", {
        "answer_id": answer_id, "response": "Target disesuaikan: KES-03 ditambahkan."}).status_code == 302
    assert "Target disesuaikan" in pegawai.get(url).get_data(as_text=True)
    # Amend (add KES-03), then adopt: a new indicator set through the planning service.
    same = post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/putuskan", {"decision": "amended",
                                                                   "codes": ["KES-01", "KES-02"]})
    assert same.status_code == 422 and "belum diubah" in same.get_data(as_text=True)
    assert post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/putuskan", {
        "decision": "amended", "codes": ["KES-01", "KES-02", "KES-03"], "note": "Masukan diterima."}).status_code == 302
    sets = in_t(app, lambda: [(a.unit_id, a.period_id, a.indicator_codes) for a in db.session.scalars(
        select(m.IndicatorAssignment))])
    assert sets == [(w.org.unit_id, w.year_id, ["KES-01", "KES-02", "KES-03"])]
    c = _only(app)
    assert c.decision is Decision.AMENDED and c.result["answered"] == 2 and c.result["concerned"] == 3
    assert len(c.result["changes"]) == 3
    # Decided, not yet published: plans still wait for the published responses.
    assert "Tanggapan atas masukan pegawai belum diumumkan" in _lock(admin, w).get_data(as_text=True)
    public = app.test_client().get(f"/{SLUG}/publik/konsultasi/").get_data(as_text=True)
    assert "Set indikator Dinkes" not in public
    assert post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/umumkan").status_code == 302
    again = post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/umumkan")
    assert again.status_code == 422 and "sudah diumumkan" in again.get_data(as_text=True)
    # The public page: aggregates only, no names, no comments.
    public = app.test_client().get(f"/{SLUG}/publik/konsultasi/").get_data(as_text=True)
    assert "Set indikator Dinkes" in public and "2 dari 3 pegawai" in public and "(67%)" in public
    assert "Pegawai Sawahlunto" not in public and "terlalu tinggi" not in public and "Penilai" not in public
    # Sawahlunto's rule reads the recorded consultation: plans lock now.
    assert _lock(admin, w).status_code == 302
    entry = in_t(app, lambda: db.session.scalar(select(AuditEntry).where(AuditEntry.action == "period.lock")))
    assert "1 masukan" in entry.reason
    actions = in_t(app, lambda: set(db.session.scalars(select(AuditEntry.action))))
    assert {"consultation.open", "consultation_answer.save", "consultation_answer.respond", "consultation.decide",
            "consultation.publish", "indicator_assignment.create"} <= actions


def test_a_short_consultation_does_not_satisfy_sawahlunto(app, world):
    w = world
    admin = signed_in(app, "admin")
    assert _open(admin, w, opens_on=(w.today - timedelta(days=5)).isoformat()).status_code == 302
    c = _only(app)
    _close(app, c.id)
    assert post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/putuskan", {"decision": "adopted"}).status_code == 302
    assert post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/umumkan").status_code == 302
    html = _lock(admin, w).get_data(as_text=True)
    assert "Konsultasi indikator kurang dari 14 hari" in html


def test_a_settings_consultation_for_the_whole_tenant_adopts_a_new_settings_version(app, world):
    w = world
    admin = signed_in(app, "admin")
    form = admin.get(f"/{SLUG}/admin/konsultasi/baru").get_data(as_text=True)
    assert "Lama minimal konsultasi indikator dengan pegawai (hari)." in form  # generated from the schema
    assert _open(admin, w, subject="settings", unit_id="", codes=[], setting__consultation_days="21",
                 title="Konsultasi 21 hari").status_code == 302
    c = _only(app)
    assert c.unit_id is None and c.proposal["overrides"]["consultation_days"] == 21
    # Every employee with an account is concerned, the teacher too.
    guru = signed_in(app, "guru", "rahasia-uji-123")
    assert post(guru, f"/{SLUG}/konsultasi/{c.id}", {"agrees": "1"}).status_code == 302
    page = guru.get(f"/{SLUG}/konsultasi/{c.id}").get_data(as_text=True)
    assert "Lama minimal konsultasi" in page and "14" in page and "21" in page
    _close(app, c.id)
    assert post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/putuskan", {"decision": "adopted"}).status_code == 302
    versions = in_t(app, lambda: [(v.source, v.settings.get("consultation_days"), v.effective_from)
                                  for v in db.session.scalars(select(SettingsVersion))])
    assert versions == [("consultation", 21, w.today.replace(month=1, day=1))]
    assert in_t(app, lambda: tenant_settings()["consultation_days"]) == 21
    assert _only(app).result["answered"] == 1


def test_weights_are_proposed_and_amended_like_in_the_settings_editor(app, world):
    w = world
    admin = signed_in(app, "admin")
    form = admin.get(f"/{SLUG}/admin/konsultasi/baru").get_data(as_text=True)
    # Every setting the settings editor edits, weights included, filled with what is in force.
    assert re.search(r'name="setting__weights__skp"[^>]*value="60"', form)
    assert "Bobot komponen penilaian — Perilaku Kerja" in form
    weights = {"setting__weights__skp": "70", "setting__weights__perilaku": "20",
               "setting__weights__pelatihan": "10"}
    bad = _open(admin, w, subject="settings", unit_id="", codes=[], **{**weights, "setting__weights__skp": "75"})
    assert bad.status_code == 422 and "Jumlah bobot harus 100" in bad.get_data(as_text=True)
    half = _open(admin, w, subject="settings", unit_id="", codes=[], setting__weights__skp="70")
    assert half.status_code == 422 and "Isi semua bobot, atau kosongkan semuanya." in half.get_data(as_text=True)
    assert in_t(app, lambda: db.session.scalars(select(Consultation)).all()) == []
    assert _open(admin, w, subject="settings", unit_id="", codes=[], title="Bobot SKP 70", **weights).status_code == 302
    c = _only(app)
    assert c.proposal["overrides"]["weights"] == {"skp": 70, "perilaku": 20, "pelatihan": 10}
    page = admin.get(f"/{SLUG}/admin/konsultasi/{c.id}").get_data(as_text=True)
    assert "Bobot komponen penilaian" in page and "Sasaran Kinerja Pegawai 70%" in page
    # Once closed, the decision form opens with the proposal; amending reads the weights the same way.
    _close(app, c.id)
    page = admin.get(f"/{SLUG}/admin/konsultasi/{c.id}").get_data(as_text=True)
    assert re.search(r'name="setting__weights__skp"[^>]*value="70"', page)
    amended = {**weights, "setting__weights__skp": "65", "setting__weights__perilaku": "25"}
    wrong = post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/putuskan", {"decision": "amended", **amended,
                                                                     "setting__weights__pelatihan": "x"})
    assert wrong.status_code == 422 and "Isi dengan angka." in wrong.get_data(as_text=True)
    assert post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/putuskan",
                {"decision": "amended", **amended}).status_code == 302
    assert in_t(app, lambda: tenant_settings()["weights"]) == {"skp": 65, "perilaku": 25, "pelatihan": 10}


def test_dropping_changes_nothing(app, world):
    w = world
    admin = signed_in(app, "admin")
    assert _open(admin, w).status_code == 302
    c = _only(app)
    _close(app, c.id)
    assert post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/putuskan", {"decision": "dropped"}).status_code == 302
    assert in_t(app, lambda: db.session.scalars(select(m.IndicatorAssignment)).all()) == []
    assert _only(app).decision is Decision.DROPPED and _only(app).result["changes"] == []
    decided = post(admin, f"/{SLUG}/admin/konsultasi/{c.id}/putuskan", {"decision": "adopted"})
    assert decided.status_code == 422 and "sudah diputuskan" in decided.get_data(as_text=True)


@pytest.mark.parametrize("over,message", [
    ({"codes": []}, "Pilih paling sedikit satu indikator"),
    ({"codes": ["NOPE-1"]}, "Indikator tidak dikenal"),
    ({"closes_on": "2000-01-01", "opens_on": "1999-12-01"}, "sudah lewat"),
    ({"opens_on": "2099-02-01", "closes_on": "2099-01-01"}, "tidak boleh sebelum"),
    ({"title": ""}, "Isi judul konsultasi"),
    ({"subject": "settings", "unit_id": ""}, "tidak ada yang perlu dikonsultasikan"),
    ({"subject": "settings", "unit_id": "", "setting__consultation_days": "999"}, "Pengaturan tidak valid"),
    ({"subject": "settings", "setting__consultation_days": "21"}, "seluruh instansi: kosongkan unit kerja"),
])
def test_a_bad_proposal_re_renders_with_a_message(app, world, over, message):
    admin = signed_in(app, "admin")
    response = _open(admin, world, **over)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert in_t(app, lambda: db.session.scalars(select(Consultation)).all()) == []


def test_a_year_that_has_ended_is_not_consulted_on(app, world):
    def past_year():
        year = m.Period(year=2020, kind=PeriodKind.YEAR, sequence=1, starts_on=date(2020, 1, 1),
                        ends_on=date(2020, 12, 31))
        db.session.add(year)
        db.session.commit()
        return year.id
    admin = signed_in(app, "admin")
    response = _open(admin, world, period_id=in_t(app, past_year))
    assert response.status_code == 422 and "sudah berakhir" in response.get_data(as_text=True)
    assert in_t(app, lambda: db.session.scalars(select(Consultation)).all()) == []


def test_only_the_admin_manages(app, world):
    w = world
    admin = signed_in(app, "admin")
    assert _open(admin, w).status_code == 302
    c = _only(app)
    pegawai = signed_in(app, "pegawai")
    for path in ("", "baru", f"{c.id}"):
        assert pegawai.get(f"/{SLUG}/admin/konsultasi/{path}").status_code == 403
    for path in ("tanggapan", "putuskan", "umumkan"):
        assert post(pegawai, f"/{SLUG}/admin/konsultasi/{c.id}/{path}", {"decision": "dropped"}).status_code == 403
    assert _only(app).decision is None
    assert admin.get(f"/{SLUG}/admin/konsultasi/999999").status_code == 404
    assert app.test_client().get(f"/{SLUG}/konsultasi/{c.id}").status_code == 302  # sign in first


def test_one_answer_per_employee_in_the_database(app, world):
    w = world
    assert _open(signed_in(app, "admin"), w).status_code == 302
    c = _only(app)

    def twice():
        db.session.add(Answer(consultation_id=c.id, employee_id=w.org.pegawai_id, agrees=True))
        db.session.flush()
        db.session.add(Answer(consultation_id=c.id, employee_id=w.org.pegawai_id, agrees=False))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    in_t(app, twice)


def test_the_sawahlunto_demo_has_a_consultation_in_progress(app, monkeypatch):
    from app.demo.accounts import account_employee
    from app.demo.seed import seed_all
    from tests.conftest import make_tenant

    monkeypatch.setitem(app.config, "DEMO_MODE", True)
    with app.app_context():
        make_tenant("sawahlunto", rule_set="sawahlunto")
        make_tenant("kota-x")  # a region without consultations gets none
        lines = list(seed_all())
        db.session.remove()
    assert len(lines) == 3

    def check():
        from app.consultation import services
        from app.skp.planning.locking import lock_blockers

        closed, running = db.session.scalars(select(Consultation).order_by(Consultation.id)).all()
        pegawai = account_employee("pegawai")
        assert closed.subject is Subject.INDICATOR_SET and closed.unit_id == pegawai.position.unit_id
        assert services.state(closed) == "closed" and closed.closes_on - closed.opens_on == timedelta(days=14)
        assert running.subject is Subject.SETTINGS and services.state(running) == "open"
        by = {c.id: {a.employee_id for a in db.session.scalars(select(Answer).where(Answer.consultation_id == c.id))}
              for c in (closed, running)}
        assert pegawai.id in by[closed.id] and len(by[closed.id]) >= 2
        assert pegawai.id not in by[running.id] and len(by[running.id]) >= 2
        user = db.session.scalar(select(m.User).where(m.User.employee_id == pegawai.id))
        assert len(db.session.scalars(select(m.Notification.id).where(
            m.Notification.user_id == user.id, m.Notification.kind == "consultation.open")).all()) == 2
        # What the admin does in the demo: respond, adopt, publish — and the year's plans may lock.
        admin = db.session.scalar(select(m.User).where(m.User.username == "admin"))
        year = closed.period
        assert lock_blockers(year, tenant_today())
        for answer in db.session.scalars(select(Answer).where(Answer.consultation_id == closed.id,
                                                               Answer.comment.is_not(None))):
            services.respond(admin, closed, answer.id, "Terima kasih, masukan kami pertimbangkan.")
        services.decide(admin, closed, Decision.ADOPTED)
        services.publish(admin, closed)
        assert lock_blockers(year, tenant_today()) == []
        db.session.rollback()
    in_t(app, check, slug="sawahlunto")
    assert in_t(app, lambda: db.session.scalars(select(Consultation)).all(), slug="kota-x") == []
