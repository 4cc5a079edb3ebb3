"""A draft evaluation's result is stored when its inputs change, not computed on
every view (issue #13): the page shows the stored outcome, and every input's
change reaches it — each test changes one input and reads the page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app import models as m
from app.auth.models import User
from app.extensions import db
from app.periods.models import Period
from app.skp.evaluation import compute
from app.skp.evaluation import services as service
from app.skp.evaluation.reapply import start_reapply
from app.skp.feedback import services as feedback
from app.skp.realisation import services as realisation
from app.tenancy import tenant_scope
from app.tenancy.models import Tenant
from tests.conftest import csrf_token, login
from tests.cycle_support import cycle_under_way


@pytest.fixture
def org(app, two_tenants):
    yield from cycle_under_way(app, two_tenants[0])


@pytest.fixture
def computations(monkeypatch):
    """Counts the computations of an outcome (``compute.compute``) while it is active."""
    calls: list[int] = []
    original = compute.compute

    def counting(evaluation, rt=None):
        calls.append(evaluation.id)
        return original(evaluation, rt)

    monkeypatch.setattr(compute, "compute", counting)
    return calls


@pytest.fixture
def penilai(app, org):
    client = app.test_client()
    login(client, "kota-a", "penilai")
    return client


def _url(org, evaluation_id: int | None = None) -> str:
    return f"/kota-a/penilaian/{evaluation_id or org.cycle.evaluation_id}"


def _shown(client, org, computations, evaluation_id: int | None = None) -> str:
    """The page's HTML; fails if showing it computed the outcome (the stored one must do)."""
    computations.clear()
    html = client.get(_url(org, evaluation_id)).get_data(as_text=True)
    assert computations == [], "the page computed the outcome instead of showing the stored one"
    return html


def _fact(html: str, label: str) -> str:
    found = re.search(re.escape(label) + r"</dt><dd>([^<]*)", html)
    assert found, label
    return found.group(1).strip()


def _evaluation(app, org, evaluation_id: int | None = None) -> m.Evaluation:
    with app.app_context(), tenant_scope(org.tenant):
        evaluation = db.session.get(m.Evaluation, evaluation_id or org.cycle.evaluation_id)
        db.session.expunge(evaluation)
        return evaluation


