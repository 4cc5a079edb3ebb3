"""Realisation per IKI per sub-period: who may see and record it, stale saves,
read-only after a final evaluation, the achievement shown, constant queries.

The helpers at the top are shared with test_skp_evidence.py and
test_skp_feedback.py."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import event, select

from app import models as m
from app.audit.models import AuditEntry
from app.auth.accounts import UserData, save_user
from app.extensions import db
from app.org.models import Employee
from app.periods.models import Period
from app.skp.realisation import services as realisation
from app.tenancy import tenant_scope
from app.tenancy.models import Tenant
from tests.conftest import PASSWORD, csrf_token, login, make_cycle

ROLES = ("pegawai", "penilai", "atasan", "admin", "peer")


@dataclass
class World:
    a: object  # tenant A's Org, with .cycle and .quarters
    b: object  # tenant B's Org, with .cycle


@pytest.fixture
def world(app, two_tenants, tmp_path, monkeypatch) -> World:
    return build_world(app, two_tenants, tmp_path, monkeypatch)


def build_world(app, two_tenants, tmp_path, monkeypatch) -> World:
    """Both tenants' organisations with one appraisal year each (make_cycle:
    an agreed plan, Q1's evaluation final, Q2's a draft), a `peer` account in
    A, and uploads kept in a temporary directory."""
    monkeypatch.setitem(app.config, "UPLOAD_ROOT", str(tmp_path / "uploads"))
    a, b = two_tenants
    with app.app_context():
        a.cycle = make_cycle(a)
        b.cycle = make_cycle(b)
        with tenant_scope(a.tenant):
            peer = db.session.get(Employee, a.peer_id)
            a.user_ids["peer"] = save_user(UserData("peer", peer.nip, False, PASSWORD)).id
            db.session.commit()
            a.quarters = list(db.session.scalars(
                select(Period.id).where(Period.parent_id == a.cycle.year_period_id).order_by(Period.sequence)))
        db.session.remove()
    return World(a, b)


def signed_in(app, role: str):
    client = app.test_client()
    assert login(client, "kota-a", role).status_code == 302
    return client


def post(client, url: str, data: dict | None = None, **kwargs):
    token = csrf_token(client, "/kota-a/")
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def in_a(app, fn):
    """Run ``fn()`` as tenant A in a fresh app context and return its result."""
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(tenant):
            try:
                return fn()
            finally:
                db.session.remove()


def cell_url(w: World, period_id: int, indicator_id: int | None = None) -> str:
    return f"/kota-a/skp/{w.a.cycle.plan_id}/realisasi/{indicator_id or w.a.cycle.indicator_id}/{period_id}"


def finalise(app, plan_id: int, period_id: int) -> None:
    def run():
        evaluation = db.session.scalar(select(m.Evaluation).where(m.Evaluation.plan_id == plan_id,
                                                                  m.Evaluation.period_id == period_id))
        if evaluation is None:
            evaluation = m.Evaluation(plan_id=plan_id, period_id=period_id)
            db.session.add(evaluation)
        evaluation.status = m.EvaluationStatus.FINAL
        db.session.commit()
    in_a(app, run)


def realisation_of(app, indicator_id: int, period_id: int):
    def run():
        r = db.session.scalar(select(m.Realisation).where(m.Realisation.indicator_id == indicator_id,
                                                          m.Realisation.period_id == period_id))
        return None if r is None else (r.value, r.note, r.version)
    return in_a(app, run)


# --- seeing the grid ---------------------------------------------------------------------

@pytest.mark.parametrize("role,status", [("pegawai", 200), ("penilai", 200), ("atasan", 200),
                                         ("admin", 200), ("peer", 403)])
def test_grid_is_shown_to_those_who_may_see_the_plan(app, world, role, status):
    client = signed_in(app, role)
    response = client.get(f"/kota-a/skp/{world.a.cycle.plan_id}/realisasi")
    assert response.status_code == status
    if status == 200:
        html = response.get_data(as_text=True)
        assert "Dokumen diproses" in html and "Triwulan 2 2026" in html
        assert "3 dokumen" in html  # Q1's realisation
        # Realisation is per sub-period: 3 dokumen in Q1 against the quarter's share of
        # the annual 12 (12 / 4 = 3) is 100% — the same target the evaluation uses.
        assert "capaian 100%" in html


def test_another_tenants_plan_is_404(app, world):
    client = signed_in(app, "pegawai")
    b = world.b.cycle
    assert client.get(f"/kota-a/skp/{b.plan_id}/realisasi").status_code == 404
    assert client.get(f"/kota-a/skp/{b.plan_id}/realisasi/{b.indicator_id}/{b.quarter_period_id}").status_code == 404
    assert post(client, f"/kota-a/skp/{b.plan_id}/realisasi/{b.indicator_id}/{b.quarter_period_id}",
                {"value": "5"}).status_code == 404


def test_indicator_or_period_outside_the_plan_is_404(app, world):
    client = signed_in(app, "pegawai")
    w = world
    # The year itself is not a sub-period; B's indicator is not in A's plan.
    assert client.get(cell_url(w, w.a.cycle.year_period_id)).status_code == 404
    assert client.get(cell_url(w, w.a.quarters[1], w.b.cycle.indicator_id)).status_code == 404


# --- recording ----------------------------------------------------------------------------

def test_pegawai_records_a_realisation_and_it_is_audited(app, world):
    w = world
    q2 = w.a.quarters[1]
    client = signed_in(app, "pegawai")
    page = client.get(cell_url(w, q2)).get_data(as_text=True)
    assert "Simpan realisasi" in page
    response = post(client, cell_url(w, q2), {"value": "7,5", "note": "Semester berjalan", "version": ""})
    assert response.status_code == 302
    assert realisation_of(app, w.a.cycle.indicator_id, q2) == (7.5, "Semester berjalan", 1)
    # Changing it: before → after in the trail.
    response = post(client, cell_url(w, q2), {"value": "9", "note": "", "version": "1"})
    assert response.status_code == 302
    assert realisation_of(app, w.a.cycle.indicator_id, q2) == (9.0, None, 2)
    entries = in_a(app, lambda: [(e.action, e.before, e.after, e.employee_id) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "skp_realisation").order_by(AuditEntry.seq))])
    assert [e[0] for e in entries] == ["realisation.create", "realisation.update"]
    assert entries[1][1]["value"] == 7.5 and entries[1][2]["value"] == 9.0
    assert entries[1][3] == w.a.pegawai_id
    html = client.get(cell_url(w, q2)).get_data(as_text=True)
    assert "300%" in html  # 9 in Q2 against the quarter's share 12 / 4 = 3


@pytest.mark.parametrize("role", ["penilai", "atasan", "admin", "peer"])
def test_only_the_pegawai_records_realisation(app, world, role):
    w = world
    q2 = w.a.quarters[1]
    client = signed_in(app, role)
    response = post(client, cell_url(w, q2), {"value": "5", "version": ""})
    assert response.status_code == 403
    assert realisation_of(app, w.a.cycle.indicator_id, q2) is None
    if role != "peer":
        assert "Simpan realisasi" not in client.get(cell_url(w, q2)).get_data(as_text=True)


def test_realisation_needs_an_agreed_plan(app, world):
    w = world

    def submit_back():
        plan = db.session.get(m.Plan, w.a.cycle.plan_id)
        plan.status = m.PlanStatus.SUBMITTED
        db.session.commit()
    in_a(app, submit_back)
    client = signed_in(app, "pegawai")
    response = post(client, cell_url(w, w.a.quarters[1]), {"value": "5", "version": ""})
    assert response.status_code == 403
    assert "setelah SKP disetujui" in response.get_data(as_text=True)


def test_realisation_of_a_final_period_is_read_only(app, world):
    w = world
    q1 = w.a.quarters[0]  # make_cycle finalised Q1's evaluation
    client = signed_in(app, "pegawai")
    page = client.get(cell_url(w, q1)).get_data(as_text=True)
    assert "Simpan realisasi" not in page and "sudah final" in page
    response = post(client, cell_url(w, q1), {"value": "11", "version": "1"})
    assert response.status_code == 403
    assert realisation_of(app, w.a.cycle.indicator_id, q1)[0] == 3
    # A final year closes every sub-period.
    finalise(app, w.a.cycle.plan_id, w.a.cycle.year_period_id)
    assert post(client, cell_url(w, w.a.quarters[3]), {"value": "1", "version": ""}).status_code == 403


def test_a_stale_save_is_refused_and_the_input_kept(app, world):
    w = world
    q2 = w.a.quarters[1]
    first, second = signed_in(app, "pegawai"), signed_in(app, "pegawai")
    assert post(first, cell_url(w, q2), {"value": "4", "version": ""}).status_code == 302
    # Both open the form at version 1; the second saves first.
    assert post(second, cell_url(w, q2), {"value": "6", "version": "1"}).status_code == 302
    response = post(first, cell_url(w, q2), {"value": "5", "note": "catatan saya", "version": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "sudah diubah orang lain" in html
    assert 'value="5"' in html and "catatan saya" in html  # nothing typed is lost
    assert realisation_of(app, w.a.cycle.indicator_id, q2)[0] == 6
    # A form opened before the first save (no version) is stale too.
    assert post(first, cell_url(w, q2), {"value": "8", "version": ""}).status_code == 409
    assert realisation_of(app, w.a.cycle.indicator_id, q2)[0] == 6


def test_bad_input_re_renders_with_a_message(app, world):
    w = world
    client = signed_in(app, "pegawai")
    for value, message in [("dua belas", "harus berupa angka"), ("-3", "tidak boleh negatif"), ("", "Isi nilai")]:
        response = post(client, cell_url(w, w.a.quarters[1]), {"value": value, "note": "x", "version": ""})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert message in html
        if value:
            assert f'value="{value}"' in html
    assert realisation_of(app, w.a.cycle.indicator_id, w.a.quarters[1]) is None


# --- achievement ------------------------------------------------------------------------

def test_achievement_uses_the_plans_own_indicator(app, world):
    from app.regions.manager import regions

    def run():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        runtime = regions().for_tenant(tenant)
        indicator = db.session.get(m.PlanIndicator, world.a.cycle.indicator_id)
        built = realisation.as_indicator(indicator)
        assert built.code == f"IKI-{indicator.id}" and built.target.lower == 12
        assert realisation.achievement_of(runtime, indicator, 12).capaian == 100
        assert realisation.achievement_of(runtime, indicator, None) is None
        # Lower is better: 8 days against a 10-day target is 120%.
        indicator.direction, indicator.aspect, indicator.target_lower, indicator.target_upper = "lower", "waktu", 10, 10
        assert realisation.achievement_of(runtime, indicator, 8).capaian == 120
        # A range is 100% inside it; a target of 0 has no capaian (and no plugin error).
        indicator.direction, indicator.target_lower, indicator.target_upper = "higher", 10, 20
        assert realisation.achievement_of(runtime, indicator, 15).capaian == 100
        indicator.target_lower = indicator.target_upper = 0
        assert realisation.achievement_of(runtime, indicator, 5) is None
        db.session.rollback()
    in_a(app, run)


def test_cell_achievement_matches_the_evaluations_target(app, world):
    """Regression: the pages said "cumulative realisation" and measured it against the
    annual target, while the evaluation scores each sub-period's own value against the
    annual target shared out (accumulating IKIs) and sums the sub-periods for the year.
    A pegawai who followed the page was scored on a running total counted several times."""
    client = signed_in(app, "pegawai")
    html = client.get(cell_url(world, world.a.cycle.quarter_period_id)).get_data(as_text=True)
    assert "Target periode ini" in html and "target tahunan 12 dibagi rata per periode" in html
    assert "100% · nilai 109" in html  # 3 of 12 / 4 = 3
    # The form of an open quarter says what to enter.
    html = client.get(cell_url(world, world.a.quarters[1])).get_data(as_text=True)
    assert "bukan jumlah sejak awal tahun" in html and "kumulatif" not in html

    def run():
        indicator = db.session.get(m.PlanIndicator, world.a.cycle.indicator_id)
        quarter = db.session.get(Period, world.a.cycle.quarter_period_id)
        year = db.session.get(Period, world.a.cycle.year_period_id)
        assert realisation.period_target(indicator, quarter, 4).lower == 3
        assert realisation.period_target(indicator, year, 4).lower == 12  # the year keeps the annual target
        indicator.unit = "%"  # a percentage does not accumulate: the annual target applies every quarter
        assert realisation.period_target(indicator, quarter, 4).lower == 12
        db.session.rollback()
    in_a(app, run)


# --- constant queries ------------------------------------------------------------------------

def _count_grid_queries(app, client, plan_id: int) -> int:
    statements = []

    def count(conn, cursor, statement, *args):  # noqa: ARG001
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(f"/kota-a/skp/{plan_id}/realisasi").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_grid_queries_do_not_grow_with_rows(app, world):
    w = world
    client = signed_in(app, "pegawai")
    client.get(f"/kota-a/skp/{w.a.cycle.plan_id}/realisasi")  # warm up
    small = _count_grid_queries(app, client, w.a.cycle.plan_id)

    def grow():
        plan = db.session.get(m.Plan, w.a.cycle.plan_id)
        for r in range(3):
            result = m.PlanResult(plan=plan, description=f"RHK tambahan {r}", position=r + 1)
            for i in range(3):
                indicator = m.PlanIndicator(result=result, name=f"IKI {r}.{i}", aspect="kuantitas",
                                            unit="laporan", target_lower=4, target_upper=4)
                for period_id in w.a.quarters:
                    real = m.Realisation(indicator=indicator, period_id=period_id, value=1)
                    real.evidence.append(m.Evidence(kind=m.EvidenceKind.LINK, url="https://contoh.go.id/a"))
                db.session.add(indicator)
        db.session.commit()
    in_a(app, grow)
    big = _count_grid_queries(app, client, w.a.cycle.plan_id)
    assert big == small
    assert "IKI 2.2" in client.get(f"/kota-a/skp/{w.a.cycle.plan_id}/realisasi").get_data(as_text=True)
