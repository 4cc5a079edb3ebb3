"""Work lists per role on the home page, unit progress for the admin, history across years."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import event, select

from app import models as m
from app.extensions import db
from app.org import services as org_services
from app.org.models import Employee, Position
from app.periods.models import Period, PeriodKind
from app.tenancy import tenant_scope
from tests.conftest import login
from tests.cycle_support import cycle_under_way

TODAY = date(2026, 11, 23)  # in Triwulan 4 2026
# NIPs for the extra people (built directly, not through the NIP rules): the
# shared generator in conftest is kept for the organisations every test makes.
_NIPS = (f"1990{m:02d}{d:02d}2015{m:02d}{s}{n:03d}" for m in range(1, 13) for d in range(1, 29)
         for s in (1, 2) for n in range(1, 1000))


@pytest.fixture
def cycle(app, two_tenants):
    yield from cycle_under_way(app, two_tenants[0], TODAY)  # the tenant's today for every page


def _page(client, url="/kota-a/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _section(html: str, section_id: str) -> str:
    start = html.find(f'id="{section_id}"')
    if start < 0:
        return ""
    return html[start:html.find("</section>", start)]


def test_pegawai_sees_plan_missing_realisations_results_and_training(app, client, cycle):
    login(client, "kota-a", "pegawai")
    mine = _section(_page(client), "pekerjaan-saya")
    assert "SKP saya tahun 2026" in mine and "disetujui" in mine
    assert "Realisasi Triwulan 4 2026 yang belum diisi (1)" in mine and "Dokumen diproses" in mine
    assert "Triwulan 1 2026" in mine and "19-04-2026" in mine  # the objection deadline
    assert "menunggu keputusan" in mine  # the open objection
    assert "Pelatihan TIK Dasar" in mine
    assert _section(_page(client), "pekerjaan-penilai") == ""
    assert _section(_page(client), "kemajuan-unit") == ""


def test_penilai_sees_plans_to_agree_evaluations_due_evidence_and_team(app, client, cycle):
    with app.app_context(), tenant_scope(cycle.tenant):
        year = db.session.scalar(select(Period).where(Period.kind == PeriodKind.YEAR, Period.year == 2026))
        db.session.add(m.Plan(employee_id=cycle.peer_id, period_id=year.id, status=m.PlanStatus.SUBMITTED))
        db.session.commit()
    login(client, "kota-a", "penilai")
    work = _section(_page(client), "pekerjaan-penilai")
    agree = work[work.index("SKP menunggu persetujuan saya"):work.index("Penilaian yang jatuh tempo")]
    assert "(1)" in agree and "Peer Kota-A" in agree and "Pegawai Kota-A" not in agree
    due = work[work.index("Penilaian yang jatuh tempo"):work.index("Bukti dukung menunggu diperiksa")]
    # Q1 is final; Q2 is a draft and Q3 not started: both due. Q4 and the year are not yet.
    assert "(2)" in due and "Triwulan 2 2026" in due and "Triwulan 3 2026" in due
    assert "Triwulan 1 2026" not in due and "Triwulan 4 2026" not in due
    evidence = work[work.index("Bukti dukung menunggu diperiksa"):work.index("Kemajuan tim")]
    assert "(1)" in evidence and "Dokumen diproses" in evidence
    team = work[work.index("Kemajuan tim"):]
    assert "Pegawai Kota-A" in team and "disetujui" in team and "0 / 1" in team
    assert "Peer Kota-A" in team and "diajukan" in team
    assert _section(_page(client), "keberatan-diputuskan") == ""


def test_someone_with_no_team_sees_a_plan_assigned_to_them(app, client, cycle):
    """The pegawai rates nobody by the organisation chart; the admin assigned them a plan to rate."""
    login(client, "kota-a", "pegawai")
    assert _section(_page(client), "pekerjaan-penilai") == ""  # rates nobody: no penilai part
    with app.app_context(), tenant_scope(cycle.tenant):
        year = db.session.scalar(select(Period).where(Period.kind == PeriodKind.YEAR, Period.year == 2026))
        db.session.add(m.Plan(employee_id=cycle.peer_id, period_id=year.id, status=m.PlanStatus.SUBMITTED,
                              assigned_penilai_id=cycle.pegawai_id))
        db.session.commit()
    work = _section(_page(client), "pekerjaan-penilai")
    agree = work[work.index("SKP menunggu persetujuan saya"):work.index("Penilaian yang jatuh tempo")]
    assert "(1)" in agree and "Peer Kota-A" in agree


def test_atasan_sees_objections_to_decide_with_deadlines(app, client, cycle):
    login(client, "kota-a", "atasan")
    decide = _section(_page(client), "keberatan-diputuskan")
    assert "Pegawai Kota-A" in decide and "Triwulan 1 2026" in decide
    assert "(terlambat)" not in decide
    with app.app_context(), tenant_scope(cycle.tenant):
        db.session.get(m.Objection, cycle.cycle.objection_id).lodged_at = datetime(2026, 4, 10, 9, 0)  # noqa: DTZ001 - stored as naive UTC
        db.session.commit()
    decide = _section(_page(client), "keberatan-diputuskan")
    assert "24-04-2026" in decide and "(terlambat)" in decide  # 14 days to decide, long past
    html = _page(client)
    assert _section(html, "pekerjaan-penilai").count("Pegawai Kota-A") == 0


def test_admin_sees_unit_progress(app, client, cycle):
    login(client, "kota-a", "admin")
    progress = _section(_page(client), "kemajuan-unit")
    row = progress[progress.index("Dinas Kesehatan"):]
    row = row[:row.index("</tr>")]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    # people, without plan, draft, submitted, returned, agreed, final evaluations, open objections
    assert cells == ["5", "4", "0", "0", "0", "1", "1", "1"]


def _grow(app, org, n: int) -> None:
    """``n`` more staff in the penilai's team, each with a submitted or agreed
    plan, an indicator, a realisation with pending evidence, a final
    evaluation and an open objection; and ``n`` more units with a person each."""
    with app.app_context(), tenant_scope(org.tenant):
        year = db.session.scalar(select(Period).where(Period.kind == PeriodKind.YEAR, Period.year == 2026))
        q4 = db.session.scalar(select(Period).where(Period.kind == PeriodKind.QUARTER, Period.sequence == 4,
                                                    Period.year == 2026))
        q1 = db.session.scalar(select(Period).where(Period.kind == PeriodKind.QUARTER, Period.sequence == 1,
                                                    Period.year == 2026))
        start = db.session.scalar(select(db.func.count()).select_from(Employee))
        for i in range(n):
            person = Employee(nip=next(_NIPS), name=f"Staf Tambahan {start + i}", sex="P", employee_type="PNS",
                              position_id=org.position_ids["STAF"])
            plan = m.Plan(employee=person, period=year,
                          status=m.PlanStatus.AGREED if i % 2 else m.PlanStatus.SUBMITTED)
            result = m.PlanResult(plan=plan, description="Hasil")
            indicator = m.PlanIndicator(result=result, name=f"IKI {i}", aspect="kuantitas", unit="dokumen",
                                        target_lower=1, target_upper=1)
            realisation = m.Realisation(indicator=indicator, period=q4, value=1)
            evidence = m.Evidence(realisation=realisation, kind=m.EvidenceKind.LINK, url="https://contoh.go.id")
            evaluation = m.Evaluation(plan=plan, period=q1, status=m.EvaluationStatus.FINAL,
                                      predikat_code="baik", predikat_label="Baik", delivered_on=date(2026, 4, 5))
            db.session.add_all([person, plan, result, indicator, realisation, evidence, evaluation])
            db.session.flush()
            db.session.add(m.Objection(evaluation_id=evaluation.id, lodged_by_id=org.user_ids["pegawai"],
                                       deadline=date(2026, 4, 19), reasons="Alasan", decider_id=org.atasan_id))
            unit = org_services.save_unit(org_services.UnitData(f"UNIT{start + i}", f"Unit Tambahan {start + i}",
                                                                "dinas"))
            db.session.flush()
            position = Position(code=f"POS{start + i}", name="Pelaksana", kind="pelaksana", unit_id=unit.id)
            db.session.add(position)
            db.session.flush()
            db.session.add(Employee(nip=next(_NIPS), name=f"Orang Unit {start + i}", sex="L",
                                    employee_type="PNS", position_id=position.id))
        db.session.commit()


def _count_queries(app, client, url) -> int:
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


@pytest.mark.parametrize("role", ["pegawai", "penilai", "atasan", "admin"])
def test_home_page_queries_do_not_grow_with_the_rows(app, client, cycle, role):
    login(client, "kota-a", role)
    counts = []
    for extra in (0, 6):
        _grow(app, cycle, extra)
        counts.append(_count_queries(app, client, "/kota-a/"))
    assert counts[0] == counts[1], counts
    if role == "penilai":
        assert _page(client).count("Staf Tambahan") >= 6  # the rows are really there


@pytest.mark.parametrize("role", ["admin", "pegawai", "atasan"])
def test_other_lists_do_not_grow_with_the_rows(app, client, cycle, role):
    login(client, "kota-a", role)
    urls = {
        "admin": ["/kota-a/keberatan/", "/kota-a/pelatihan/semua", "/kota-a/notifikasi/",
                  f"/kota-a/riwayat/pegawai/{cycle.pegawai_id}", "/kota-a/pelatihan/katalog"],
        "pegawai": ["/kota-a/keberatan/", "/kota-a/pelatihan/", "/kota-a/riwayat/"],
        "atasan": ["/kota-a/keberatan/"],
    }[role]
    first = [_count_queries(app, client, url) for url in urls]
    _grow(app, cycle, 6)
    assert [_count_queries(app, client, url) for url in urls] == first


def test_history_across_years(app, client, cycle):
    with app.app_context(), tenant_scope(cycle.tenant):
        old_year = Period(year=2025, kind=PeriodKind.YEAR, sequence=1, starts_on=date(2025, 1, 1),
                          ends_on=date(2025, 12, 31))
        plan = m.Plan(employee_id=cycle.pegawai_id, period=old_year, status=m.PlanStatus.AGREED,
                      position_name="Pengadministrasi Umum", unit_name="Dinas Kesehatan")
        annual = m.Evaluation(plan=plan, period=old_year, status=m.EvaluationStatus.FINAL,
                              predikat_code="sangat_baik", predikat_label="Sangat Baik")
        db.session.add_all([old_year, plan, annual])
        db.session.commit()
    login(client, "kota-a", "pegawai")
    html = _page(client, "/kota-a/riwayat/")
    assert html.index("2026") < html.index("2025")
    assert "Sangat Baik" in html and "Pengadministrasi Umum" in html
    assert "Triwulan 1 2026: Baik" in html and "penilaian tahunan belum final" in html
    # The penilai and the atasan may read it, a colleague's page is refused.
    for role, status in (("penilai", 200), ("atasan", 200), ("admin", 200)):
        other = app.test_client()
        login(other, "kota-a", role)
        assert other.get(f"/kota-a/riwayat/pegawai/{cycle.pegawai_id}").status_code == status
    assert client.get(f"/kota-a/riwayat/pegawai/{cycle.penilai_id}").status_code == 403


def test_penilai_sees_evidence_of_an_assigned_plan_from_outside_the_team_and_year(app, client, cycle):
    """Pending evidence whose person and period the work list has not loaded (an admin-assigned
    plan of someone outside the team, a period of last year) shows with its name and period."""
    with app.app_context(), tenant_scope(cycle.tenant):
        last_year = Period(year=2025, kind=PeriodKind.YEAR, sequence=1, starts_on=date(2025, 1, 1),
                           ends_on=date(2025, 12, 31))
        outsider = Employee(nip=next(_NIPS), name="Orang Luar Tim", sex="P", employee_type="PNS",
                            position_id=cycle.position_ids["KASI"])
        plan = m.Plan(employee=outsider, period=last_year, status=m.PlanStatus.AGREED,
                      assigned_penilai_id=cycle.penilai_id)
        result = m.PlanResult(plan=plan, description="Hasil")
        indicator = m.PlanIndicator(result=result, name="IKI lama", aspect="kuantitas", unit="dokumen",
                                    target_lower=1, target_upper=1)
        realisation = m.Realisation(indicator=indicator, period=last_year, value=1)
        db.session.add_all([last_year, outsider, plan, result, indicator, realisation,
                            m.Evidence(realisation=realisation, kind=m.EvidenceKind.LINK, url="https://contoh.go.id")])
        db.session.commit()
        label = last_year.label
    login(client, "kota-a", "penilai")
    work = _section(_page(client), "pekerjaan-penilai")
    evidence = work[work.index("Bukti dukung menunggu diperiksa"):work.index("Kemajuan tim")]
    assert "(2)" in evidence
    assert f"Orang Luar Tim — IKI lama ({label})" in evidence
