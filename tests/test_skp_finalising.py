"""Issue #9: no finalisation on partial data, no existence oracle, numbers parsed and rounded one way."""

from __future__ import annotations

from datetime import date

import pytest

from app import models as m
from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.skp.evaluation import services as evaluations
from app.skp.evaluation.worklist import due_year
from app.skp.objections import services as objections
from app.skp.realisation.forms import parse_number
from app.tenancy import tenant_scope
from tests.test_skp_evaluation import YEAR, _plan, _setup

AFTER_Q1 = date(YEAR, 4, 10)
INDICATORS = [("KES-01", "Pelayanan kesehatan", "kuantitas", "higher", "layanan", 600, 600),
              ("KES-03", "Waktu tunggu", "waktu", "lower", "menit", 20, 30)]


def _settings(app, value: dict) -> None:
    from app.tenancy import all_tenants
    from app.tenancy.models import Tenant

    with app.app_context(), all_tenants("test"):
        Tenant.query.filter_by(slug="sawahlunto").one().settings = value
        db.session.commit()


def _user(o, role) -> User:
    return db.session.get(User, o.user_ids[role])


def _rated(app, settings=None, realisations=None):
    """A sawahlunto Q1 draft, rated, with KES-03 unreported unless ``realisations`` say otherwise."""
    with app.app_context():
        o = _setup("sawahlunto", settings)
    _settings(app, dict(settings or {}))  # the rule set's own defaults: early finalisation off
    with app.app_context():
        ids = _plan(o, INDICATORS, realisations if realisations is not None else {0: {1: 150}})
    return o, ids


def _draft(o, ids, period_key=1):
    penilai = _user(o, "penilai")
    plan = db.session.get(m.Plan, ids["plan_id"])
    period = db.session.get(m.Period, ids["periods"][period_key])
    ev = evaluations.get_or_start(penilai, plan, period)
    entries = evaluations.RatingData(behaviour_scores={c: 100.0 for c, _n in
                                                       evaluations.behaviour_codes(ev, evaluations.tenant_rules())})
    evaluations.save_ratings(penilai, ev, entries, None)
    return penilai, ev


def test_an_unreported_iki_blocks_until_the_penilai_records_no_realisation(app):
    o, ids = _rated(app)
    with app.test_request_context(), tenant_scope(o.tenant):
        penilai, ev = _draft(o, ids)
        ready = evaluations.finalise_readiness(ev, AFTER_Q1)
        assert any("Waktu tunggu" in b and "belum memiliki realisasi" in b for b in ready.blockers)
        with pytest.raises(Invalid, match="belum memiliki realisasi"):
            evaluations.finalise(penilai, ev, None, today=AFTER_Q1)
        assert ev.status is m.EvaluationStatus.DRAFT
        kes03 = next(r for r in ev.result["inputs"]["indicators"] if r["code"] == "KES-03")
        evaluations.record_no_realisation(penilai, ev, kes03["plan_indicator_id"], True)
        row = next(r for r in ev.result["inputs"]["indicators"] if r["code"] == "KES-03")
        assert row["realisation"] == 0 and row["no_realisation"] is True
        assert evaluations.finalise_readiness(ev, AFTER_Q1).blockers == ()
        evaluations.finalise(penilai, ev, None, today=AFTER_Q1)
        assert ev.status is m.EvaluationStatus.FINAL
        db.session.rollback()


def test_a_running_period_is_not_finalised_unless_the_rules_allow_it(app):
    o, ids = _rated(app, realisations={0: {1: 150}, 1: {1: 25}})
    with app.test_request_context(), tenant_scope(o.tenant):
        penilai, ev = _draft(o, ids)
        inside_q1 = date(YEAR, 3, 15)
        assert any("belum berakhir" in b for b in evaluations.finalise_readiness(ev, inside_q1).blockers)
        with pytest.raises(Invalid, match="belum berakhir"):
            evaluations.finalise(penilai, ev, None, today=inside_q1)
        ev_id = ev.id
        db.session.commit()
    _settings(app, {"early_finalisation": True})
    with app.test_request_context(), tenant_scope(o.tenant):
        ev = db.session.get(m.Evaluation, ev_id)
        assert not any("belum berakhir" in b for b in evaluations.finalise_readiness(ev, inside_q1).blockers)


