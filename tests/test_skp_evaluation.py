"""Evaluation: the full computation in each of the five regions (worked out by
hand from the plugins' constants), 360°, the matrix, the distribution curve,
unit heads, permissions, stale saves, freezing against plugin upgrades, audit."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import create_app
from app import models as m
from app.audit import AuditEntry, verify
from app.auth.accounts import UserData, save_user
from app.extensions import db
from app.org import services as org
from app.periods.models import Period, PeriodKind
from app.periods.services import open_year
from app.regions.hookspecs import hookimpl
from app.regions.manager import regions
from app.regions.types import Expectation, MatrixCell
from app.tenancy import all_tenants, tenant_scope, tenant_today
from app.tenancy.models import Tenant
from tests.conftest import PASSWORD, csrf_token, login, make_org, make_tenant

YEAR = 2026


# --- building a year ---------------------------------------------------------------------

def _add_user(org_, username: str, employee_id: int) -> int:
    from app.org.models import Employee

    with tenant_scope(org_.tenant):
        nip = db.session.get(Employee, employee_id).nip
        user = save_user(UserData(username, nip, False, PASSWORD))
        db.session.commit()
        return user.id


def _setup(slug: str, settings: dict | None = None):
    tenant = make_tenant(slug, rule_set=slug)
    # The year under test may still be running: these tests finalise its periods early
    # (the rule itself is tested in test_skp_finalising.py).
    # Walesi's held-meeting rule has its own tests (tests/test_meetings.py): off here.
    tenant.settings = {"early_finalisation": True, "evaluation_meeting_required": False, **(settings or {})}
    db.session.commit()
    org_ = make_org(tenant)
    rule_set = regions().get(slug)
    with tenant_scope(org_.tenant):
        open_year(YEAR, rule_set.period_scheme)
        db.session.commit()
    return org_


def _periods(org_) -> dict:
    with tenant_scope(org_.tenant):
        rows = db.session.scalars(select(Period).where(Period.year == YEAR)).all()
        out = {"year": next(p.id for p in rows if p.kind is PeriodKind.YEAR)}
        for p in rows:
            if p.kind is not PeriodKind.YEAR:
                out[p.sequence] = p.id
        return out


def _plan(org_, indicators, realisations, employee_id=None) -> dict:
    """An agreed plan; ``indicators`` = (code, name, aspect, direction, unit, lower, upper);
    ``realisations`` = {indicator index: {sub-period sequence: value}}."""
    periods = _periods(org_)
    with tenant_scope(org_.tenant):
        plan = m.Plan(employee_id=employee_id or org_.pegawai_id, period_id=periods["year"],
                      status=m.PlanStatus.AGREED, position_name="Staf", unit_name="Dinas")
        result = m.PlanResult(plan=plan, kind=m.ResultKind.UTAMA, description="Pelayanan tertib")
        rows = []
        for i, (code, name, aspect, direction, unit, lower, upper) in enumerate(indicators):
            ind = m.PlanIndicator(result=result, indicator_code=code, name=name, aspect=aspect,
                                  direction=direction, unit=unit, target_lower=lower, target_upper=upper,
                                  position=i)
            rows.append(ind)
            for seq, value in realisations.get(i, {}).items():
                db.session.add(m.Realisation(indicator=ind, period_id=periods[seq], value=value))
        db.session.add_all([plan, result, *rows])
        db.session.commit()
        return {"plan_id": plan.id, "periods": periods}


def _start(client, slug, plan_id, period_id) -> int:
    url = f"/{slug}/penilaian/"
    token = csrf_token(client, url)
    response = client.post(f"/{slug}/penilaian/mulai/{plan_id}/{period_id}", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").rsplit("/", 1)[1])


def _form_page(client, slug, evaluation_id):
    return client.get(f"/{slug}/penilaian/{evaluation_id}")


def _version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def _rate(client, slug, evaluation_id, **fields):
    html = _form_page(client, slug, evaluation_id).get_data(as_text=True)
    data = {"csrf_token": csrf_token(client, f"/{slug}/penilaian/{evaluation_id}"), "version": _version(html)}
    data.update({k: v for k, v in fields.items() if v is not None})
    return client.post(f"/{slug}/penilaian/{evaluation_id}", data=data)


def _behaviours(score, n=7) -> dict:
    return {f"behaviour_{i}": score for i in range(n)}


def _finalise(client, slug, evaluation_id):
    html = _form_page(client, slug, evaluation_id).get_data(as_text=True)
    token = csrf_token(client, f"/{slug}/penilaian/{evaluation_id}")
    return client.post(f"/{slug}/penilaian/{evaluation_id}/final",
                       data={"csrf_token": token, "version": _version(html)})


def _evaluation(org_, evaluation_id) -> m.Evaluation:
    with tenant_scope(org_.tenant):
        ev = db.session.get(m.Evaluation, evaluation_id)
        db.session.expunge(ev)
        return ev


def _actions(org_) -> list[str]:
    with tenant_scope(org_.tenant):
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


# --- the five regions -----------------------------------------------------------------------

def test_sawahlunto_numeric_with_training_component(app, client):
    with app.app_context():
        o = _setup("sawahlunto")
        # KES-01 (kuantitas, "layanan": accumulates) annual 600 → Q1 target 600 / 4 = 150;
        # KES-03 (waktu, lower is better) range 20–30 menit applies as it is.
        ids = _plan(o, [("KES-01", "Pelayanan kesehatan", "kuantitas", "higher", "layanan", 600, 600),
                        ("KES-03", "Waktu tunggu", "waktu", "lower", "menit", 20, 30)],
                    {0: {1: 150}, 1: {1: 25}})
        with tenant_scope(o.tenant):
            course = m.TrainingCourse(code="K1", name="Kursus", hours=10)
            db.session.add(course)
            db.session.flush()
            db.session.add(m.TrainingRecord(employee_id=o.pegawai_id, course_id=course.id, recommendation_code="x",
                                            reason="x", year=YEAR, status=m.TrainingStatus.COMPLETED))
            db.session.commit()
    login(client, "sawahlunto", "penilai")
    ev_id = _start(client, "sawahlunto", ids["plan_id"], ids["periods"][1])
    assert _rate(client, "sawahlunto", ev_id, **_behaviours(100)).status_code == 302
    with app.app_context():
        ev = _evaluation(o, ev_id)
    # KES-01: 150 / 150 = 100% → 109 (PermenPANRB 8/2021 worked example);
    # KES-03: 25 within 20–30 → 100% → 109; hasil kerja = 109.
    # perilaku = mean of seven 100s = 100; pelatihan = min(10 JP / 20 JP, 1) × 100 = 50.
    # score = 109 × 60% + 100 × 30% + 50 × 10% = 65.4 + 30 + 5 = 100.4 → Baik (PP 30/2019: 90–120).
    assert ev.score == Decimal("100.40")
    assert ev.predikat_code == "baik"
    assert (ev.rule_set_code, ev.rule_set_version) == ("sawahlunto", "1.0.0")
    assert [c["value"] for c in ev.result["period"]["components"]] == [109, 100, 50]
    page = client.get(f"/sawahlunto/penilaian/{ev_id}").get_data(as_text=True)
    # Every number traceable: target used, formula steps, rule-set version.
    assert "sawahlunto 1.0.0" in page and "target periode = target tahunan 600 / 4 periode" in page
    assert "nilai kinerja = 109.00 × 60% + 100.00 × 30% + 50.00 × 10% = 100.40" in page
    assert _finalise(client, "sawahlunto", ev_id).status_code == 302
    with app.app_context():
        ev = _evaluation(o, ev_id)
        assert ev.status is m.EvaluationStatus.FINAL and ev.snapshot["code"] == "sawahlunto"
        assert ev.snapshot["unit_head_follows_unit_achievement"] is True
        with tenant_scope(o.tenant):
            # "Today" is the tenant's day, not the server's.
            assert ev.delivered_on == tenant_today() and ev.finalised_by_id == o.user_ids["penilai"]
            note = db.session.scalar(select(m.Notification).where(m.Notification.user_id == o.user_ids["pegawai"]))
            assert note.kind == "evaluation.final" and "Baik" in note.message
        assert {"evaluation.create", "evaluation.rate", "evaluation.finalise"} <= set(_actions(o))
        assert verify(Tenant.query.filter_by(slug="sawahlunto").one()).ok


def _add_survey(o, answer: int, n: int, on: date):
    from app.publik.models import SurveyResponse

    with tenant_scope(o.tenant):
        for i in range(n):
            db.session.add(SurveyResponse(unit_id=o.unit_id, submitted_on=on, duplicate_key=f"k{i}",
                                          **{f"u{j}": answer for j in range(1, 10)}))
        db.session.commit()


def test_ambon_360_weights_with_peer_and_unit_ikm(app, client):
    with app.app_context():
        o = _setup("ambon")
        _add_user(o, "rekan", o.peer_id)
        # AMB-01 (kuantitas, accumulates) 300 a year → Q1 target 75.
        ids = _plan(o, [("AMB-01", "Permohonan diselesaikan", "kuantitas", "higher", "permohonan", 300, 300)],
                    {0: {1: 75}})
        _add_survey(o, 3, 4, date(YEAR, 2, 10))  # nine elements all 3 → IKM = 3 × 25 = 75
    login(client, "ambon", "penilai")
    ev_id = _start(client, "ambon", ids["plan_id"], ids["periods"][1])
    assert _rate(client, "ambon", ev_id, **_behaviours(100)).status_code == 302
    # Ambon needs at least one peer rating before finalising.
    refused = _finalise(client, "ambon", ev_id)
    assert refused.status_code == 422 and "rekan kerja baru 0" in refused.get_data(as_text=True)

    peer = app.test_client()
    login(peer, "ambon", "rekan")
    assert f"/ambon/penilaian/{ev_id}/rekan" in peer.get("/ambon/penilaian/").get_data(as_text=True)
    # A peer may only give peer ratings: not open, rate or finalise the evaluation.
    assert peer.get(f"/ambon/penilaian/{ev_id}").status_code == 302
    token = csrf_token(peer, f"/ambon/penilaian/{ev_id}/rekan")
    assert peer.post(f"/ambon/penilaian/{ev_id}", data={"csrf_token": token, "behaviour_0": 1}).status_code == 403
    assert peer.post(f"/ambon/penilaian/{ev_id}/final", data={"csrf_token": token}).status_code == 403
    bad = peer.post(f"/ambon/penilaian/{ev_id}/rekan", data={"csrf_token": token, **_behaviours(130)})
    assert bad.status_code == 422 and 'value="130"' in bad.get_data(as_text=True)
    assert peer.post(f"/ambon/penilaian/{ev_id}/rekan",
                     data={"csrf_token": token, **_behaviours(85)}).status_code == 302
    # The penilai is no peer of their own team member.
    assert client.get(f"/ambon/penilaian/{ev_id}/rekan").status_code == 403

    assert _finalise(client, "ambon", ev_id).status_code == 302
    with app.app_context():
        ev = _evaluation(o, ev_id)
    # hasil kerja: 75 / 75 = 100% → 109.
    # perilaku 360° = (40% × atasan 100 + 20% × rekan 85 + 20% × masyarakat IKM 75) / 80
    #              = (4000 + 1700 + 1500) / 80 = 90  (no bawahan: divided by the weights present)
    # score = 109 × 60% + 90 × 40% = 65.4 + 36 = 101.4 → Baik.
    assert ev.score == Decimal("101.40") and ev.predikat_code == "baik"
    assert [c["value"] for c in ev.result["period"]["components"]] == [109, 90]
    assert ev.result["inputs"]["unit_satisfaction"]["ikm"] == 75
    assert any("perilaku 360°" in s for s in ev.result["period"]["steps"])
    with app.app_context():
        assert "evaluation.peer_rating" in _actions(o)


def test_salor_components_and_lower_is_better(app, client):
    with app.app_context():
        o = _setup("salor")
        # SLR-DOK-01 (waktu, lower is better) 3 hari, not accumulating;
        # SLR-DOK-02 (kuantitas) 1200 a year → January target 1200 / 12 = 100.
        ids = _plan(o, [("SLR-DOK-01", "Waktu penyelesaian", "waktu", "lower", "hari", 3, 3),
                        ("SLR-DOK-02", "Dokumen diselesaikan", "kuantitas", "higher", "dokumen", 1200, 1200)],
                    {0: {1: 2.4}, 1: {1: 90}})
    login(client, "salor", "penilai")
    ev_id = _start(client, "salor", ids["plan_id"], ids["periods"][1])
    # components: disiplin 100, kompetensi 80, inovasi 60 (component_0..2 in the rule set's order)
    response = _rate(client, "salor", ev_id, **_behaviours(90), component_0=100, component_1=80, component_2=60)
    assert response.status_code == 302
    with app.app_context():
        ev = _evaluation(o, ev_id)
    # SLR-DOK-01: (1 + (1 − 2.4 / 3)) × 100% = 120% → ≥ 110% → 120;
    # SLR-DOK-02: 90 / 100 = 90% → 70 + (89 − 70) / (99 − 80) × (90 − 80) = 80; hasil kerja = (120 + 80) / 2 = 100.
    # score = 100 × 50% + 90 × 20% + 100 × 10% + 80 × 10% + 60 × 10% = 50 + 18 + 10 + 8 + 6 = 92 → Baik.
    caps = [a["capaian"] for a in ev.result["period"]["achievements"]]
    assert caps == [120, 90]
    assert ev.score == Decimal("92.00") and ev.predikat_code == "baik"


def test_palangkaraya_needs_a_face_to_face_session(app, client):
    with app.app_context():
        o = _setup("palangkaraya")
        # PKY-TI-02 (kuantitas) 400 a year → Q1 target 100; PKY-TI-01 (kualitas, %) 80 as it is.
        ids = _plan(o, [("PKY-TI-02", "Data dimutakhirkan", "kuantitas", "higher", "data", 400, 400),
                        ("PKY-TI-01", "Layanan melalui aplikasi", "kualitas", "higher", "%", 80, 80)],
                    {0: {1: 80}, 1: {1: 80}})
    login(client, "palangkaraya", "penilai")
    ev_id = _start(client, "palangkaraya", ids["plan_id"], ids["periods"][1])
    assert _rate(client, "palangkaraya", ev_id, **_behaviours(80), component_0=60).status_code == 302
    refused = _finalise(client, "palangkaraya", ev_id)
    assert refused.status_code == 422 and "tatap muka baru 0" in refused.get_data(as_text=True)
    with app.app_context(), tenant_scope(o.tenant):
        db.session.add(m.FeedbackSession(plan_id=ids["plan_id"], period_id=ids["periods"][1],
                                         held_on=date(YEAR, 3, 10), face_to_face=True, notes="Dialog",
                                         recorded_by_id=o.user_ids["penilai"]))
        db.session.commit()
    assert _finalise(client, "palangkaraya", ev_id).status_code == 302
    with app.app_context():
        ev = _evaluation(o, ev_id)
    # PKY-TI-02: 80 / 100 = 80% → 70; PKY-TI-01: 80 / 80 = 100% → 109; hasil = (70 + 109) / 2 = 89.5.
    # score = 89.5 × 50% + proses 60 × 20% + perilaku 80 × 30% = 44.75 + 12 + 24 = 80.75 → Cukup (70–<90).
    assert ev.score == Decimal("80.75") and ev.predikat_code == "cukup"
    assert ev.status is m.EvaluationStatus.FINAL
    assert len(ev.result["inputs"]["feedback_sessions"]) == 1


def _walesi(app, settings=None):
    with app.app_context():
        o = _setup("walesi", settings)
        # WLS-VAK-02 (kuantitas) 300 a year → semester target 150; WLS-KMS-02 (kualitas, %) range 90–100.
        ids = _plan(o, [("WLS-VAK-02", "Anak divaksinasi", "kuantitas", "higher", "anak", 300, 300),
                        ("WLS-KMS-02", "Keluarga didampingi", "kualitas", "higher", "%", 90, 100)],
                    {0: {1: 165, 2: 150}, 1: {1: 95, 2: 85}})
    return o, ids


def test_walesi_matrix_semesters_and_the_year(app, client):
    o, ids = _walesi(app)
    login(client, "walesi", "penilai")
    s1 = _start(client, "walesi", ids["plan_id"], ids["periods"][1])
    # Hasil kerja left to the suggestion from the IKI nilai; perilaku "sesuai".
    assert _rate(client, "walesi", s1, hasil_kerja_rating="", perilaku_rating="sesuai").status_code == 302
    response = _finalise(client, "walesi", s1)
    assert response.status_code == 302
    # Distribution curve on warn: a unit rated "baik" needs one Butuh Perbaikan/Kurang — warned, not refused.
    assert "Peringatan kurva distribusi" in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        ev = _evaluation(o, s1)
    # WLS-VAK-02: 165 / 150 = 110% → 120; WLS-KMS-02: 95 within 90–100 → 100% → 109;
    # mean nilai (120 + 109) / 2 = 114.5 → band di_atas (110–120); matrix di_atas × sesuai → Baik.
    assert ev.score == Decimal("114.50")
    assert ev.result["period"]["hasil_kerja_rating"] == "di_atas"
    assert ev.predikat_code == "baik"

    s2 = _start(client, "walesi", ids["plan_id"], ids["periods"][2])
    assert _rate(client, "walesi", s2, hasil_kerja_rating="sesuai", perilaku_rating="di_bawah").status_code == 302
    assert _finalise(client, "walesi", s2).status_code == 302
    with app.app_context():
        # Penilai rated sesuai × di_bawah → Kurang/Misconduct (rank 4).
        assert _evaluation(o, s2).predikat_code == "kurang"

    year = _start(client, "walesi", ids["plan_id"], ids["periods"]["year"])
    with app.app_context():
        ev = _evaluation(o, year)
    # Annual = mean of the semester ranks: Baik 2 and Kurang 4 → 3 → Butuh Perbaikan.
    assert ev.result["kind"] == "annual" and ev.predikat_code == "butuh_perbaikan"
    # The year's own achievement: VAK-02 summed 165 + 150 = 315 / 300 = 105%;
    # KMS-02 averaged (95 + 85) / 2 = 90 within the range → 100%.
    rows = {r["code"]: r["realisation"] for r in ev.result["inputs"]["indicators"]}
    assert rows == {"WLS-VAK-02": 315, "WLS-KMS-02": 90}
    # The year is not rated separately here (matrix needs a perilaku rating): the annual result decides.
    assert ev.result["period"] is None and ev.result["annual"]["predikat_code"] == "butuh_perbaikan"


def test_the_year_follows_an_objection_decided_on_a_semester(app, client):
    from app.auth.models import User
    from app.skp.objections import services as objections

    o, ids = _walesi(app)
    login(client, "walesi", "penilai")
    s1 = _start(client, "walesi", ids["plan_id"], ids["periods"][1])
    _rate(client, "walesi", s1, hasil_kerja_rating="", perilaku_rating="sesuai")
    _finalise(client, "walesi", s1)
    s2 = _start(client, "walesi", ids["plan_id"], ids["periods"][2])
    _rate(client, "walesi", s2, hasil_kerja_rating="sesuai", perilaku_rating="di_bawah")
    _finalise(client, "walesi", s2)
    with app.app_context(), app.test_request_context(), tenant_scope(o.tenant):
        second = db.session.get(m.Evaluation, s2)
        objection = objections.lodge(db.session.get(User, o.user_ids["pegawai"]), second,
                                     "Perilaku dinilai tanpa bukti.", today=second.delivered_on)
        objections.decide(db.session.get(User, o.user_ids["atasan"]), objection, "changed",
                          "Perilaku sesuai ekspektasi.", new_predikat_code="baik", today=second.delivered_on)
        db.session.commit()
    year = _start(client, "walesi", ids["plan_id"], ids["periods"]["year"])
    with app.app_context():
        ev = _evaluation(o, year)
    # Semester 2 changed from Kurang (rank 4) to Baik (rank 2): mean rank (2 + 2) / 2 = 2 → Baik,
    # where the computed semester results alone give Butuh Perbaikan.
    assert ev.predikat_code == "baik"


def test_distribution_block_refuses_and_warn_allows(app, client):
    o, ids = _walesi(app, {"distribution_mode": "block"})
    login(client, "walesi", "penilai")
    s1 = _start(client, "walesi", ids["plan_id"], ids["periods"][1])
    _rate(client, "walesi", s1, perilaku_rating="sesuai")
    refused = _finalise(client, "walesi", s1)
    assert refused.status_code == 422 and "predikat organisasi" in refused.get_data(as_text=True)
    unit_url = f"/walesi/penilaian/unit/{o.unit_id}/{ids['periods'][1]}"
    page = client.get(unit_url).get_data(as_text=True)
    # Issue #9: the mode reads as words, not the code "block".
    assert "finalisasi ditolak selama kurva dilanggar" in page and "100.0" in page  # one of one is Baik
    # Issue #9: a penilai no longer sets the unit's organisation predikat; the admin instansi does.
    token = csrf_token(client, unit_url)
    assert client.post(unit_url, data={"csrf_token": token, "organisation_predikat": "baik"}).status_code == 403
    admin = app.test_client()
    login(admin, "walesi", "admin")
    token = csrf_token(admin, unit_url)
    assert admin.post(unit_url, data={"csrf_token": token, "organisation_predikat": "baik"}).status_code == 302
    page = client.get(unit_url).get_data(as_text=True)
    assert "Butuh Perbaikan/Kurang paling sedikit 1 orang" in page and "tidak dapat difinalkan" in page
    refused = _finalise(client, "walesi", s1)
    assert refused.status_code == 422 and "melanggar kurva" in refused.get_data(as_text=True)
    with app.app_context():
        assert _evaluation(o, s1).status is m.EvaluationStatus.DRAFT
        assert _evaluation(o, s1).inputs["organisation_predikat"] == "baik"
        with all_tenants("test"):
            tenant = Tenant.query.filter_by(slug="walesi").one()
            tenant.settings = {"distribution_mode": "warn", "evaluation_meeting_required": False}
            db.session.commit()
    response = _finalise(client, "walesi", s1)
    assert response.status_code == 302
    with app.app_context():
        assert _evaluation(o, s1).status is m.EvaluationStatus.FINAL
        assert "evaluation.organisation_predikat" in _actions(o)


# --- unit heads ----------------------------------------------------------------------------------

def test_unit_head_hasil_kerja_follows_the_unit(app, client, monkeypatch):
    with app.app_context():
        tenant = make_tenant("dinas-uji", rule_set="nasional")
        o = make_org(tenant)
        with tenant_scope(o.tenant):
            open_year(YEAR, "quarterly")
            pkm = org.save_unit(org.UnitData("PKM", "Puskesmas Kota", "puskesmas"))
            db.session.flush()
            kapus_pos = org.save_position(org.PositionData("KAPUS", "Kepala Puskesmas", "pengawas", pkm.id,
                                                           o.position_ids["KABID"]))
            db.session.flush()
            staf_pos = org.save_position(org.PositionData("PKM-STAF", "Perawat", "pelaksana", pkm.id,
                                                          kapus_pos.id))
            db.session.flush()
            kapus = org.save_employee(org.EmployeeData("198803032010011003", "Kepala Puskesmas", "L", "PNS",
                                                       kapus_pos.id))
            staf = org.save_employee(org.EmployeeData("199004042015012004", "Perawat Puskesmas", "P", "PNS",
                                                      staf_pos.id))
            db.session.commit()
            kapus_id, staf_id, pkm_id = kapus.id, staf.id, pkm.id
        _add_user(o, "kapus", kapus_id)
        # Staff: UMUM-01 (kuantitas but "%": not accumulating) target 100, Q1 95 → 95%.
        staff_plan = _plan(o, [("UMUM-01", "Dokumen sesuai rencana", "kuantitas", "higher", "%", 100, 100)],
                           {0: {1: 95}}, employee_id=staf_id)
        # The head's own IKI would be excellent: UMUM-02 99 / 90 = 110% → 120 (di atas).
        head_plan = _plan(o, [("UMUM-02", "Hasil tanpa revisi", "kualitas", "higher", "%", 90, 90)],
                          {0: {1: 99}}, employee_id=kapus_id)
    head_client = app.test_client()
    login(head_client, "dinas-uji", "kapus")
    staff_ev = _start(head_client, "dinas-uji", staff_plan["plan_id"], staff_plan["periods"][1])
    assert _rate(head_client, "dinas-uji", staff_ev, perilaku_rating="sesuai").status_code == 302

    login(client, "dinas-uji", "atasan")
    head_ev = _start(client, "dinas-uji", head_plan["plan_id"], head_plan["periods"][1])
    # The penilai's own hasil kerja rating is overridden: the head follows the unit.
    assert _rate(client, "dinas-uji", head_ev, hasil_kerja_rating="di_atas",
                 perilaku_rating="sesuai").status_code == 302
    with app.app_context():
        ev = _evaluation(o, head_ev)
    # Unit achievement = mean capaian of the unit's other evaluations = 95% (one staff member);
    # 95% → 70 + (89 − 70) / (99 − 80) × (95 − 80) = 85 → hasil kerja di_bawah (< 90);
    # di_bawah × sesuai → Butuh Perbaikan (without the rule: di_atas × sesuai → Baik).
    ua = ev.result["inputs"]["unit_achievement"]
    assert ua["capaian"] == 95 and ua["unit_id"] == pkm_id and len(ua["members"]) == 1
    assert [a["indicator_code"] for a in ev.result["period"]["achievements"]] == ["CAPAIAN-UNIT"]
    assert ev.result["period"]["hasil_kerja_rating"] == "di_bawah"
    assert ev.predikat_code == "butuh_perbaikan"
    assert "capaian-unit" in client.get(f"/dinas-uji/penilaian/{head_ev}").get_data(as_text=True)
    # The unit head may open the unit's distribution page; the staff member's evaluation is there.
    assert "Perawat Puskesmas" in head_client.get(
        f"/dinas-uji/penilaian/unit/{pkm_id}/{head_plan['periods'][1]}").get_data(as_text=True)
    # A rule set that says otherwise: the head's own IKI and rating count (di_atas × sesuai → Baik).
    from app.skp.evaluation import services as service

    registry = app.extensions["kinerja_regions"]
    monkeypatch.setitem(registry.rule_sets, "nasional",
                        replace(registry.rule_sets["nasional"], unit_head_follows_unit_achievement=False))
    with app.app_context(), tenant_scope(o.tenant):
        result = service.preview(service.load(head_ev))
    assert result["inputs"]["unit_achievement"] is None
    assert [a["capaian"] for a in result["period"]["achievements"]] == [110]
    assert result["predikat_code"] == "baik"


# --- permissions, stale saves ---------------------------------------------------------------------

def test_only_the_penilai_rates_and_nobody_rates_their_own_plan(app, client):
    o, ids = _walesi(app)
    q1 = ids["periods"][1]
    others = {}
    for role in ("pegawai", "atasan", "admin"):
        others[role] = app.test_client()
        login(others[role], "walesi", role)
        token = csrf_token(others[role], "/walesi/penilaian/")
        response = others[role].post(f"/walesi/penilaian/mulai/{ids['plan_id']}/{q1}", data={"csrf_token": token})
        assert response.status_code == 403, role
    login(client, "walesi", "penilai")
    ev_id = _start(client, "walesi", ids["plan_id"], q1)
    for role, other in others.items():
        token = csrf_token(other, "/walesi/penilaian/")
        rate = other.post(f"/walesi/penilaian/{ev_id}", data={"csrf_token": token, "perilaku_rating": "di_atas"})
        final = other.post(f"/walesi/penilaian/{ev_id}/final", data={"csrf_token": token})
        assert (rate.status_code, final.status_code) == (403, 403), role
    assert "SKP Anda sendiri" in others["pegawai"].post(
        f"/walesi/penilaian/{ev_id}/final", data={"csrf_token": csrf_token(others["pegawai"], "/walesi/penilaian/")}
    ).get_data(as_text=True)
    # The pegawai sees the draft only once final; the admin and the atasan may look.
    assert others["pegawai"].get(f"/walesi/penilaian/{ev_id}").status_code == 403
    assert others["admin"].get(f"/walesi/penilaian/{ev_id}").status_code == 200
    assert others["atasan"].get(f"/walesi/penilaian/{ev_id}").status_code == 200
    # Not even an admin's reassignment makes someone the penilai of their own plan.
    with app.app_context(), tenant_scope(o.tenant):
        plan = db.session.get(m.Plan, ids["plan_id"])
        plan.assigned_penilai_id = o.pegawai_id
        db.session.commit()
    token = csrf_token(others["pegawai"], "/walesi/penilaian/")
    response = others["pegawai"].post(f"/walesi/penilaian/mulai/{ids['plan_id']}/{ids['periods'][2]}",
                                      data={"csrf_token": token})
    assert response.status_code == 403
    with app.app_context():
        assert _evaluation(o, ev_id).inputs == {}
        with tenant_scope(o.tenant):
            assert db.session.scalar(select(db.func.count()).select_from(m.Evaluation)) == 1


def test_stale_save_is_refused_and_keeps_the_input(app, client):
    o, ids = _walesi(app)
    login(client, "walesi", "penilai")
    ev_id = _start(client, "walesi", ids["plan_id"], ids["periods"][1])
    html = _form_page(client, "walesi", ev_id).get_data(as_text=True)
    stale_version = _version(html)
    token = csrf_token(client, f"/walesi/penilaian/{ev_id}")
    # Someone else (another tab) saves first.
    assert _rate(client, "walesi", ev_id, perilaku_rating="sesuai").status_code == 302
    response = client.post(f"/walesi/penilaian/{ev_id}", data={
        "csrf_token": token, "version": stale_version, "perilaku_rating": "di_bawah",
        "note": "Catatan yang tidak boleh hilang"})
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and "sudah diubah orang lain" in body
    assert "Catatan yang tidak boleh hilang" in body and '<option selected value="di_bawah">' in body
    with app.app_context():
        assert _evaluation(o, ev_id).inputs["perilaku_rating"] == "sesuai"
    # Saving the kept form again overwrites on purpose (it now carries the current version).
    again = client.post(f"/walesi/penilaian/{ev_id}", data={
        "csrf_token": token, "version": _version(body), "perilaku_rating": "di_bawah"})
    assert again.status_code == 302
    with app.app_context():
        assert _evaluation(o, ev_id).inputs["perilaku_rating"] == "di_bawah"
        stale_version = str(_evaluation(o, ev_id).version - 1)
    # A stale finalise is refused too.
    response = client.post(f"/walesi/penilaian/{ev_id}/final", data={"csrf_token": token, "version": stale_version})
    assert response.status_code == 302
    with app.app_context():
        assert _evaluation(o, ev_id).status is m.EvaluationStatus.DRAFT


# --- history is never rewritten ---------------------------------------------------------------------

class plugin_walesi_baru:  # noqa: N801 - named like the module a real plugin would be
    """An "upgraded" Walesi: every matrix cell gives Sangat Kurang."""

    @staticmethod
    @hookimpl
    def kinerja_rule_sets():
        from plugins.walesi import RULE_SET

        scheme = replace(RULE_SET.scheme, cells=tuple(
            MatrixCell(h, p, "sangat_kurang") for h in Expectation for p in Expectation))
        return [replace(RULE_SET, code="walesi-baru", version="2.0.0", scheme=scheme)]


def test_final_result_survives_a_plugin_upgrade_and_reapply_is_audited(app, client, database_url):
    o, ids = _walesi(app)
    login(client, "walesi", "penilai")
    s1 = _start(client, "walesi", ids["plan_id"], ids["periods"][1])
    _rate(client, "walesi", s1, perilaku_rating="sesuai")
    assert _finalise(client, "walesi", s1).status_code == 302
    s2 = _start(client, "walesi", ids["plan_id"], ids["periods"][2])
    _rate(client, "walesi", s2, perilaku_rating="sesuai")
    with app.app_context():
        frozen = _evaluation(o, s1)
        draft_before = _evaluation(o, s2)
    assert draft_before.predikat_code == "baik"

    upgraded = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url,
                                      "EXTRA_REGION_PLUGINS": [plugin_walesi_baru]})
    try:
        with upgraded.app_context(), all_tenants("test: the region upgrades its rule set"):
            Tenant.query.filter_by(slug="walesi").one().rule_set_code = "walesi-baru"
            db.session.commit()
        admin = upgraded.test_client()
        login(admin, "walesi", "admin")
        page = admin.get(f"/walesi/penilaian/{s1}").get_data(as_text=True)
        assert "Baik" in page and "walesi 1.0.0" in page
        token = csrf_token(admin, "/walesi/penilaian/")
        response = admin.post(f"/walesi/penilaian/periode/{ids['periods'][2]}/terapkan-ulang",
                              data={"csrf_token": token, "reason": "Perbup baru"})
        assert response.status_code == 302
        response = admin.post(f"/walesi/penilaian/periode/{ids['periods'][1]}/terapkan-ulang",
                              data={"csrf_token": token})
        assert response.status_code == 302
        # Only the admin re-applies.
        penilai = upgraded.test_client()
        login(penilai, "walesi", "penilai")
        assert penilai.post(f"/walesi/penilaian/periode/{ids['periods'][2]}/terapkan-ulang",
                            data={"csrf_token": csrf_token(penilai, "/walesi/penilaian/")}).status_code == 403
        with upgraded.app_context():
            after = _evaluation(o, s1)
            draft_after = _evaluation(o, s2)
            with tenant_scope(o.tenant):
                entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "evaluation.reapply",
                                                                   AuditEntry.object_id == s2))
            assert entry.before["predikat_code"] == "baik" and entry.after["predikat_code"] == "sangat_kurang"
            assert entry.before["rule_set_version"] == "1.0.0" and entry.after["rule_set_version"] == "2.0.0"
            assert entry.reason == "Perbup baru"
    finally:
        with upgraded.app_context():
            db.session.remove()
            db.engine.dispose()
    # The final evaluation is identical, field by field.
    for attr in ("result", "score", "predikat_code", "predikat_label", "rule_set_code", "rule_set_version",
                 "snapshot", "status", "finalised_at", "delivered_on", "version"):
        assert getattr(after, attr) == getattr(frozen, attr), attr
    assert (draft_after.rule_set_code, draft_after.rule_set_version) == ("walesi-baru", "2.0.0")
    assert draft_after.predikat_code == "sangat_kurang"


def test_a_final_evaluation_is_never_recomputed(app):
    from app.errors import Invalid
    from app.skp.evaluation import services as service

    o, ids = _walesi(app)
    with app.app_context(), tenant_scope(o.tenant):
        ev = m.Evaluation(plan_id=ids["plan_id"], period_id=ids["periods"][1], status=m.EvaluationStatus.FINAL,
                          predikat_code="baik", result={"kind": "period"})
        db.session.add(ev)
        db.session.commit()
        with pytest.raises(Invalid):
            service.recompute(ev)


def test_finalising_passes_the_full_input_to_the_regions_training_rules(app, client):
    """Regression: Salor's rule recommends ethics training for a substantiated
    complaint in the period; finalising must hand the plugin the complaints
    (not only the penilai's stored entries), or the recommendation never comes."""
    from app.publik.models import Complaint, ComplaintCategory, ComplaintStatus

    with app.app_context():
        o = _setup("salor")
        ids = _plan(o, [("SLR-DOK-02", "Dokumen diselesaikan", "kuantitas", "higher", "dokumen", 1200, 1200)],
                    {0: {1: 100}})
        with tenant_scope(o.tenant):
            db.session.add(Complaint(tracking_code="ABCDEFGHJKMN", category=ComplaintCategory.PERILAKU,
                                     unit_id=o.unit_id, employee_id=o.pegawai_id, description="Petugas kasar.",
                                     status=ComplaintStatus.DIJAWAB, substantiated=True,
                                     received_on=date(YEAR, 1, 15)))
            db.session.commit()
    login(client, "salor", "penilai")
    ev_id = _start(client, "salor", ids["plan_id"], ids["periods"][1])
    assert _rate(client, "salor", ev_id, **_behaviours(100), component_0=100, component_1=100,
                 component_2=100).status_code == 302
    assert _finalise(client, "salor", ev_id).status_code == 302
    with app.app_context(), tenant_scope(o.tenant):
        codes = set(db.session.scalars(select(m.TrainingRecord.recommendation_code)
                                       .where(m.TrainingRecord.evaluation_id == ev_id)))
    assert "etika-pelayanan" in codes


# --- exact scores (issue #9 item 5) ---------------------------------------------------------

def _unrounded_plugin_total(monkeypatch, score: float) -> None:
    """A region whose ``kinerja_period_result`` computes its own total without ``round_score``:
    the plugin API carries floats, so the core gets e.g. 100.405 (binary 100.40499…)."""
    from app.regions.manager import RuleSetRuntime

    computed = RuleSetRuntime.period_result

    def period_result(self, evaluation):
        return replace(computed(self, evaluation), score=score)

    monkeypatch.setattr(RuleSetRuntime, "period_result", period_result)


def test_a_plugin_score_is_stored_as_an_exact_decimal_rounded_half_up(app, client, monkeypatch):
    with app.app_context():
        o = _setup("sawahlunto")
        ids = _plan(o, [("KES-01", "Pelayanan kesehatan", "kuantitas", "higher", "layanan", 600, 600),
                        ("KES-03", "Waktu tunggu", "waktu", "lower", "menit", 20, 30)],
                    {0: {1: 150}, 1: {1: 25}})
    _unrounded_plugin_total(monkeypatch, 100.405)  # float round() and '%.2f' give 100.40
    login(client, "sawahlunto", "penilai")
    ev_id = _start(client, "sawahlunto", ids["plan_id"], ids["periods"][1])
    assert _rate(client, "sawahlunto", ev_id, **_behaviours(100)).status_code == 302
    assert _finalise(client, "sawahlunto", ev_id).status_code == 302
    with app.app_context():
        db.session.remove()  # a fresh read: the value comes back from the database
        ev = _evaluation(o, ev_id)
    assert isinstance(ev.score, Decimal) and ev.score == Decimal("100.41")
    assert ev.result["score"] == 100.405  # the JSON outcome keeps the plugin's number as it is
    page = client.get(f"/sawahlunto/penilaian/{ev_id}").get_data(as_text=True)
    assert '<dd id="nilai">100.41</dd>' in page
    assert 'id="diubah-keberatan"' not in page  # the rounding is no objection decision


def test_an_objection_score_round_trips_exactly(app, client):
    from app.auth.models import User
    from app.skp.evaluation import services as evaluations
    from app.skp.objections import services as objections

    with app.app_context():
        o = _setup("sawahlunto")
        ids = _plan(o, [("KES-01", "Pelayanan kesehatan", "kuantitas", "higher", "layanan", 600, 600)],
                    {0: {1: 150}})
    with app.test_request_context(), tenant_scope(o.tenant):
        penilai = db.session.get(User, o.user_ids["penilai"])
        ev = evaluations.get_or_start(penilai, db.session.get(m.Plan, ids["plan_id"]),
                                      db.session.get(m.Period, ids["periods"][1]))
        codes = evaluations.behaviour_codes(ev, evaluations.tenant_rules())
        evaluations.save_ratings(penilai, ev, evaluations.RatingData(
            behaviour_scores={c: 100.0 for c, _n in codes}), None)
        evaluations.finalise(penilai, ev, None)
        objection = objections.lodge(db.session.get(User, o.user_ids["pegawai"]), ev, "Nilai terlalu tinggi.")
        # 80.005 is binary 80.00499…: float rounding gives 80.00, half-up on the typed decimal 80.01.
        objections.decide(db.session.get(User, o.user_ids["atasan"]), objection, "changed",
                          "Dipertimbangkan ulang.", new_predikat_code="cukup", new_score=80.005)
        db.session.commit()
        ev_id = ev.id
    with app.app_context(), tenant_scope(o.tenant):
        db.session.remove()
        ev = db.session.get(m.Evaluation, ev_id)
        assert isinstance(ev.score, Decimal) and ev.score == Decimal("80.01")
        # The one stored value is what every page shows.
        shown = evaluations.current_outcome(ev)
        assert (shown.score, shown.changed_by_objection) == (Decimal("80.01"), True)
    login(client, "sawahlunto", "penilai")
    assert '<dd id="nilai">80.01</dd>' in client.get(f"/sawahlunto/penilaian/{ev_id}").get_data(as_text=True)


def test_the_score_columns_are_exact_decimals_in_the_schema(app_context, owner_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import Numeric, inspect

    columns = {c["name"]: c["type"] for c in inspect(owner_engine).get_columns("skp_evaluation")}
    assert isinstance(columns["score"], Numeric) and (columns["score"].precision, columns["score"].scale) == (6, 2)
    with owner_engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert [d for d in diffs if "skp_evaluation" in repr(d) and "score" in repr(d)] == []
