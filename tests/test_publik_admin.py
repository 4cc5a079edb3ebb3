"""The admin's side: QR codes, IKM view, complaint workflow, publications
with suppression, the Salor follow-up path and the plugin inputs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.org.models import Unit
from app.publik import complaints, surveys, transparency
from app.publik.models import Complaint, ComplaintStatus, FollowUpItem, Publication, SurveyResponse
from app.publik.periods import ReportingPeriod
from app.regions.inputs import Complaint as PluginComplaint
from app.regions.inputs import UnitSatisfaction
from app.tenancy import all_tenants, tenant_scope, tenant_today
from tests.conftest import login, make_org, make_tenant
from tests.publik_support import file_complaint


@pytest.fixture
def web(app, two_tenants, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    return two_tenants


def _admin(app, slug="kota-a"):
    client = app.test_client()
    assert login(client, slug, "admin").status_code == 302
    return client


def _add_responses(app, org, day: date, answers_list):
    with app.app_context():
        with all_tenants("test"):
            tenant_id = db.session.get(Unit, org.unit_id).tenant_id
        from app.tenancy.models import Tenant

        with all_tenants("test"):
            tenant = db.session.get(Tenant, tenant_id)
        with tenant_scope(tenant):
            for answers in answers_list:
                db.session.add(SurveyResponse(unit_id=org.unit_id, submitted_on=day,
                                              **{f"u{i}": a for i, a in enumerate(answers, start=1)}))
            db.session.commit()
        db.session.remove()


def test_admin_prints_a_qr_code_per_unit(app, web):
    a, _ = web
    admin = _admin(app)
    index = admin.get("/kota-a/admin/publik/").get_data(as_text=True)
    assert f"/kota-a/publik/survei/{a.unit_id}" in index
    svg = admin.get(f"/kota-a/admin/publik/qr/{a.unit_id}.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    poster = admin.get(f"/kota-a/admin/publik/cetak/{a.unit_id}").get_data(as_text=True)
    assert f"http://localhost/kota-a/publik/survei/{a.unit_id}" in poster
    # Everything here is for the admin only.
    pegawai = app.test_client()
    login(pegawai, "kota-a", "pegawai")
    assert pegawai.get("/kota-a/admin/publik/").status_code == 403
    assert pegawai.get(f"/kota-a/admin/publik/qr/{a.unit_id}.svg").status_code == 403


def test_admin_sees_element_scores_and_the_trend(app, web):
    a, _ = web
    year = tenant_today().year
    _add_responses(app, a, date(year, 2, 10), [(4, 4, 3, 3, 3, 3, 4, 2, 3), (3, 4, 3, 2, 3, 4, 4, 3, 3)])
    _add_responses(app, a, date(year, 5, 10), [(4,) * 9])
    admin = _admin(app)
    q1 = admin.get(f"/kota-a/admin/publik/ikm?tahun={year}&triwulan=1").get_data(as_text=True)
    assert "80.56" in q1 and "B · Baik" in q1 and "3.50" in q1
    detail = admin.get(f"/kota-a/admin/publik/ikm/{a.unit_id}?tahun={year}&triwulan=0").get_data(as_text=True)
    # the trend line across quarters, as an SVG image (app.charts) with its numbers beside it
    import base64
    import re
    image = re.search(r'<figure class="chart"><img src="data:image/svg\+xml;base64,([^"]+)"', detail)
    svg = base64.b64decode(image.group(1)).decode()
    assert svg.startswith("<svg") and "<path" in svg
    # The year, by hand: answers add up to 29 + 29 + 36 = 94 over 3 × 9; 25 × 94 / 27 = 87.037… → 87.04.
    assert "87.04" in detail and "B · Baik" in detail


def _ref(app, slug):
    from app.tenancy import TenantRef
    from app.tenancy.models import Tenant

    with all_tenants("test"):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        return TenantRef(tenant.id, tenant.slug)


def test_the_complaint_workflow_from_inbox_to_closed(app, web):
    a, _ = web
    code = file_complaint(app.test_client(), "kota-a", a.unit_id, contact="0812-0000-1111")
    admin = _admin(app)
    inbox = admin.get("/kota-a/admin/publik/pengaduan").get_data(as_text=True)
    assert "ADU-00001" in inbox
    with app.app_context(), all_tenants("test"):
        complaint_id = db.session.scalar(select(Complaint.id))
    base = f"/kota-a/admin/publik/pengaduan/{complaint_id}"
    detail = admin.get(base).get_data(as_text=True)
    assert "0812-0000-1111" in detail  # the admin sees the contact

    # Responding before triage is refused and changes nothing.
    admin.post(f"{base}/jawab", data={"jawab-public_message": "Terlalu cepat"})
    assert _status(app, complaint_id) is ComplaintStatus.DITERIMA

    admin.post(f"{base}/telaah", data={"telaah-category": "biaya", "telaah-unit_id": str(a.unit_id),
                                       "telaah-note": "internal: cek CCTV", "telaah-public_message": ""})
    assert _status(app, complaint_id) is ComplaintStatus.DITELAAH
    admin.post(f"{base}/tugaskan", data={"tugas-unit_id": str(a.unit_id), "tugas-employee_id": str(a.penilai_id),
                                         "tugas-note": ""})
    assert _status(app, complaint_id) is ComplaintStatus.DITUGASKAN
    admin.post(f"{base}/jawab", data={"jawab-public_message": "Petugas telah ditegur dan biaya dikembalikan.",
                                      "jawab-note": ""})
    admin.post(f"{base}/tutup", data={"tutup-public_message": "Terima kasih atas laporan Anda.", "tutup-note": ""})
    assert _status(app, complaint_id) is ComplaintStatus.SELESAI

    # The tracking code travels in a POST body, never in a URL (issue #9, item 15).
    tracking = app.test_client().post("/kota-a/publik/lacak", data={"code": code}).get_data(as_text=True)
    for text in ("Selesai", "Dijawab", "Petugas telah ditegur dan biaya dikembalikan.", "Terima kasih atas laporan Anda."):
        assert text in tracking
    assert "cek CCTV" not in tracking and "0812-0000-1111" not in tracking and "Penilai" not in tracking
    with app.app_context(), all_tenants("test"):
        complaint = db.session.get(Complaint, complaint_id)
        assert [e.status for e in complaint.events] == [
            ComplaintStatus.DITERIMA, ComplaintStatus.DITELAAH, ComplaintStatus.DITUGASKAN,
            ComplaintStatus.DIJAWAB, ComplaintStatus.SELESAI]
        assert complaint.closed_at is not None and complaint.first_response_at is not None


def _status(app, complaint_id):
    with app.app_context(), all_tenants("test"):
        return db.session.get(Complaint, complaint_id).status


def test_publications_suppress_small_groups_and_subtraction_across_periods(app, web):
    a, _ = web
    year = tenant_today().year - 1
    _add_responses(app, a, date(year, 2, 1), [(4,) * 9] * 6)  # Q1: 6 respondents
    _add_responses(app, a, date(year, 5, 1), [(1,) * 9] * 2)  # Q2: 2 respondents
    admin = _admin(app)
    page = admin.post("/kota-a/admin/publik/publikasi",
                      data={"terbit-kind": "ikm", "terbit-year": str(year), "terbit-quarter": "2"})
    assert page.status_code == 302
    public = app.test_client().get("/kota-a/publik/").get_data(as_text=True)
    assert "&lt;5" in public and "25.00" not in public  # Q2's two respondents are hidden
    admin.post("/kota-a/admin/publik/publikasi", data={"terbit-kind": "ikm", "terbit-year": str(year),
                                                       "terbit-quarter": "1"})
    admin.post("/kota-a/admin/publik/publikasi", data={"terbit-kind": "ikm", "terbit-year": str(year),
                                                       "terbit-quarter": "0"})
    with app.app_context(), all_tenants("test"):
        pubs = {p.quarter: p.data["units"][0] for p in db.session.scalars(select(Publication))}
    assert pubs[1]["respondents"] == 6 and pubs[1]["ikm"] == "100.00"
    # The year (8) next to Q1 (6) would reveal Q2's 2 respondents: suppressed.
    assert pubs[0]["respondents"] is None and pubs[0]["ikm"] is None
    assert pubs[2]["respondents"] is None


def test_predikat_distribution_waits_for_evaluations(app, web):
    admin = _admin(app)
    page = admin.post("/kota-a/admin/publik/publikasi",
                      data={"terbit-kind": "predikat", "terbit-year": "2026", "terbit-quarter": "0"})
    assert page.status_code == 200
    assert "Belum ada hasil evaluasi kinerja pegawai" in page.get_data(as_text=True)
    with app.app_context(), all_tenants("test"):
        assert db.session.scalar(select(Publication)) is None


def test_the_predikat_snapshot_is_suppressed(app, web, monkeypatch):
    monkeypatch.setattr(transparency, "predikat_counts", lambda period: {
        "Dinas Kesehatan": {"sangat_baik": 1, "baik": 12, "butuh_perbaikan": 6},
        "Puskesmas Kecil": {"baik": 3}})
    admin = _admin(app)
    assert admin.post("/kota-a/admin/publik/publikasi", data={
        "terbit-kind": "predikat", "terbit-year": "2026", "terbit-quarter": "0"}).status_code == 302
    page = app.test_client().get("/kota-a/publik/").get_data(as_text=True)
    assert "Sebaran predikat" in page and "&lt;5" in page and "Puskesmas Kecil" in page
    with app.app_context(), all_tenants("test"):
        cells = db.session.scalar(select(Publication)).data["table"]["cells"]
    assert cells["Dinas Kesehatan"]["sangat_baik"] is None
    assert all(v is None for v in cells["Puskesmas Kecil"].values())


def test_walesi_public_report_is_published_for_download(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    with app.app_context():
        make_org(make_tenant("walesi", rule_set="walesi"))
    admin = _admin(app, "walesi")
    # The report is made of what is published for the period: publish the complaint statistics first.
    assert admin.post("/walesi/admin/publik/publikasi", data={
        "terbit-kind": "pengaduan", "terbit-year": "2026", "terbit-quarter": "0"}).status_code == 302
    assert admin.post("/walesi/admin/publik/publikasi", data={
        "terbit-kind": "laporan", "terbit-year": "2026", "terbit-quarter": "0"}).status_code == 302
    public = app.test_client()
    with app.app_context(), all_tenants("test"):
        pub_id = db.session.scalar(select(Publication.id).where(Publication.kind == "laporan"))
    report = public.get(f"/walesi/publik/unduh/{pub_id}")
    assert report.status_code == 200 and "Laporan Kinerja untuk Publik" in report.get_data(as_text=True)
    with app.app_context():
        make_org(make_tenant("kota-n", rule_set="nasional"))
    # The national rule set has no public report format: nothing to publish.
    refused = _admin(app, "kota-n").post("/kota-n/admin/publik/publikasi", data={
        "terbit-kind": "laporan", "terbit-year": "2026", "terbit-quarter": "0"})
    assert "tidak memiliki format laporan untuk publik" in refused.get_data(as_text=True)


# --- Salor: a substantiated complaint about an employee ----------------------------------------

@pytest.fixture
def salor(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    with app.app_context():
        org = make_org(make_tenant("salor", rule_set="salor"))
        other = make_org(make_tenant("kota-n", rule_set="nasional"), prefix="N ")
    return org, other


def _substantiate(app, slug, org):
    file_complaint(app.test_client(), slug, org.unit_id, employee_id=str(org.pegawai_id))
    with app.app_context(), all_tenants("test"):
        complaint_id = db.session.scalar(select(Complaint.id).join(Unit, Complaint.unit_id == Unit.id)
                                         .where(Unit.id == org.unit_id))
    admin = _admin(app, slug)
    base = f"/{slug}/admin/publik/pengaduan/{complaint_id}"
    admin.post(f"{base}/telaah", data={"telaah-category": "perilaku", "telaah-unit_id": str(org.unit_id)})
    response = admin.post(f"{base}/temuan", data={"temuan-substantiated": "1", "temuan-note": ""})
    assert response.status_code == 302
    return complaint_id


def test_salor_substantiated_complaint_creates_a_follow_up_for_the_supervisor(app, salor):
    org, other = salor
    complaint_id = _substantiate(app, "salor", org)
    with app.app_context(), all_tenants("test"):
        items = db.session.scalars(select(FollowUpItem).where(FollowUpItem.complaint_id == complaint_id)).all()
        assert {i.kind for i in items} == {"evaluasi_ulang", "pelatihan"}
        assert all(i.employee_id == org.pegawai_id and i.supervisor_id == org.penilai_id for i in items)
        assert all(i.rule_set_code == "salor" and f"ADU-{complaint_id:05d}" in i.reason for i in items)
        assert all(i.due_on == tenant_today() + timedelta(days=30) for i in items)

    penilai = app.test_client()
    login(penilai, "salor", "penilai")
    home = penilai.get("/salor/").get_data(as_text=True)
    assert "Tindak lanjut pengaduan masyarakat" in home and "Evaluasi kinerja lanjutan" in home
    for role in ("pegawai", "atasan"):
        client = app.test_client()
        login(client, "salor", role)
        assert "Tindak lanjut pengaduan masyarakat" not in client.get("/salor/").get_data(as_text=True)
        assert client.post(f"/salor/tindak-lanjut/{items[0].id}/selesai").status_code == 404
    assert penilai.post(f"/salor/tindak-lanjut/{items[0].id}/selesai").status_code == 302
    with app.app_context(), all_tenants("test"):
        assert db.session.get(FollowUpItem, items[0].id).done_at is not None

    # Recording the finding again does not duplicate the follow-up.
    admin = _admin(app, "salor")
    admin.post(f"/salor/admin/publik/pengaduan/{complaint_id}/temuan", data={"temuan-substantiated": "1"})
    with app.app_context(), all_tenants("test"):
        assert len(db.session.scalars(select(FollowUpItem)).all()) == 2

    # A region whose rules ask for no follow-up gets none.
    _substantiate(app, "kota-n", other)
    with app.app_context(), all_tenants("test"):
        assert len(db.session.scalars(select(FollowUpItem)).all()) == 2


def test_plugin_inputs_for_a_unit_and_an_employee(app, salor):
    org, _ = salor
    complaint_id = _substantiate(app, "salor", org)
    _add_responses(app, org, tenant_today(), [(4, 4, 3, 3, 3, 3, 4, 2, 3), (3, 4, 3, 2, 3, 4, 4, 3, 3)])
    period = ReportingPeriod.calendar_year(tenant_today().year)
    with app.app_context(), tenant_scope(_ref(app, "salor")):
        from app.org.models import Employee

        unit = db.session.get(Unit, org.unit_id)
        employee = db.session.get(Employee, org.pegawai_id)
        assert surveys.unit_satisfaction(unit, period) == UnitSatisfaction(
            unit.code, 80.56, 2, f"Tahun {tenant_today().year}")
        about = complaints.complaints_about(employee, period)
        assert about == (PluginComplaint(f"ADU-{complaint_id:05d}", tenant_today(), True, "perilaku"),)
        figures = complaints.unit_complaint_figures(unit, period)
        assert (figures.received, figures.resolved, figures.substantiated) == (1, 0, 1)
        assert complaints.complaints_about(employee, ReportingPeriod.calendar_year(2000)) == ()
    # Another tenant sees none of it.
    with app.app_context(), tenant_scope(_ref(app, "kota-n")):
        assert surveys.unit_satisfaction(unit, period) is None
        assert complaints.complaints_about(employee, period) == ()


def test_a_finding_shows_as_a_label_in_the_history_not_as_a_code(app, web):
    a, _ = web
    file_complaint(app.test_client(), "kota-a", a.unit_id)
    admin = _admin(app)
    with app.app_context(), all_tenants("test"):
        complaint_id = db.session.scalar(select(Complaint.id))
    base = f"/kota-a/admin/publik/pengaduan/{complaint_id}"
    admin.post(f"{base}/telaah", data={"telaah-category": "biaya", "telaah-unit_id": str(a.unit_id),
                                       "telaah-note": "", "telaah-public_message": ""})
    admin.post(f"{base}/temuan", data={"temuan-substantiated": "1", "temuan-note": "saksi dua orang"})
    admin.post(f"{base}/temuan", data={"temuan-substantiated": "0", "temuan-note": ""})
    page = admin.get(base).get_data(as_text=True)
    history = page.split("timeline", 1)[1]
    assert "[terbukti]" not in page and "[tidak terbukti]" not in page
    assert "Hasil pemeriksaan: <strong>Terbukti</strong>" in history
    assert "Hasil pemeriksaan: <strong>Tidak terbukti</strong>" in history
    assert "Catatan: saksi dua orang" in history
