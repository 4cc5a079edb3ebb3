"""Role dashboards on the home page: the admin's figures per OPD and period, the penilai's team,
the pegawai's own results — read back from each chart's accessible table — and a constant
number of statements however large the tenant."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from app import models as m
from app.extensions import db
from app.org import services as org_services
from app.org.models import Employee, Position
from app.periods.models import Period, PeriodKind
from app.publik.models import Complaint, ComplaintCategory, ComplaintStatus, SurveyResponse
from app.tenancy import frozen_clock, tenant_scope
from tests.conftest import login, make_cycle

TODAY = date(2026, 11, 23)  # in Triwulan 4 2026
_NIPS = (f"1991{mo:02d}{d:02d}2016{mo:02d}{s}{n:03d}" for mo in range(1, 13) for d in range(1, 29)
         for s in (1, 2) for n in range(1, 1000))


def _period(kind: PeriodKind, sequence: int = 1) -> Period:
    return db.session.scalar(select(Period).where(Period.kind == kind, Period.sequence == sequence,
                                                  Period.year == 2026))


def _staff(org, name: str, position_id: int, plan_status=None, q1_predikat: str | None = None):
    person = Employee(nip=next(_NIPS), name=name, sex="P", employee_type="PNS", position_id=position_id)
    db.session.add(person)
    if plan_status is not None:
        plan = m.Plan(employee=person, period=_period(PeriodKind.YEAR), status=plan_status)
        db.session.add(plan)
        if q1_predikat:
            label = q1_predikat.replace("_", " ").title()
            db.session.add(m.Evaluation(plan=plan, period=_period(PeriodKind.QUARTER, 1),
                                        status=m.EvaluationStatus.FINAL, predikat_code=q1_predikat,
                                        predikat_label=label, delivered_on=date(2026, 4, 5)))
    return person


def _complaint(unit_id: int, code: str, received: date, status=ComplaintStatus.DITERIMA, responded=False):
    at = datetime(received.year, received.month, received.day, 3)
    db.session.add(Complaint(tracking_code=code, category=ComplaintCategory.PELAYANAN, unit_id=unit_id,
                             description="Antrean lama", status=status, received_at=at, received_on=received,
                             first_response_at=at + timedelta(days=1) if responded else None,
                             closed_at=at + timedelta(days=2) if status is ComplaintStatus.SELESAI else None))


@pytest.fixture
def tenant(app, two_tenants):
    """Kota A: Dinas Kesehatan (the cycle's people plus three rated staff: Q1 has one Sangat Baik,
    three Baik, one Butuh Perbaikan) and Dinas Pendidikan (a child unit, two people: one draft
    plan, one without a plan); four complaints and two survey responses."""
    a, _ = two_tenants
    with app.app_context():
        a.cycle = make_cycle(a, year=2026)
        with tenant_scope(a.tenant):
            staf = a.position_ids["STAF"]
            db.session.add(m.Plan(employee_id=a.peer_id, period_id=a.cycle.year_period_id,
                                  status=m.PlanStatus.SUBMITTED))
            _staff(a, "Staf Satu", staf, m.PlanStatus.AGREED, "sangat_baik")
            _staff(a, "Staf Dua", staf, m.PlanStatus.AGREED, "baik")
            _staff(a, "Staf Tiga", staf, m.PlanStatus.AGREED, "butuh_perbaikan")
            _staff(a, "Staf Empat", staf, m.PlanStatus.AGREED, "baik")
            opd = org_services.save_unit(org_services.UnitData("DISDIK", "Dinas Pendidikan", "dinas"))
            db.session.flush()
            child = org_services.save_unit(org_services.UnitData("SD1", "SD Negeri 1", "lainnya", opd.id))
            db.session.flush()
            position = Position(code="GURU", name="Guru", kind="fungsional", unit_id=child.id)
            db.session.add(position)
            db.session.flush()
            _staff(a, "Guru Satu", position.id, m.PlanStatus.DRAFT)
            _staff(a, "Guru Dua", position.id)
            _complaint(a.unit_id, "AAAA0001", date(2026, 11, 1))  # overdue: no response after 22 days
            _complaint(a.unit_id, "AAAA0002", date(2026, 11, 21))  # open, still within 5 days
            _complaint(a.unit_id, "AAAA0003", date(2026, 11, 1), ComplaintStatus.DIJAWAB, responded=True)
            _complaint(a.unit_id, "AAAA0004", date(2026, 10, 1), ComplaintStatus.SELESAI, responded=True)
            for _i in range(2):
                db.session.add(SurveyResponse(unit_id=a.unit_id, submitted_on=date(2026, 2, 10),
                                              **{f"u{k}": 4 for k in range(1, 10)}))
            db.session.commit()
        db.session.remove()
    with frozen_clock(TODAY):
        yield a


def _page(client, url="/kota-a/") -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _section(html: str, section_id: str) -> str:
    start = html.find(f'id="{section_id}"')
    if start < 0:
        return ""
    return html[start:html.find("</section>", start)]


def _tables(html: str) -> dict[str, list[list[str]]]:
    """Each chart's accessible table: caption → rows of cell texts (the row header first)."""
    found = {}
    for caption, body in re.findall(r'<div class="visually-hidden"><table><caption>(.*?)</caption>.*?<tbody>(.*?)</tbody>',
                                    html, re.S):
        rows = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]
        found[caption] = rows
    return found