def test_evidence_awaiting_review_blocks_or_warns_by_policy(app):
    o, ids = _rated(app, realisations={0: {1: 150}, 1: {1: 25}})
    with app.test_request_context(), tenant_scope(o.tenant):
        penilai, ev = _draft(o, ids)
        realisation = db.session.scalars(db.select(m.Realisation)).first()
        db.session.add(m.Evidence(realisation=realisation, kind=m.EvidenceKind.LINK, url="https://contoh.go.id/a"))
        db.session.flush()
        ready = evaluations.finalise_readiness(ev, AFTER_Q1)
        assert any("bukti dukung belum diperiksa" in b for b in ready.blockers)
        ev_id = ev.id
        db.session.commit()
    _settings(app, {"pending_evidence": "warn"})
    with app.test_request_context(), tenant_scope(o.tenant):
        ev = db.session.get(m.Evaluation, ev_id)
        ready = evaluations.finalise_readiness(ev, AFTER_Q1)
        assert ready.blockers == () and any("belum diperiksa" in w for w in ready.warnings)
        warnings = evaluations.finalise(_user(o, "penilai"), ev, None, today=AFTER_Q1)
        assert any("belum diperiksa" in w for w in warnings)
        db.session.rollback()


def test_starting_someone_elses_evaluation_reveals_nothing(app):
    o, ids = _rated(app, realisations={0: {1: 150}, 1: {1: 25}})
    with app.test_request_context(), tenant_scope(o.tenant):
        _draft(o, ids)
        db.session.commit()
        plan = db.session.get(m.Plan, ids["plan_id"])
        period = db.session.get(m.Period, ids["periods"][1])
        for role in ("pegawai", "admin"):
            with pytest.raises(Forbidden):
                evaluations.get_or_start(_user(o, role), plan, period)


def test_the_list_opens_on_the_year_whose_periods_are_due(app):
    from app.periods.services import open_year
    o, _ids = _rated(app)
    with app.test_request_context(), tenant_scope(o.tenant):
        open_year(YEAR + 1, "quarterly")  # BKPSDM opens next year's planning in November
        db.session.flush()
        assert due_year(date(YEAR, 11, 20)) == YEAR
        assert due_year(date(YEAR + 1, 1, 10)) == YEAR  # last year's fourth quarter is due
        assert due_year(date(YEAR + 1, 4, 10)) == YEAR + 1
        db.session.rollback()


def test_a_leading_zero_is_never_a_thousands_group():
    assert parse_number("0.500") == 0.5
    assert parse_number("1.250") == 1250
    assert parse_number("1.250,75") == 1250.75
    assert parse_number("0.500,5") is None


def test_a_numeric_objection_decision_records_a_score_that_fits_its_predikat(app):
    o, ids = _rated(app, realisations={0: {1: 150}, 1: {1: 25}})
    with app.test_request_context(), tenant_scope(o.tenant):
        penilai, ev = _draft(o, ids)
        evaluations.finalise(penilai, ev, None, today=AFTER_Q1)
        objection = objections.lodge(_user(o, "pegawai"), ev, "Nilai perilaku terlalu rendah.", today=AFTER_Q1)
        atasan = _user(o, "atasan")
        # A new predikat without a new score would leave "Cukup (101.41)".
        with pytest.raises(Invalid, match="nilai baru"):
            objections.decide(atasan, objection, "changed", "Dipertimbangkan ulang.", new_predikat_code="cukup",
                              today=AFTER_Q1)
        # 89.999 shows as 90.00: it is rated on 90.00, so it is Baik, not Cukup.
        with pytest.raises(Invalid, match="tidak sesuai"):
            objections.decide(atasan, objection, "changed", "Dipertimbangkan ulang.", new_predikat_code="cukup",
                              new_score=89.999, today=AFTER_Q1)
        objections.decide(atasan, objection, "changed", "Dipertimbangkan ulang.", new_predikat_code="cukup",
                          new_score=85, today=AFTER_Q1)
        shown = evaluations.current_outcome(ev)
        assert (shown.predikat_code, shown.score, shown.changed_by_objection) == ("cukup", 85.0, True)
        db.session.rollback()
