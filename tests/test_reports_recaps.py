"""BKPSDM recaps (issue #10, item 6): the screen, the XLSX and the CSV agree, for
a hand-built tenant with known data; admin only; the filter travels; tenant B's
ids are refused."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from app import models as m
from app.extensions import db
from app.periods.models import Period, PeriodKind
from app.tenancy import tenant_scope
from tests.conftest import login, make_org, make_tenant

HOSTILE_NAME = '=HYPERLINK("http://jahat.example","Klik")'
PUSK_NIPS = ("198501012010012001", "199002022015032002", "198803032012121003")


@dataclass
class World:
    org: object
    year_id: int
    q1_id: int
    q2_id: int
    pusk_id: int
    bkpsdm_id: int


def _evaluation(plan, period, code, label, org_predikat=None):
    return m.Evaluation(plan=plan, period=period, status=m.EvaluationStatus.FINAL, predikat_code=code,
                        predikat_label=label, rule_set_code="nasional", rule_set_version="test",
                        inputs={"organisation_predikat": org_predikat} if org_predikat else {})


def build_world(org) -> World:
    """DINKES (make_org: 5 people) with Puskesmas below it (3 people) and a BKPSDM
    beside it (1 person, no plan). Q1 2026: DINKES all "baik" under organisation
    predikat "baik" (Tidak sesuai: nobody Butuh Perbaikan), the Puskesmas
    sangat baik / baik / butuh perbaikan (Sesuai)."""
    with tenant_scope(org.tenant):
        year = Period(year=2026, kind=PeriodKind.YEAR, sequence=1, starts_on=date(2026, 1, 1),
                      ends_on=date(2026, 12, 31))
        quarters = [Period(year=2026, kind=PeriodKind.QUARTER, sequence=q, parent=year,
                           starts_on=date(2026, 3 * q - 2, 1), ends_on=date(2026, 3 * q, 31 if q in (1, 4) else 30))
                    for q in range(1, 5)]
        pusk = m.Unit(code="PUSK-1", name="Puskesmas Sehat", kind="puskesmas", parent_id=org.unit_id)
        bkpsdm = m.Unit(code="BKPSDM", name="Badan Kepegawaian", kind="badan")
        db.session.add_all([year, *quarters, pusk, bkpsdm])
        db.session.flush()
        kapus = m.Position(code="KAPUS", name="Kepala Puskesmas", kind="pengawas", unit_id=pusk.id,
                           reports_to_id=org.position_ids["KADIS"])
        bidan = m.Position(code="BIDAN", name="Bidan Terampil", kind="fungsional", unit_id=pusk.id,
                           reports_to_id=None, grade="terampil")
        analis = m.Position(code="ASDM", name="Analis SDM", kind="fungsional", unit_id=bkpsdm.id)
        db.session.add_all([kapus, bidan, analis])
        db.session.flush()
        people = [
            m.Employee(nip=PUSK_NIPS[0], name="Ani Kapus", sex="P", employee_type="PNS", position_id=kapus.id,
                       rank_code="III/d", rank_tmt=date(2020, 4, 1)),
            m.Employee(nip=PUSK_NIPS[1], name="Bidan Budi", sex="P", employee_type="PNS", position_id=bidan.id,
                       rank_code="III/a", rank_tmt=date(2021, 10, 1)),
            m.Employee(nip=PUSK_NIPS[2], name=HOSTILE_NAME, sex="L", employee_type="PNS", position_id=bidan.id),
            m.Employee(nip="199101012019031004", name="Citra Analis", sex="P", employee_type="PNS",
                       position_id=analis.id),
        ]
        db.session.add_all(people)
        db.session.flush()

        def plan(employee_id, status):
            p = m.Plan(employee_id=employee_id, period=year, status=status, position_name="", unit_name="")
            db.session.add(p)
            return p

        q1 = quarters[0]
        dinkes_plans = [plan(org.pegawai_id, m.PlanStatus.AGREED), plan(org.peer_id, m.PlanStatus.SUBMITTED),
                        plan(org.penilai_id, m.PlanStatus.DRAFT), plan(org.atasan_id, m.PlanStatus.RETURNED)]
        pusk_plans = [plan(e.id, m.PlanStatus.AGREED) for e in people[:3]]
        evaluations = [_evaluation(p, q1, "baik", "Baik", "baik") for p in dinkes_plans]
        evaluations += [_evaluation(pusk_plans[0], q1, "sangat_baik", "Sangat Baik", "baik"),
                        _evaluation(pusk_plans[1], q1, "baik", "Baik", "baik"),
                        _evaluation(pusk_plans[2], q1, "butuh_perbaikan", "Butuh Perbaikan", "baik")]
        db.session.add_all(evaluations)
        db.session.flush()
        db.session.add_all([
            m.Objection(evaluation_id=evaluations[0].id, lodged_by_id=org.user_ids["pegawai"],
                        deadline=date(2026, 4, 19), reasons="Keberatan", status=m.ObjectionStatus.CHANGED),
            m.Objection(evaluation_id=evaluations[1].id, lodged_by_id=org.user_ids["pegawai"],
                        deadline=date(2026, 4, 19), reasons="Keberatan"),
        ])
        course = m.TrainingCourse(code="TIK", name="Pelatihan TIK", hours=20, topics=["tik"])
        db.session.add(course)
        db.session.flush()
        db.session.add_all([
            m.TrainingRecord(employee_id=org.pegawai_id, course_id=course.id, recommendation_code="tik",
                             reason="TIK", year=2026, status=m.TrainingStatus.COMPLETED),
            m.TrainingRecord(employee_id=org.peer_id, course_id=course.id, recommendation_code="tik",
                             reason="TIK", year=2026),
            m.TrainingRecord(employee_id=people[1].id, course_id=course.id, recommendation_code="tik",
                             reason="TIK", year=2025, status=m.TrainingStatus.COMPLETED),
        ])
        db.session.add_all([
            m.SurveyResponse(unit_id=pusk.id, submitted_on=date(2026, 2, 1), **{f"u{i}": 4 for i in range(1, 10)}),
            m.SurveyResponse(unit_id=pusk.id, submitted_on=date(2026, 2, 2), **{f"u{i}": 3 for i in range(1, 10)}),
            m.Complaint(tracking_code="ALFA00000001", category="pelayanan", unit_id=pusk.id, description="Lambat",
                        received_on=date(2026, 2, 1), received_at=datetime(2026, 2, 1, 1, 0),
                        first_response_at=datetime(2026, 2, 3, 2, 0), closed_at=datetime(2026, 2, 10, 13, 0),
                        status="selesai", substantiated=True),
            m.Complaint(tracking_code="ALFA00000002", category="biaya", unit_id=org.unit_id,
                        description="Pungutan", received_on=date(2026, 3, 5), received_at=datetime(2026, 3, 5, 1, 0)),
        ])
        db.session.commit()
        return World(org, year.id, q1.id, quarters[1].id, pusk.id, bkpsdm.id)


@pytest.fixture
def world(app):
    with app.app_context():
        org = make_org(make_tenant("kota-a"))
        built = build_world(org)
        db.session.remove()
    return built


@pytest.fixture
def admin(client, world):
    assert login(client, "kota-a", "admin").status_code == 302
    return client


def _xlsx(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Cache-Control"] == "private, no-store"
    return response, load_workbook(io.BytesIO(response.data)).active


def _data(ws):
    return [list(row) for row in ws.iter_rows(min_row=4, values_only=True)]


def _by_name(rows, index):
    return {row[index]: row for row in rows}


# --- the XLSX itself -----------------------------------------------------------------------

def test_roster_xlsx_keeps_nip_as_text_freezes_filters_and_neutralises(admin, world):
    response, ws = _xlsx(admin, "/kota-a/admin/rekap/pegawai/unduh.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert 'filename=rekap-pegawai.xlsx' in response.headers["Content-Disposition"]
    assert "Pemerintah Kota Kota-A" in ws["A1"].value and "Daftar pegawai" in ws["A1"].value
    assert "Dibuat" in ws["A2"].value
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref.startswith("A3:")
    assert [c.value for c in ws[3]][:3] == ["No", "NIP", "Nama"]
    nip_cells = [row[1] for row in ws.iter_rows(min_row=4)]
    assert len(nip_cells) == 9
    for cell in nip_cells:
        assert isinstance(cell.value, str) and len(cell.value) == 18 and cell.value.isdigit()
        assert cell.number_format == "@"
    rows = _by_name(_data(ws), 1)
    hostile = rows[PUSK_NIPS[2]]
    assert hostile[2] == "'" + HOSTILE_NAME and ws.cell(row=4, column=3).data_type == "s"
    kapus = rows[PUSK_NIPS[0]]
    assert kapus[3] == "Penata Tk. I / III/d" or kapus[3].endswith("III/d")
    assert kapus[4].date() == date(2020, 4, 1)  # a real date
    assert kapus[8] == "Puskesmas Sehat" and kapus[9] == "Dinas Kesehatan"
    assert rows[PUSK_NIPS[1]][7] == "Terampil"
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in ws.iter_rows() for c in row)


def test_csv_has_the_same_rows_as_the_xlsx(admin, world):
    _response, ws = _xlsx(admin, f"/kota-a/admin/rekap/status-skp/unduh.xlsx?periode={world.q1_id}")
    response = admin.get(f"/kota-a/admin/rekap/status-skp/unduh.csv?periode={world.q1_id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename=rekap-status-skp-2026-triwulan-i.csv' in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    header = [c.value for c in ws[3]]
    assert parsed[0] == header
    assert [[_same(v) for v in row] for row in parsed[1:]] == [[_same(v) for v in row] for row in _data(ws)]


def _same(value):
    """A cell as text or number, whichever it reads as (XLSX stores 0.0 as 0)."""
    if value is None or value == "":
        return ""
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def test_roster_csv_neutralises_formulas(admin, world):
    text = admin.get("/kota-a/admin/rekap/pegawai/unduh.csv").data.decode("utf-8")
    assert "'=HYPERLINK" in text
    assert PUSK_NIPS[0] in text


# --- the numbers ------------------------------------------------------------------------------

def test_predikat_recap_equals_the_unit_distribution_screen(app, admin, world):
    from app.skp.evaluation.unit import unit_spread

    response, ws = _xlsx(admin, f"/kota-a/admin/rekap/predikat/unduh.xlsx?periode={world.q1_id}")
    assert "rekap-predikat-2026-triwulan-i.xlsx" in response.headers["Content-Disposition"]
    header = [c.value for c in ws[3]]
    rows = _by_name(_data(ws), 2)
    with app.app_context(), tenant_scope(world.org.tenant):
        for unit_id, name in ((world.org.unit_id, "Dinas Kesehatan"), (world.pusk_id, "Puskesmas Sehat")):
            unit = db.session.get(m.Unit, unit_id)
            spread = unit_spread(unit, db.session.get(Period, world.q1_id))
            row = rows[name]
            assert row[header.index("Dinilai")] == spread.total
            for code, count in spread.counts.items():
                assert row[header.index(spread.labels[code])] == count
            assert row[header.index("Pola distribusi")] == ("Sesuai" if spread.check.ok else "Tidak sesuai")
    assert rows["Dinas Kesehatan"][header.index("Pola distribusi")] == "Tidak sesuai"
    assert rows["Dinas Kesehatan"][header.index("Jumlah pegawai")] == 5
    assert rows["Dinas Kesehatan"][header.index("Belum dinilai")] == 1
    assert rows["Puskesmas Sehat"][header.index("Pola distribusi")] == "Sesuai"
    assert rows["Puskesmas Sehat"][header.index("% Sangat Baik")] == pytest.approx(33.3)
    assert rows["Badan Kepegawaian"][header.index("Pola distribusi")] == "Belum ada penilaian"
    assert rows["Dinas Kesehatan"][header.index("Predikat kinerja organisasi")] == "Baik"


def test_screen_shows_the_same_table_as_the_download(admin, world):
    html = admin.get(f"/kota-a/admin/rekap/predikat?periode={world.q1_id}").get_data(as_text=True)
    assert "Tidak sesuai" in html and "Sesuai" in html
    assert f"/kota-a/admin/rekap/predikat/unduh.xlsx?periode={world.q1_id}" in html
    assert f"/kota-a/admin/rekap/predikat/unduh.csv?periode={world.q1_id}" in html


def test_each_units_curve_on_screen_and_in_the_pdf(admin, world, tmp_path):
    """The kurva distribusi per unit: a chart per rated unit with its verdict, the unit that
    breaks its curve marked, and every curve in one PDF that reads back with its figures."""
    from tests.reports_support import pdftotext

    html = admin.get(f"/kota-a/admin/rekap/predikat?periode={world.q1_id}").get_data(as_text=True)
    section = html[html.index('id="kurva"'):]
    assert section.count('<figure class="chart">') == 2  # Dinas Kesehatan and the Puskesmas; BKPSDM is unrated
    assert "Dinas Kesehatan — predikat organisasi Baik" in section
    assert "Tidak sesuai" in section and "Sesuai" in section
    assert f"/kota-a/admin/rekap/predikat/kurva.pdf?periode={world.q1_id}" in section  # the page's filter
    url = f"/kota-a/admin/rekap/predikat/kurva.pdf?periode={world.q1_id}&unit={world.pusk_id}"
    response = admin.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "kurva-distribusi-2026-triwulan-i-pusk-1.pdf" in response.headers["Content-Disposition"]
    text = " ".join(pdftotext(response.data, tmp_path).split())
    assert "KURVA DISTRIBUSI PREDIKAT KINERJA PEGAWAI PER UNIT" in text
    assert "Puskesmas Sehat" in text and "Sesuai" in text and "Dinas Kesehatan — predikat" not in text
    whole = " ".join(pdftotext(admin.get(f"/kota-a/admin/rekap/predikat/kurva.pdf?periode={world.q1_id}").data,
                               tmp_path, "all").split())
    assert "Dinas Kesehatan" in whole and "Tidak sesuai" in whole


def test_status_recap_counts_plans_per_opd(admin, world):
    _response, ws = _xlsx(admin, f"/kota-a/admin/rekap/status-skp/unduh.xlsx?periode={world.q1_id}")
    header = [c.value for c in ws[3]]
    assert header[:8] == ["No", "Perangkat daerah", "Jumlah pegawai", "Draf", "Diajukan", "Dikembalikan",
                          "Disetujui", "Belum menyusun SKP"]
    rows = _by_name(_data(ws), 1)
    # The Puskesmas counts in its OPD, the Dinas Kesehatan.
    assert rows["Dinas Kesehatan"][2:8] == [8, 1, 1, 1, 4, 1]
    assert rows["Dinas Kesehatan"][8] == pytest.approx(50.0)
    assert rows["Badan Kepegawaian"][2:8] == [1, 0, 0, 0, 0, 1]


def test_unit_filter_is_reflected_in_the_download(admin, world):
    url = f"/kota-a/admin/rekap/status-skp/unduh.xlsx?periode={world.year_id}&unit={world.pusk_id}"
    response, ws = _xlsx(admin, url)
    assert "rekap-status-skp-2026-pusk-1.xlsx" in response.headers["Content-Disposition"]
    assert "Puskesmas Sehat" in ws["A2"].value and "2026" in ws["A2"].value
    rows = _data(ws)
    assert [r[1] for r in rows] == ["Puskesmas Sehat"]
    assert rows[0][2:8] == [3, 0, 0, 0, 3, 0]
    html = admin.get(f"/kota-a/admin/rekap/status-skp?periode={world.year_id}&unit={world.pusk_id}").get_data(
        as_text=True)
    assert f"unduh.xlsx?periode={world.year_id}&amp;unit={world.pusk_id}" in html


def test_period_filter_changes_the_predikat_rows(admin, world):
    _response, ws = _xlsx(admin, f"/kota-a/admin/rekap/predikat/unduh.xlsx?periode={world.q2_id}")
    header = [c.value for c in ws[3]]
    assert all(row[header.index("Dinilai")] == 0 for row in _data(ws))


def test_objection_training_ikm_and_complaint_recaps(admin, world):
    _r, ws = _xlsx(admin, f"/kota-a/admin/rekap/keberatan/unduh.xlsx?periode={world.q1_id}")
    assert _by_name(_data(ws), 1)["Dinas Kesehatan"][2:7] == [2, 1, 1, 0, 1]
    _r, ws = _xlsx(admin, f"/kota-a/admin/rekap/pelatihan/unduh.xlsx?periode={world.q1_id}")
    row = _by_name(_data(ws), 1)["Dinas Kesehatan"]
    assert row[2:9] == [2, 1, 0, 1, 0, 20.0, 1]  # the 2025 record does not count in 2026
    _r, ws = _xlsx(admin, f"/kota-a/admin/rekap/ikm/unduh.xlsx?periode={world.q1_id}")
    header = [c.value for c in ws[3]]
    pusk = _by_name(_data(ws), 2)["Puskesmas Sehat"]
    assert pusk[header.index("Responden")] == 2 and pusk[header.index("IKM")] == 87.5
    assert pusk[header.index("Mutu pelayanan")] == "B · Baik"
    _r, ws = _xlsx(admin, f"/kota-a/admin/rekap/pengaduan/unduh.xlsx?periode={world.q1_id}")
    header = [c.value for c in ws[3]]
    rows = _by_name(_data(ws), 3)
    done = rows["Puskesmas Sehat"]
    assert done[header.index("Diterima")].date() == date(2026, 2, 1)
    assert done[header.index("Tanggapan pertama")].date() == date(2026, 2, 3)
    assert done[header.index("Hari sampai tanggapan")] == 2
    assert done[header.index("Hari sampai selesai")] == 9.5
    assert done[header.index("Terbukti")] == "Ya"
    assert rows["Dinas Kesehatan"][header.index("Selesai")] is None


def test_index_lists_every_recap(admin, world):
    html = admin.get("/kota-a/admin/rekap/").get_data(as_text=True)
    for kind in ("status-skp", "predikat", "pegawai", "ikm", "pengaduan", "keberatan", "pelatihan"):
        assert f"/kota-a/admin/rekap/{kind}" in html


# --- who and what may ask ---------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/kota-a/admin/rekap/", "/kota-a/admin/rekap/predikat",
                                 "/kota-a/admin/rekap/pegawai/unduh.xlsx", "/kota-a/admin/rekap/pegawai/unduh.csv"])
def test_non_admin_is_refused(client, world, url):
    assert login(client, "kota-a", "penilai").status_code == 302
    assert client.get(url).status_code == 403


def test_another_tenants_unit_or_period_is_404(app, admin, world):
    with app.app_context():
        other = make_org(make_tenant("kota-b"), prefix="Beta ")
        with tenant_scope(other.tenant):
            period = Period(year=2026, kind=PeriodKind.YEAR, sequence=1, starts_on=date(2026, 1, 1),
                            ends_on=date(2026, 12, 31))
            db.session.add(period)
            db.session.commit()
            period_id = period.id
        db.session.remove()
    for suffix in ("", "/unduh.xlsx", "/unduh.csv"):
        assert admin.get(f"/kota-a/admin/rekap/pegawai{suffix}?unit={other.unit_id}").status_code == 404
        assert admin.get(f"/kota-a/admin/rekap/predikat{suffix}?periode={period_id}").status_code == 404
    body = admin.get("/kota-a/admin/rekap/pegawai/unduh.csv").data.decode("utf-8")
    assert "Beta" not in body


@pytest.mark.parametrize("query", ["periode=abc", "periode=-1", "periode=99999999999999999999", "unit=%00",
                                   "unit=1e309", "periode=%EF%BC%91", "unit=&periode=", "unit=-5"])
def test_hostile_query_values_never_fail(admin, world, query):
    for suffix in ("", "/unduh.xlsx", "/unduh.csv"):
        assert admin.get(f"/kota-a/admin/rekap/predikat{suffix}?{query}").status_code in (200, 404)
    assert admin.get("/kota-a/admin/rekap/tidak-ada").status_code == 404


def test_default_period_is_the_latest_ended(app, world):
    from app.reports.recaps import default_period, tenant_periods

    with app.app_context(), tenant_scope(world.org.tenant):
        periods = tenant_periods()
        assert default_period(periods, date(2026, 5, 10)).id == world.q1_id
        assert default_period(periods, date(2027, 1, 5)).kind is PeriodKind.YEAR
        assert default_period(periods, date(2026, 2, 1)).label == "Triwulan 1 2026"
