"""Follow-up training: recommendations from final results, the catalogue, tracking."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.errors import Forbidden
from app.extensions import db
from app.notifications.models import Notification
from app.periods.models import Period, PeriodKind
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.training import services as training
from app.skp.training.models import TrainingCourse, TrainingRecord, TrainingStatus
from app.tenancy import tenant_scope
from tests.conftest import csrf_token, login, make_cycle

# What the evaluation screens store: the period result under "period", the
# penilai's behaviour scores as code → score.
WEAK_RESULT = {"kind": "period", "period": {
    "rule_set_code": "nasional", "rule_set_version": "test", "scheme": "matrix", "employee_ref": "1",
    "period_label": "Triwulan 3 2026", "components": [], "hasil_kerja_rating": "sesuai",
    "perilaku_rating": "sesuai", "score": None, "predikat_code": "baik", "predikat_label": "Baik", "steps": [],
    "achievements": [{"indicator_code": "UMUM-03", "direction": "higher", "target": "12", "target_used": 12,
                      "realisation": 6, "capaian": 50.0, "nilai": 41.5, "steps": [],
                      "rule_set_code": "nasional", "rule_set_version": "test"}]}}
WEAK_INPUTS = {"behaviour_scores": {"berorientasi-pelayanan": 70, "akuntabel": 110}}


@pytest.fixture
def cycle(app, two_tenants):
    a, _ = two_tenants
    with app.app_context():
        a.cycle = make_cycle(a)
        with tenant_scope(a.tenant):
            q3 = db.session.scalar(select(Period).where(Period.kind == PeriodKind.QUARTER, Period.sequence == 3))
            evaluation = Evaluation(plan_id=a.cycle.plan_id, period_id=q3.id, evaluator_id=a.penilai_id,
                                    status=EvaluationStatus.FINAL, predikat_code="baik", predikat_label="Baik",
                                    inputs=WEAK_INPUTS, result=WEAK_RESULT, rule_set_code="nasional")
            course = TrainingCourse(code="PP-1", name="Pelayanan Prima Angkatan I", hours=24,
                                    topics=["pelayanan-prima"])
            db.session.add_all([evaluation, course])
            db.session.commit()
            a.weak_evaluation_id, a.prima_course_id = evaluation.id, course.id
        db.session.remove()
    return a


@pytest.fixture
def scope(app, cycle):
    with app.test_request_context(), tenant_scope(cycle.tenant):
        yield cycle
        db.session.rollback()
        db.session.remove()


def _user(org, role) -> User:
    return db.session.get(User, org.user_ids[role])


def _records(org, evaluation_id):
    return db.session.scalars(select(TrainingRecord).where(TrainingRecord.evaluation_id == evaluation_id)
                              .order_by(TrainingRecord.recommendation_code)).all()


def test_a_final_evaluation_recommends_training_once(scope):
    evaluation = db.session.get(Evaluation, scope.weak_evaluation_id)
    created = training.recommend_training(evaluation)
    db.session.commit()
    records = _records(scope, evaluation.id)
    assert [r.recommendation_code for r in records] == ["manajemen-waktu", "pelayanan-prima"]
    assert {r.status for r in records} == {TrainingStatus.RECOMMENDED}
    assert {r.year for r in records} == {2026} and {r.employee_id for r in records} == {scope.pegawai_id}
    by_code = {r.recommendation_code: r for r in records}
    assert by_code["pelayanan-prima"].course_id == scope.prima_course_id  # matched by topic
    assert by_code["manajemen-waktu"].course_id is None  # no course answers it yet
    assert "UMUM-03" in by_code["manajemen-waktu"].reason
    assert len(created) == 2

    assert training.recommend_training(evaluation) == []
    db.session.commit()
    assert len(_records(scope, evaluation.id)) == 2
    notes = db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == scope.user_ids["pegawai"], Notification.kind == "training.recommended"))
    assert notes == 1


def test_the_same_need_later_in_the_year_is_not_recommended_again(scope):
    first = db.session.get(Evaluation, scope.weak_evaluation_id)
    training.recommend_training(first)
    q4 = db.session.scalar(select(Period).where(Period.kind == PeriodKind.QUARTER, Period.sequence == 4))
    later = Evaluation(plan_id=scope.cycle.plan_id, period_id=q4.id, evaluator_id=scope.penilai_id,
                       status=EvaluationStatus.FINAL, predikat_code="baik", predikat_label="Baik",
                       inputs=WEAK_INPUTS, result=WEAK_RESULT, rule_set_code="nasional")
    db.session.add(later)
    db.session.flush()
    assert training.recommend_training(later) == []  # both needs are still open this year
    for record in _records(scope, first.id):
        record.status = TrainingStatus.COMPLETED
    db.session.flush()
    again = training.recommend_training(later)  # done once; weak again: a new recommendation
    assert sorted(r.recommendation_code for r in again) == ["manajemen-waktu", "pelayanan-prima"]


def test_a_draft_recommends_nothing(scope):
    draft = db.session.get(Evaluation, scope.cycle.evaluation_id)
    draft.inputs, draft.result = WEAK_INPUTS, WEAK_RESULT
    assert training.recommend_training(draft) == []
    assert _records(scope, draft.id) == []


def test_an_inactive_course_is_not_linked(scope):
    db.session.get(TrainingCourse, scope.prima_course_id).active = False
    training.recommend_training(db.session.get(Evaluation, scope.weak_evaluation_id))
    assert all(r.course_id is None for r in _records(scope, scope.weak_evaluation_id))


def test_open_training_for_the_planning_screen(scope):
    training.recommend_training(db.session.get(Evaluation, scope.weak_evaluation_id))
    db.session.commit()
    open_now = training.open_training_for(scope.pegawai_id, 2026)
    assert {r.recommendation_code for r in open_now} == {"tik", "pelayanan-prima", "manajemen-waktu"}
    assert training.open_training_for(scope.pegawai_id, 2025) == []
    record = db.session.get(TrainingRecord, scope.cycle.record_id)
    training.change_status(_user(scope, "pegawai"), record, "declined")
    assert "tik" not in {r.recommendation_code for r in training.open_training_for(scope.pegawai_id, 2026)}
    assert training.open_training_for(scope.peer_id, 2026) == []


def test_tracking_transitions_per_role(scope):
    record = db.session.get(TrainingRecord, scope.cycle.record_id)
    pegawai, admin, penilai = _user(scope, "pegawai"), _user(scope, "admin"), _user(scope, "penilai")
    with pytest.raises(Forbidden):
        training.change_status(penilai, record, "enrolled")
    with pytest.raises(Forbidden):
        training.change_status(pegawai, record, "completed")  # not from recommended
    training.change_status(pegawai, record, "enrolled")
    assert record.status is TrainingStatus.ENROLLED
    with pytest.raises(Forbidden, match="admin"):
        training.change_status(pegawai, record, "completed")  # only the admin confirms
    training.change_status(admin, record, "completed")
    assert record.status is TrainingStatus.COMPLETED
    assert training.completed_hours(scope.pegawai_id, 2026) == 20
    with pytest.raises(Forbidden):
        training.change_status(admin, record, "recommended")
    assert training.allowed_statuses(pegawai, record) == []


def test_declined_may_be_reopened_by_the_admin_only(scope):
    record = db.session.get(TrainingRecord, scope.cycle.record_id)
    training.change_status(_user(scope, "pegawai"), record, "declined")
    with pytest.raises(Forbidden):
        training.change_status(_user(scope, "pegawai"), record, "recommended")
    training.change_status(_user(scope, "admin"), record, "recommended")
    assert record.status is TrainingStatus.RECOMMENDED


# --- screens ----------------------------------------------------------------------

def _post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/kota-a/pelatihan/"), **data})


def test_pegawai_enrols_on_screen_and_cannot_complete(app, client, cycle):
    login(client, "kota-a", "pegawai")
    url = f"/kota-a/pelatihan/{cycle.cycle.record_id}"
    assert "Pelatihan TIK Dasar" in client.get("/kota-a/pelatihan/").get_data(as_text=True)
    assert _post(client, url, {"status": "enrolled", "course_id": cycle.cycle.course_id}).status_code == 302
    assert _post(client, url, {"status": "completed", "course_id": cycle.cycle.course_id}).status_code == 403
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    assert _post(admin, url, {"status": "completed", "course_id": cycle.cycle.course_id}).status_code == 302
    with app.app_context(), tenant_scope(cycle.tenant):
        assert db.session.get(TrainingRecord, cycle.cycle.record_id).status is TrainingStatus.COMPLETED


def test_penilai_sees_but_cannot_change_and_others_are_refused(app, client, cycle):
    login(client, "kota-a", "penilai")
    url = f"/kota-a/pelatihan/{cycle.cycle.record_id}"
    assert client.get(url).status_code == 200
    assert _post(client, url, {"status": "enrolled"}).status_code == 403
    atasan = app.test_client()
    login(atasan, "kota-a", "atasan")
    assert atasan.get(url).status_code == 403


def test_catalogue_is_for_the_admin_only(app, client, cycle):
    login(client, "kota-a", "pegawai")
    assert client.get("/kota-a/pelatihan/katalog").status_code == 403
    assert _post(client, "/kota-a/pelatihan/katalog/baru", {"code": "X-1", "name": "X", "hours": "2"}).status_code == 403
    assert _post(client, f"/kota-a/pelatihan/katalog/{cycle.cycle.course_id}/nonaktifkan", {}).status_code == 403
    assert client.get("/kota-a/pelatihan/semua").status_code == 403


def test_catalogue_crud(app, client, cycle):
    login(client, "kota-a", "admin")
    created = _post(client, "/kota-a/pelatihan/katalog/baru", {
        "code": "TI-2", "name": "Aplikasi Perkantoran", "provider": "BPSDM", "hours": "16",
        "topics": "manajemen-waktu, Pelatihan-TI"})
    assert created.status_code == 302
    listing = client.get("/kota-a/pelatihan/katalog").get_data(as_text=True)
    # Topics read by their rule-set names (issue #9: codes never reach the screen); an own topic as typed.
    assert "Aplikasi Perkantoran" in listing and "Pelatihan Manajemen Waktu dan Prioritas Kerja, pelatihan-ti" in listing
    duplicate = _post(client, "/kota-a/pelatihan/katalog/baru", {"code": "ti-2", "name": "Lagi", "hours": "4"})
    assert duplicate.status_code == 422 and 'value="Lagi"' in duplicate.get_data(as_text=True)
    bad = _post(client, "/kota-a/pelatihan/katalog/baru", {"code": "OK-3", "name": "Salah", "hours": "-1"})
    assert bad.status_code == 422
    with app.app_context(), tenant_scope(cycle.tenant):
        course_id = db.session.scalar(select(TrainingCourse.id).where(TrainingCourse.code == "TI-2"))
    edited = _post(client, f"/kota-a/pelatihan/katalog/{course_id}", {
        "code": "TI-2", "name": "Aplikasi Perkantoran Lanjut", "hours": "20", "topics": ""})
    assert edited.status_code == 302
    assert _post(client, f"/kota-a/pelatihan/katalog/{course_id}/nonaktifkan", {}).status_code == 302
    with app.app_context(), tenant_scope(cycle.tenant):
        course = db.session.get(TrainingCourse, course_id)
        assert (course.name, course.hours, course.topics, course.active) == ("Aplikasi Perkantoran Lanjut", 20, [], False)
    assert _post(client, f"/kota-a/pelatihan/katalog/{course_id}/aktifkan", {}).status_code == 302
    with app.app_context(), tenant_scope(cycle.tenant):
        assert db.session.get(TrainingCourse, course_id).active