def _q1_id(app, org) -> int:
    with app.app_context(), tenant_scope(org.tenant):
        return _period(PeriodKind.QUARTER, 1).id


def test_admin_dashboard_counts_per_opd_curve_ikm_and_complaints(app, client, tenant):
    login(client, "kota-a", "admin")
    html = _page(client, f"/kota-a/?periode={_q1_id(app, tenant)}")
    board = _section(html, "dasbor-instansi")
    assert "Triwulan 1 2026" in board and "data:image/svg+xml;base64," in board and "<script" not in board
    tables = _tables(board)
    plans = tables["SKP tahun 2026 per perangkat daerah"]
    # Disetujui, Diajukan, Dikembalikan, Draf, Belum ada SKP
    assert plans == [["Dinas Kesehatan", "5", "1", "0", "0", "3"], ["Dinas Pendidikan", "0", "0", "0", "1", "1"]]
    evaluations = tables["Penilaian Triwulan 1 2026 per perangkat daerah"]
    assert evaluations == [["Dinas Kesehatan", "5", "0", "4"], ["Dinas Pendidikan", "0", "0", "2"]]
    curve = tables["Kurva distribusi per unit kerja, Triwulan 1 2026"]
    # Dinas Kesehatan has ratings; the school has people but none rated (an empty unit is no row).
    assert dict((r[0], r[1]) for r in curve)["Belum ada penilaian"] == "1"
    assert int(dict((r[0], r[1]) for r in curve)["Sesuai"]) + int(dict((r[0], r[1]) for r in curve)["Tidak sesuai"]) == 1
    ikm = dict((r[0], r[1]) for r in tables["Unit layanan per mutu pelayanan (IKM), Triwulan 1 2026"])
    assert ikm["A · Sangat Baik"] == "1" and ikm["D · Tidak Baik"] == "0"
    assert "2 responden" in board
    complaints = dict((r[0], r[1]) for r in tables["Pengaduan terbuka"])
    assert complaints["Diterima"] == "2" and complaints["Dijawab"] == "1"
    assert complaints["Belum ditanggapi &gt; 5 hari"] == "1"


def test_admin_dashboard_defaults_to_the_latest_ended_period(app, client, tenant):
    login(client, "kota-a", "admin")
    board = _section(_page(client), "dasbor-instansi")
    assert "Dasbor instansi · Triwulan 3 2026" in board
    assert _section(_page(client, "/kota-a/?periode=999999"), "dasbor-instansi").count("Triwulan 3 2026") >= 1


