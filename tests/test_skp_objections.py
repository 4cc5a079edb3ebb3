"""Keberatan: lodged by the pegawai inside the window, decided once by the atasan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.notifications.models import Notification
from app.periods.models import Period, PeriodKind
from app.regions.snapshot import snapshot
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections import services as objections
from app.skp.objections.models import Objection, ObjectionStatus
from app.tenancy import tenant_rules, tenant_scope, tenant_today
from app.tenancy.models import Tenant
from tests.conftest import csrf_token, login, make_cycle

DELIVERED = date(2026, 10, 5)


@pytest.fixture
def cycle(app, two_tenants):
    a, _ = two_tenants
    with app.app_context():
        a.cycle = make_cycle(a)
        with tenant_scope(a.tenant):
            q3 = db.session.scalar(select(Period).where(Period.kind == PeriodKind.QUARTER, Period.sequence == 3))
            evaluation = Evaluation(plan_id=a.cycle.plan_id, period_id=q3.id, evaluator_id=a.penilai_id,
                                    status=EvaluationStatus.FINAL, predikat_code="baik", predikat_label="Baik",
                                    score=None, rule_set_code="nasional", rule_set_version="test",
                                    snapshot=snapshot(tenant_rules().rule_set), delivered_on=DELIVERED)
            db.session.add(evaluation)
            db.session.commit()
            a.open_evaluation_id = evaluation.id
        db.session.remove()
    return a


@pytest.fixture
def scope(app, cycle):
    """A request context as tenant A, for calling the services directly."""
    with app.test_request_context(), tenant_scope(cycle.tenant):
        yield cycle
        db.session.rollback()
        db.session.remove()


def _user(org, role) -> User:
    return db.session.get(User, org.user_ids[role])


def _evaluation(org) -> Evaluation:
    return db.session.get(Evaluation, org.open_evaluation_id)


# --- lodging ------------------------------------------------------------------------

def test_deadline_is_the_window_from_delivery(scope):
    assert objections.lodging_deadline(_evaluation(scope)) == DELIVERED + timedelta(days=14)


def test_lodging_on_the_last_day_is_in_time(scope):
    evaluation = _evaluation(scope)
    objection = objections.lodge(_user(scope, "pegawai"), evaluation, "Realisasi triwulan belum dihitung.",
                                 today=DELIVERED + timedelta(days=14))
    db.session.commit()
    assert objection.status is ObjectionStatus.OPEN
    assert objection.deadline == DELIVERED + timedelta(days=14)
    assert objection.decider_id == scope.atasan_id
    assert objection.original_predikat_code == "baik"


def test_lodging_the_day_after_the_deadline_is_refused(scope):
    with pytest.raises(Invalid, match="Batas waktu pengajuan keberatan sudah lewat"):
        objections.lodge(_user(scope, "pegawai"), _evaluation(scope), "Realisasi triwulan belum dihitung.",
                         today=DELIVERED + timedelta(days=15))
    assert db.session.scalar(select(Objection).where(Objection.evaluation_id == scope.open_evaluation_id)) is None


def test_the_window_is_the_one_frozen_with_the_result(scope):
    evaluation = _evaluation(scope)
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
    tenant.settings = {**(tenant.settings or {}), "objection_window_days": 7}
    db.session.flush()
    # A result already final keeps the window it was finalised under.
    assert objections.lodging_deadline(evaluation) == DELIVERED + timedelta(days=14)
    # A result finalised under the 7-day setting (finalising freezes the rules in force).
    evaluation.snapshot = snapshot(tenant_rules().rule_set)
    db.session.flush()
    assert objections.lodging_deadline(evaluation) == DELIVERED + timedelta(days=7)
    with pytest.raises(Invalid):
        objections.lodge(_user(scope, "pegawai"), _evaluation(scope), "Alasan yang cukup panjang.",
                         today=DELIVERED + timedelta(days=8))


@pytest.mark.parametrize("role", ["penilai", "atasan", "admin"])
def test_only_the_pegawai_may_lodge(scope, role):
    with pytest.raises(Forbidden):
        objections.lodge(_user(scope, role), _evaluation(scope), "Alasan yang cukup panjang.", today=DELIVERED)


def test_no_objection_to_a_draft(scope):
    draft = db.session.get(Evaluation, scope.cycle.evaluation_id)
    with pytest.raises(Forbidden):
        objections.lodge(_user(scope, "pegawai"), draft, "Alasan yang cukup panjang.", today=DELIVERED)


def test_one_objection_per_evaluation(scope):
    pegawai = _user(scope, "pegawai")
    objections.lodge(pegawai, _evaluation(scope), "Alasan pertama yang panjang.", today=DELIVERED)
    with pytest.raises(Invalid, match="sudah pernah diajukan"):
        objections.lodge(pegawai, _evaluation(scope), "Alasan kedua yang panjang.", today=DELIVERED)


def test_reasons_are_required(scope):
    with pytest.raises(Invalid) as caught:
        objections.lodge(_user(scope, "pegawai"), _evaluation(scope), "  ", today=DELIVERED)
    assert caught.value.field == "reasons"


def test_lodging_notifies_the_atasan_and_is_audited(scope):
    objection = objections.lodge(_user(scope, "pegawai"), _evaluation(scope), "Alasan yang cukup panjang.",
                                 today=DELIVERED)
    db.session.commit()
    notes = db.session.scalars(select(Notification).where(Notification.user_id == scope.user_ids["atasan"],
                                                          Notification.kind == "objection.lodged")).all()
    assert len(notes) == 1 and "keberatan" in notes[0].message
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "objection.lodge"))
    assert entry.object_id == objection.id and entry.employee_id == scope.pegawai_id


# --- deciding -----------------------------------------------------------------------

@pytest.fixture
def lodged(scope):
    objection = objections.lodge(_user(scope, "pegawai"), _evaluation(scope), "Realisasi belum dihitung.",
                                 today=DELIVERED + timedelta(days=3))
    db.session.commit()
    scope.objection_id = objection.id
    return scope


@pytest.mark.parametrize("role", ["pegawai", "penilai", "admin"])
def test_only_the_atasan_decides(lodged, role):
    objection = db.session.get(Objection, lodged.objection_id)
    with pytest.raises(Forbidden):
        objections.decide(_user(lodged, role), objection, "upheld", "Hasil sudah sesuai bukti.")
    assert objection.status is ObjectionStatus.OPEN


def test_upheld_keeps_the_result_and_is_final(lodged):
    objection = db.session.get(Objection, lodged.objection_id)
    atasan = _user(lodged, "atasan")
    objections.decide(atasan, objection, "upheld", "Hasil sudah sesuai dengan bukti dukung.")
    db.session.commit()
    assert objection.status is ObjectionStatus.UPHELD and objection.decided_by_id == atasan.id
    assert _evaluation(lodged).predikat_code == "baik"
    with pytest.raises(Forbidden, match="final"):
        objections.decide(atasan, objection, "changed", "Berubah pikiran kemudian.", "sangat_baik")
    notes = db.session.scalars(select(Notification).where(Notification.user_id == lodged.user_ids["pegawai"],
                                                          Notification.kind == "objection.decided")).all()
    assert len(notes) == 1 and "tetap" in notes[0].message


def test_changed_applies_the_new_predikat_and_keeps_the_original(lodged):
    objection = db.session.get(Objection, lodged.objection_id)
    evaluation = _evaluation(lodged)
    evaluation.snapshot = {"kept": True}
    db.session.commit()
    objections.decide(_user(lodged, "atasan"), objection, "changed", "Realisasi triwulan 3 terbukti lengkap.",
                      "sangat_baik")
    db.session.commit()
    evaluation = _evaluation(lodged)
    assert (evaluation.predikat_code, evaluation.predikat_label) == ("sangat_baik", "Sangat Baik")
    assert evaluation.snapshot == {"kept": True}
    assert objection.original_predikat_code == "baik" and objection.new_predikat_code == "sangat_baik"
    assert objection.status is ObjectionStatus.CHANGED
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"objection.lodge", "objection.decide", "evaluation.objection_change"} <= actions
    # No second objection once decided.
    with pytest.raises(Invalid):
        objections.lodge(_user(lodged, "pegawai"), evaluation, "Sekali lagi dengan alasan.", today=DELIVERED)


def test_a_change_needs_a_predikat_of_the_rule_set_that_differs(lodged):
    objection = db.session.get(Objection, lodged.objection_id)
    atasan = _user(lodged, "atasan")
    with pytest.raises(Invalid) as caught:
        objections.decide(atasan, objection, "changed", "Alasan yang panjang.", "istimewa_sekali")
    assert caught.value.field == "new_predikat_code"
    with pytest.raises(Invalid):
        objections.decide(atasan, objection, "changed", "Alasan yang panjang.", "baik")
    assert objection.status is ObjectionStatus.OPEN


def test_decision_deadline_and_overdue(lodged):
    objection = db.session.get(Objection, lodged.objection_id)
    due = objections.decision_deadline(objection)
    assert due == DELIVERED + timedelta(days=3 + 14)
    assert not objections.is_overdue(objection, due)
    assert objections.is_overdue(objection, due + timedelta(days=1))


# --- the screens ----------------------------------------------------------------------

def _post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/kota-a/keberatan/"), **data})


def test_lodge_and_decide_through_the_screens(app, client, cycle):
    with app.app_context(), tenant_scope(cycle.tenant):
        # Delivered today (the tenant's day), so the window is open whatever the calendar says.
        today = tenant_today()
        db.session.get(Evaluation, cycle.open_evaluation_id).delivered_on = today
        db.session.commit()
    login(client, "kota-a", "pegawai")
    page = client.get(f"/kota-a/keberatan/baru/{cycle.open_evaluation_id}").get_data(as_text=True)
    assert (today + timedelta(days=14)).strftime("%d-%m-%Y") in page
    short = _post(client, f"/kota-a/keberatan/baru/{cycle.open_evaluation_id}", {"reasons": "pendek"})
    assert short.status_code == 422 and "pendek" in short.get_data(as_text=True)
    done = _post(client, f"/kota-a/keberatan/baru/{cycle.open_evaluation_id}",
                 {"reasons": "Bukti dukung triwulan 3 belum diperiksa."})
    assert done.status_code == 302
    objection_url = done.location
    assert client.get(objection_url).status_code == 200
    # The pegawai may not decide their own objection.
    refused = _post(client, objection_url, {"outcome": "upheld", "reasons": "Saya putuskan sendiri saja."})
    assert refused.status_code == 403

    atasan = app.test_client()
    login(atasan, "kota-a", "atasan")
    home = atasan.get("/kota-a/").get_data(as_text=True)
    assert "Keberatan yang harus saya putuskan" in home and "Pegawai Kota-A" in home
    decided = _post(atasan, objection_url, {"outcome": "changed", "new_predikat_code": "sangat_baik",
                                            "reasons": "Bukti dukung lengkap dan sah."})
    assert decided.status_code == 302
    again = _post(atasan, objection_url, {"outcome": "upheld", "reasons": "Berubah pikiran lagi."})
    assert again.status_code == 403 and "final" in again.get_data(as_text=True)
    assert "Sangat Baik" in client.get(objection_url).get_data(as_text=True)


def test_lodging_after_the_deadline_is_refused_on_screen(app, client, cycle):
    login(client, "kota-a", "pegawai")  # delivered 05-10-2026: the window closed on 19-10-2026
    page = client.get(f"/kota-a/keberatan/baru/{cycle.open_evaluation_id}").get_data(as_text=True)
    assert "19-10-2026" in page and "sudah lewat" in page
    response = _post(client, f"/kota-a/keberatan/baru/{cycle.open_evaluation_id}",
                     {"reasons": "Bukti dukung triwulan 3 belum diperiksa."})
    assert response.status_code == 422 and "sudah lewat" in response.get_data(as_text=True)


def test_others_cannot_see_an_objection(app, client, cycle):
    login(client, "kota-a", "penilai")
    assert client.get(f"/kota-a/keberatan/{cycle.cycle.objection_id}").status_code == 403
    atasan = app.test_client()
    login(atasan, "kota-a", "atasan")
    assert atasan.get(f"/kota-a/keberatan/{cycle.cycle.objection_id}").status_code == 200
