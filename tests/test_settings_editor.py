"""The region settings editor: a form generated from the rule set's settings
schema, validated, previewed (the diff and the open evaluations it governs),
saved as a version in force from a period, audited; scoring a period follows
the version in force on its first day; final evaluations keep their result."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app import audit
from app import models as m
from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.regions.manager import regions
from app.regions.settings import _schema_for
from app.settings.fields import describe
from app.skp.evaluation import services as evaluations
from app.skp.evaluation.compute import recompute
from app.tenancy import all_tenants, tenant_rules, tenant_scope
from app.tenancy.models import SettingsVersion
from tests.conftest import csrf_token, login, make_cycle, make_org, make_tenant

YEAR = 2027  # every period is still open (has not ended) on the real today
URL = "/kota-a/admin/pengaturan/"


@pytest.fixture
def world(app):
    """Kota A (Sawahlunto's rules: weighted components): one plan with draft
    evaluations in Q2 and Q3 (and make_cycle's final in Q1), and a colleague's Q3
    evaluation computed and finalised under the rules as they were."""
    with app.app_context():
        org = make_org(make_tenant("kota-a", rule_set="sawahlunto"))
        make_org(make_tenant("kota-b"), prefix="Beta ")
        cycle = make_cycle(org, year=YEAR)
        with tenant_scope(org.tenant):
            year = db.session.get(m.Period, cycle.year_period_id)
            q = {p.sequence: p for p in year.children}
            behaviours = {b.code: 50.0 for b in regions().get("sawahlunto").behaviours}
            draft_q2 = db.session.get(m.Evaluation, cycle.evaluation_id)
            assert draft_q2.period_id == q[2].id
            draft_q2.inputs = {"behaviour_scores": behaviours}
            draft_q3 = m.Evaluation(plan_id=cycle.plan_id, period_id=q[3].id, evaluator_id=org.penilai_id,
                                    inputs={"behaviour_scores": behaviours})
            db.session.add_all([draft_q3,
                                m.Realisation(indicator_id=cycle.indicator_id, period=q[2], value=3),
                                m.Realisation(indicator_id=cycle.indicator_id, period=q[3], value=3)])
            # The colleague's plan: the same work, rated the same, finalised in Q3 before any version.
            plan = m.Plan(employee_id=org.peer_id, period=year, status=m.PlanStatus.AGREED,
                          position_name="Pengadministrasi", unit_name="Dinas")
            result = m.PlanResult(plan=plan, kind=m.ResultKind.UTAMA, description="Layanan administrasi tertib")
            indicator = m.PlanIndicator(result=result, name="Dokumen diproses", aspect="kuantitas",
                                        direction="higher", unit="dokumen", target_lower=12, target_upper=12)
            final_q3 = m.Evaluation(plan=plan, period=q[3], evaluator_id=org.penilai_id,
                                    inputs={"behaviour_scores": behaviours})
            db.session.add_all([plan, result, indicator, final_q3,
                                m.Realisation(indicator=indicator, period=q[3], value=3)])
            db.session.flush()
            computed = recompute(final_q3)
            final_q3.status, final_q3.snapshot = m.EvaluationStatus.FINAL, computed.runtime.snapshot()
            final_q3.delivered_on = q[3].ends_on
            db.session.commit()
            ids = {"q": {n: p.id for n, p in q.items()}, "q2": draft_q2.id, "q3": draft_q3.id,
                   "final": cycle.final_evaluation_id, "final_q3": final_q3.id}
        db.session.remove()
    return org, ids


def _state(evaluation_id: int) -> tuple:
    e = db.session.get(m.Evaluation, evaluation_id)
    return e.status, e.score, e.predikat_code, {k: v for k, v in (e.result or {}).items() if k != "computed_at"}


def _admin(client):
    assert login(client, "kota-a", "admin").status_code == 302
    return client


def _post(client, data: dict, url: str = URL):
    return client.post(url, data={"csrf_token": csrf_token(client, URL), **data})


def _token(html: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', html)
    assert match, "the preview carries the signed proposal"
    return match.group(1)


def _versions() -> int:
    with all_tenants("test: versions of every tenant"):
        return db.session.scalar(select(func.count()).select_from(SettingsVersion))


def test_the_form_is_built_from_the_rule_sets_schema(app, client, world):
    org, _ids = world
    page = _admin(client).get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    with app.test_request_context():
        rule_set = regions().get("sawahlunto")
        fields = describe(rule_set)
    names = {f.name for f in fields}
    # The common settings and the region's own (Sawahlunto's consultation), none written by hand here.
    assert {"objection_window_days", "weights", "early_finalisation", "consultation_days"} <= names
    assert "rater_weights" not in names  # no 360° in Sawahlunto: nothing to weigh
    for f in fields:
        if f.kind == "weights":
            for key, label in f.keys:
                assert f'name="{f.input_name(key)}"' in html and label in html
        else:
            assert f'name="{f.input_name()}"' in html
        assert f.label in html
    # The rule set's own values are shown next to each field (read from the rule set object).
    consultation = next(f for f in fields if f.name == "consultation_days")
    assert consultation.default == 14 and consultation.minimum == 1 and consultation.maximum == 60
    assert f"Bawaan aturan daerah: {rule_set.objection_window_days}." in html
    skp = next(c for c in rule_set.components if c.code == "skp")
    assert f"{skp.name} {skp.weight:g}%" in html
    assert "Kosongkan isian untuk mengikuti nilai bawaan aturan daerah." in html
    # The start: "mulai hari ini" and the periods that have not ended.
    assert "Mulai hari ini" in html and "Triwulan 3 2027" in html
    # Only the admin instansi.
    other = app.test_client()
    assert login(other, "kota-a", "pegawai").status_code == 302
    assert other.get(URL).status_code == 403
    assert app.test_client().get(URL).status_code == 302


@pytest.mark.parametrize(("data", "message"), [
    ({"s__objection_window_days": "abc"}, "Isi dengan bilangan bulat."),
    ({"s__objection_window_days": "500"}, "Isi antara 1 dan 90."),
    ({"s__objection_window_days": "99999999999999999999"}, "Isi antara 1 dan 90."),
    ({"s__required_training_hours": "1e309"}, "Isi dengan angka."),
    ({"s__required_training_hours": "NaN"}, "Isi dengan angka."),
    ({"s__weights__skp": "50", "s__weights__perilaku": "30", "s__weights__pelatihan": "10"},
     "Jumlah bobot harus 100 (sekarang 90)."),
    ({"s__weights__skp": "90", "s__weights__perilaku": "10"}, "Isi semua bobot, atau kosongkan semuanya."),
    ({"s__distribution_mode": "semua"}, "Pilihan tidak dikenal."),
    ({"s__early_finalisation": "mungkin"}, "Pilih ya atau tidak."),
    ({"start": "99999"}, "Periode ini tidak ada atau sudah berakhir"),
    ({"start": "x" * 100_000}, None),
    ({"start": "²"}, "Pilih periode mulai berlaku."),
])
def test_bad_values_re_render_with_the_message_on_the_field(app, client, world, data, message):
    _admin(client)
    response = _post(client, {"start": "today", **data})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="field has-error"' in html
    if message:
        assert message in html
    assert 'data-testid="preview"' not in html
    with app.app_context():
        assert _versions() == 0


def test_another_tenants_period_cannot_be_chosen(app, client, world):
    org, ids = world
    with app.app_context():
        b_year = make_cycle(make_org(make_tenant("kota-c"), prefix="Gamma "), year=YEAR).year_period_id
    _admin(client)
    response = _post(client, {"start": str(b_year), "s__objection_window_days": "21"})
    assert response.status_code == 422 and 'data-testid="preview"' not in response.get_data(as_text=True)


def test_preview_then_save_a_version_from_a_period(app, client, world):
    org, ids = world
    _admin(client)
    with app.app_context():
        rule_set = regions().get("sawahlunto")
    response = _post(client, {"start": str(ids["q"][3]), "note": "Perwako 12/2027",
                              "s__objection_window_days": "21",
                              "s__weights__skp": "80", "s__weights__perilaku": "10", "s__weights__pelatihan": "10"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    preview = html[html.index('data-testid="preview"'):]
    # The diff: label, before (the rule set's value), after.
    assert f"<td>Masa keberatan (hari)</td><td>{rule_set.objection_window_days}</td><td>21</td>" in preview
    weights = ", ".join(f"{c.name} {c.weight:g}%" for c in rule_set.components)
    assert f"<td>Bobot komponen penilaian</td><td>{weights}</td>" in preview
    assert "Finalisasi sebelum periode berakhir" not in preview  # unchanged settings are not listed
    # The open evaluations it governs: Q3's draft (and the year's none); not Q2's, not Q1's final.
    assert re.search(r"Triwulan 3 2027</a></td><td>1</td>", preview)
    assert "Triwulan 2 2027" not in preview and "Triwulan 1 2027" not in preview
    with app.app_context():
        assert _versions() == 0  # a preview saves nothing

    # A token altered on the way is refused.
    token = _token(html)
    bad = client.post(URL + "simpan", data={"csrf_token": csrf_token(client, URL), "token": token[:-2] + "xx"})
    assert bad.status_code == 422 and "Pratinjau sudah kedaluwarsa" in bad.get_data(as_text=True)

    saved = client.post(URL + "simpan", data={"csrf_token": csrf_token(client, URL), "token": token})
    assert saved.status_code == 302 and "versi=1" in saved.location
    with app.app_context(), tenant_scope(org.tenant):
        version = db.session.scalar(select(SettingsVersion))
        q3 = db.session.get(m.Period, ids["q"][3])
        assert (version.number, version.effective_from, version.period_id) == (1, q3.starts_on, q3.id)
        assert version.settings == {"objection_window_days": 21,
                                    "weights": {"skp": 80.0, "perilaku": 10.0, "pelatihan": 10.0}}
        assert (version.note, version.source, version.created_by_id) == ("Perwako 12/2027", "editor",
                                                                        org.user_ids["admin"])
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.version"))
        assert entry.after["changes"]["objection_window_days"] == [None, 21]
        assert entry.reason == "Perwako 12/2027" and audit.verify(org.tenant).ok
        # In force from Q3's first day, not before.
        assert tenant_rules(on=q3.starts_on).rule_set.objection_window_days == 21
        assert tenant_rules(on=date(YEAR, 6, 30)).rule_set.objection_window_days == rule_set.objection_window_days
    page = client.get(saved.location).get_data(as_text=True)
    assert "Versi 1 tersimpan" in page
    assert f'action="/kota-a/penilaian/periode/{ids["q"][3]}/terapkan-ulang"' in page  # the re-apply action
    assert "Perwako 12/2027" in page and "Masa keberatan (hari): 14 → 21" in page  # the history
    # Saving the same proposal again changes nothing: refused with a message, no second version.
    again = client.post(URL + "simpan", data={"csrf_token": csrf_token(client, URL), "token": token})
    assert again.status_code == 422 and "Tidak ada pengaturan yang berubah." in again.get_data(as_text=True)
    with app.app_context():
        assert _versions() == 1


def test_scoring_follows_the_version_in_force_on_the_periods_first_day(app, client, world):
    org, ids = world
    with app.app_context(), tenant_scope(org.tenant):
        admin = db.session.get(User, org.user_ids["admin"])
        with audit.acting_as(admin):
            for n in (2, 3):
                evaluations.reapply_rules(admin, db.session.get(m.Period, ids["q"][n]))
        db.session.commit()
        before = {key: _state(ids[key]) for key in ("q2", "q3", "final", "final_q3")}
        assert before["q2"][1] == before["q3"][1] == before["final_q3"][1] is not None  # same work, same score
        snapshot = db.session.get(m.Evaluation, ids["final_q3"]).snapshot
    # The admin saves a version from Q3 through the editor, then re-applies the rules to Q2 and Q3.
    _admin(client)
    html = _post(client, {"start": str(ids["q"][3]), "s__weights__skp": "80", "s__weights__perilaku": "10",
                          "s__weights__pelatihan": "10"}).get_data(as_text=True)
    token = csrf_token(client, URL)
    assert client.post(URL + "simpan", data={"csrf_token": token, "token": _token(html)}).status_code == 302
    for n in (2, 3):
        response = client.post(f"/kota-a/penilaian/periode/{ids['q'][n]}/terapkan-ulang",
                               data={"csrf_token": csrf_token(client, URL), "reason": "Pengaturan daerah versi 1"})
        assert response.status_code == 302
    with app.app_context(), tenant_scope(org.tenant):
        after = {key: _state(ids[key]) for key in ("q2", "q3", "final", "final_q3")}
        assert after["q2"] == before["q2"]  # Q2 follows the settings in force on its first day: unchanged
        assert after["q3"][1] != before["q3"][1]  # Q3 follows the new weights
        assert after["q3"][3]["period"] != before["q3"][3]["period"]
        assert after["final"] == before["final"]  # final evaluations keep their result…
        assert after["final_q3"] == before["final_q3"]  # …even in the period the version governs
        assert db.session.get(m.Evaluation, ids["final_q3"]).snapshot == snapshot  # and their snapshot
        final = db.session.get(m.Evaluation, ids["final"])
        assert final.status is m.EvaluationStatus.FINAL and final.predikat_code == "baik"
        # Computing a draft (the evaluation page, saving ratings) uses the same rules.
        q3 = db.session.get(m.Evaluation, ids["q3"])
        assert evaluations.compute(q3).runtime.rule_set.components[0].weight == 80
        q2 = db.session.get(m.Evaluation, ids["q2"])
        assert evaluations.compute(q2).runtime.rule_set.components[0].weight == 60
        reapplied = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "evaluation.reapply",
                                                                AuditEntry.object_id.in_([ids["final"],
                                                                                          ids["final_q3"]]))).all()
        assert reapplied == []


@pytest.mark.parametrize("code", ["nasional", "sawahlunto", "ambon", "salor", "palangkaraya", "walesi"])
def test_every_region_gets_its_own_form(app, code):
    with app.app_context():
        make_org(make_tenant("kota-r", rule_set=code))
        db.session.remove()
    client = app.test_client()
    assert login(client, "kota-r", "admin").status_code == 302
    url = "/kota-r/admin/pengaturan/"
    html = client.get(url).get_data(as_text=True)
    with app.test_request_context():
        rule_set = regions().get(code)
        fields = describe(rule_set)
    assert {f.name for f in fields} <= set(_schema_for(rule_set).fields)
    for f in fields:
        assert f.label in html
    # Nothing changed: a message, never a server error.
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "start": "today"})
    assert response.status_code == 422 and "Tidak ada pengaturan yang berubah" in response.get_data(as_text=True)
    if rule_set.rater_weights:  # 360° regions weigh their raters
        rater = next(f for f in fields if f.name == "rater_weights")
        data = {rater.input_name(key): "25" for key, _label in rater.keys}
        response = client.post(url, data={"csrf_token": csrf_token(client, url), "start": "today", **data})
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "Bobot penilai 360°" in html[html.index('data-testid="preview"'):]
    listed = [f for f in fields if f.kind == "list"]
    for f in listed:
        response = client.post(url, data={"csrf_token": csrf_token(client, url), "start": "today",
                                          f.input_name(): "kurang, sangat_kurang"})
        assert response.status_code == 200 and 'data-testid="preview"' in response.get_data(as_text=True)