def _rate(client, org) -> None:
    """The penilai rates the draft on the page (the rating form, as a person would)."""
    html = client.get(_url(org)).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    response = client.post(_url(org), data={
        "csrf_token": csrf_token(client, _url(org)), "version": version,
        "hasil_kerja_rating": "sesuai", "perilaku_rating": "di_atas"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def _as(org, username: str) -> User:
    return db.session.get(User, org.user_ids[username])


def test_the_page_shows_the_stored_result_without_computing(app, org, penilai, computations):
    _rate(penilai, org)
    stored = _evaluation(app, org)
    assert stored.predikat_label == "Baik" and stored.result["predikat_label"] == "Baik"
    computations.clear()
    html = penilai.get(_url(org)).get_data(as_text=True)
    assert "Baik" in html
    assert computations == []  # shown from the stored result
    # A draft never computed (rows written around the ORM) is computed when shown, not stored on a GET.
    with app.app_context(), tenant_scope(org.tenant):
        db.session.execute(m.Evaluation.__table__.update().where(m.Evaluation.id == org.cycle.evaluation_id)
                           .values(result={}))
        db.session.commit()
    assert "Baik" in penilai.get(_url(org)).get_data(as_text=True)
    assert computations == [org.cycle.evaluation_id]
    assert _evaluation(app, org).result == {}


def test_a_realisation_refreshes_the_stored_result_without_staling_the_penilai_form(app, org, penilai,
                                                                                    computations):
    _rate(penilai, org)
    version = _evaluation(app, org).version
    assert "\u2014<br>" in penilai.get(_url(org)).get_data(as_text=True)  # no Q2 realisation yet
    with app.app_context(), tenant_scope(org.tenant):
        plan = db.session.get(m.Plan, org.cycle.plan_id)
        indicator = db.session.get(m.PlanIndicator, org.cycle.indicator_id)
        quarter2 = db.session.scalar(select(Period).where(Period.sequence == 2, Period.parent_id.is_not(None)))
        made = realisation.save(_as(org, "pegawai"), plan, indicator, quarter2,
                                realisation.RealisationData(5, None, None))
        db.session.commit()
        made_id = made.id
    assert "5.0<br>" in _shown(penilai, org, computations)
    evaluation = _evaluation(app, org)
    assert evaluation.result["inputs"]["indicators"][0]["realisation"] == 5.0
    assert evaluation.version == version  # derived data: the penilai's open form stays valid
    # Changed, then removed: each shows.
    with app.app_context(), tenant_scope(org.tenant):
        row = db.session.get(m.Realisation, made_id)
        row.value = 2
        db.session.commit()
    assert "2.0<br>" in _shown(penilai, org, computations)
    with app.app_context(), tenant_scope(org.tenant):
        db.session.delete(db.session.get(m.Realisation, made_id))
        db.session.commit()
    assert "\u2014<br>" in _shown(penilai, org, computations)
    # The realisations changed nothing the penilai entered: the draft's version is the form's still.
    assert _evaluation(app, org).version == version


def test_a_feedback_session_reaches_the_stored_result(app, org, penilai, computations):
    assert _fact(penilai.get(_url(org)).get_data(as_text=True), "Sesi umpan balik").startswith("0")
    with app.app_context(), tenant_scope(org.tenant):
        plan = db.session.get(m.Plan, org.cycle.plan_id)
        quarter2 = db.session.scalar(select(Period).where(Period.sequence == 2, Period.parent_id.is_not(None)))
        feedback.record_session(_as(org, "penilai"), plan, feedback.SessionData(
            date(2026, 5, 4), True, "Dialog kinerja triwulan 2", None, quarter2.id))
        db.session.commit()
    assert _fact(_shown(penilai, org, computations), "Sesi umpan balik").startswith("1 (1")


def test_a_changed_target_reaches_the_stored_result(app, org, penilai, computations):
    with app.app_context(), tenant_scope(org.tenant):
        indicator = db.session.get(m.PlanIndicator, org.cycle.indicator_id)
        indicator.target_lower = indicator.target_upper = 40
        db.session.commit()
    assert "40" in _shown(penilai, org, computations)
    assert _evaluation(app, org).result["inputs"]["indicators"][0]["annual_target"] == "40"


def test_the_year_follows_its_final_periods(app, org, penilai, computations):
    with app.app_context(), tenant_scope(org.tenant):
        plan = db.session.get(m.Plan, org.cycle.plan_id)
        year = db.session.get(Period, org.cycle.year_period_id)
        annual = service.get_or_start(_as(org, "penilai"), plan, year)
        db.session.commit()
        annual_id = annual.id
    assert _evaluation(app, org, annual_id).result["periodic"][0]["predikat"] == "Baik"
    # An objection decision changes the final Q1's predikat: the year's draft follows.
    with app.app_context(), tenant_scope(org.tenant):
        final = db.session.get(m.Evaluation, org.cycle.final_evaluation_id)
        final.predikat_code, final.predikat_label = "sangat_baik", "Sangat Baik"
        db.session.commit()
    assert "Sangat Baik" in _shown(penilai, org, computations, annual_id)
    assert _evaluation(app, org, annual_id).result["periodic"][0]["predikat"] == "Sangat Baik"


def test_figures_from_the_stages_above_are_checked_when_shown(app, org, penilai, computations):
    assert _fact(penilai.get(_url(org)).get_data(as_text=True), "Pelatihan selesai") == "0.0 JP"
    with app.app_context(), tenant_scope(org.tenant):
        record = db.session.get(m.TrainingRecord, org.cycle.record_id)
        record.status = m.TrainingStatus.COMPLETED
        db.session.commit()
    computations.clear()
    assert _fact(penilai.get(_url(org)).get_data(as_text=True), "Pelatihan selesai") == "20.0 JP"
    assert computations == [org.cycle.evaluation_id]  # the training stage does not announce it: computed


def test_new_rules_are_shown_until_reapplied_and_then_stored(app, org, penilai, computations):
    _rate(penilai, org)
    computations.clear()
    penilai.get(_url(org))
    assert computations == []
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        tenant.settings = {**(tenant.settings or {}), "early_finalisation": True}
        db.session.commit()
    penilai.get(_url(org))
    assert computations == [org.cycle.evaluation_id]  # other rules than stored: computed
    with app.app_context(), tenant_scope(org.tenant):
        period = db.session.get(Period, _evaluation(app, org).period_id)
        start_reapply(_as(org, "admin"), period, "Aturan baru")  # inline in the tests
    computations.clear()
    penilai.get(_url(org))
    assert computations == []


def test_a_peer_rating_refreshes_its_evaluation(app, org):
    with app.app_context(), tenant_scope(org.tenant):
        draft = db.session.get(m.Evaluation, org.cycle.evaluation_id)
        computed_at = draft.result.get("computed_at")
        db.session.execute(m.Evaluation.__table__.update().where(m.Evaluation.id == draft.id)
                           .values(result={"stale": True}))
        db.session.commit()
        db.session.add(m.PeerRating(evaluation_id=draft.id, rater_id=org.peer_id, rater_role="rekan",
                                    behaviour_code="BERORIENTASI_PELAYANAN", score=90))
        db.session.commit()
        db.session.expire_all()
        refreshed = db.session.get(m.Evaluation, org.cycle.evaluation_id).result
        assert "stale" not in refreshed and refreshed["kind"] == "period" and computed_at


def test_a_failing_region_plugin_does_not_block_the_input_change(app, org, penilai, monkeypatch, computations):
    from app.regions.errors import PluginRuntimeError
    from app.regions.manager import RuleSetRuntime

    def broken(self, evaluation):
        raise PluginRuntimeError("nasional", "kinerja_period_result", "nasional", ValueError("rusak"))

    working = RuleSetRuntime.period_result
    monkeypatch.setattr(RuleSetRuntime, "period_result", broken)
    with app.app_context(), tenant_scope(org.tenant):
        row = db.session.get(m.Realisation, org.cycle.realisation_id)
        row.value = 4
        db.session.commit()  # the realisation is saved; the draft's stored result is dropped
        assert db.session.get(m.Realisation, org.cycle.realisation_id).value == 4
    assert _evaluation(app, org).result == {}
    monkeypatch.setattr(RuleSetRuntime, "period_result", working)  # the plugin works again
    computations.clear()
    penilai.get(_url(org))
    assert computations == [org.cycle.evaluation_id]  # nothing stored: the page computes


def test_a_reader_in_another_language_gets_the_messages_in_theirs(app, org, penilai, computations):
    # A stored outcome's messages (an annual draft's "not final yet" blockers, say) are in the
    # language of whoever's change stored it: another language's reader gets them computed.
    assert "Penilai belum menilai" in _evaluation(app, org).result["error"]
    computations.clear()
    assert penilai.get(_url(org) + "?lang=en").status_code == 200
    assert computations == [org.cycle.evaluation_id]
    penilai.get(_url(org) + "?lang=id")
    assert "Penilai belum menilai" in _shown(penilai, org, computations)