def test_penilai_dashboard_shows_team_status_due_actions_and_predikat_spread(app, client, tenant):
    login(client, "kota-a", "penilai")
    board = _section(_page(client), "dasbor-tim")
    assert board, "no team dashboard"
    tables = _tables(board)
    status = dict((r[0], r[1]) for r in tables["SKP tim tahun 2026"])
    # The team (org chart): pegawai (agreed), peer (submitted), four staff (agreed).
    assert status == {"Disetujui": "5", "Diajukan": "1", "Dikembalikan": "0", "Draf": "0", "Belum disusun": "0"}
    # The latest period with evaluations is Q2 (the cycle's draft); the spread is Q1's, the latest rated.
    assert "Penilaian Triwulan 2 2026: 0 final, 1 draf" in " ".join(board.split())
    spread = tables["Predikat tim, Triwulan 1 2026"]
    assert [r[:2] for r in spread] == [["Sangat Kurang", "0"], ["Kurang", "0"], ["Butuh Perbaikan", "1"],
                                       ["Baik", "3"], ["Sangat Baik", "1"]]
    # Due: the peer's plan to agree, evaluations due (Q2 draft, Q3 for five agreed plans...), evidence.
    due = int(re.search(r"Tindakan yang menunggu saya: <strong>(\d+)</strong>", board).group(1))
    assert due >= 3


def test_pegawai_dashboard_shows_own_results_across_periods_and_years(app, client, tenant):
    with app.app_context(), tenant_scope(tenant.tenant):
        old_year = Period(year=2025, kind=PeriodKind.YEAR, sequence=1, starts_on=date(2025, 1, 1),
                          ends_on=date(2025, 12, 31))
        plan = m.Plan(employee_id=tenant.pegawai_id, period=old_year, status=m.PlanStatus.AGREED)
        db.session.add_all([old_year, plan, m.Evaluation(
            plan=plan, period=old_year, status=m.EvaluationStatus.FINAL, predikat_code="sangat_baik",
            predikat_label="Sangat Baik", score=110)])
        db.session.commit()
    login(client, "kota-a", "pegawai")
    board = _section(_page(client), "hasil-saya")
    tables = _tables(board)
    assert tables["Predikat saya per periode"] == [["2025", "Sangat Baik"], ["Triwulan 1 2026", "Baik"]]
    assert tables["Nilai saya per periode"] == [["2025", "110"], ["Triwulan 1 2026", "—"]]
    # The visible table, newest first.
    visible = board[board.index("<table>"):]
    assert visible.index("Triwulan 1 2026") < visible.index("<td>2025</td><td>2025</td>")


def test_other_tenants_results_stay_out(app, client, tenant):
    login(client, "kota-b", "admin")
    board = _section(_page(client, "/kota-b/"), "dasbor-instansi")
    assert "Dinas Kesehatan" not in board and "Dinas Pendidikan" not in board


def _count(app, client, url) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            _page(client, url)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def _grow(app, org, n: int) -> None:
    """``n`` more OPDs with a rated person each, rated staff in the team, complaints, responses."""
    with app.app_context(), tenant_scope(org.tenant):
        start = db.session.scalar(select(db.func.count()).select_from(Employee))
        for i in range(n):
            _staff(org, f"Staf Tambah {start + i}", org.position_ids["STAF"], m.PlanStatus.AGREED,
                   ("baik", "sangat_baik", "kurang")[i % 3])
            unit = org_services.save_unit(org_services.UnitData(f"OPD{start + i}", f"Badan {start + i}", "badan"))
            db.session.flush()
            position = Position(code=f"P{start + i}", name="Pelaksana", kind="pelaksana", unit_id=unit.id)
            db.session.add(position)
            db.session.flush()
            _staff(org, f"Orang {start + i}", position.id, m.PlanStatus.AGREED, "baik")
            _complaint(unit.id, f"G{start + i:07d}", date(2026, 11, 2))
            db.session.add(SurveyResponse(unit_id=unit.id, submitted_on=date(2026, 2, 10),
                                          **{f"u{k}": 3 for k in range(1, 10)}))
        db.session.commit()


@pytest.mark.parametrize("role", ["admin", "penilai", "pegawai"])
def test_dashboard_statements_do_not_grow_with_the_tenant(app, client, tenant, role):
    login(client, "kota-a", role)
    url = f"/kota-a/?periode={_q1_id(app, tenant)}" if role == "admin" else "/kota-a/"
    counts = []
    for extra in (0, 8):
        _grow(app, tenant, extra)
        counts.append(_count(app, client, url))
    assert counts[0] == counts[1], counts
    if role == "admin":
        assert _page(client, url).count("Badan ") >= 8  # the new OPDs are on the chart's table
