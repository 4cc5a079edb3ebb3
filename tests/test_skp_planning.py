"""SKP planning: periods, writing a plan, submitting, agreeing or returning it,
indicator sets, reassigning the penilai — each transition per role, stale
saves, lock dates, audit entries and notifications."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import event, func, select

from app import models as m
from app.audit.models import AuditEntry
from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.org.hierarchy import team_ids as team_employee_ids
from app.org.models import Employee
from app.periods.models import Period, PeriodKind
from app.periods.services import open_year
from app.skp.planning import services as planning
from app.tenancy import tenant_scope, tenant_today
from tests.conftest import PASSWORD, csrf_token, login, make_org, make_tenant

OPEN_YEAR = date.today().year + 1  # plans still editable
LOCKED_YEAR = date.today().year  # plans locked since 1 January
ROLES = ["pegawai", "penilai", "atasan", "admin", "rekan"]


# --- set-up helpers -------------------------------------------------------------------

@pytest.fixture
def org(app, two_tenants):
    """Tenant A's organisation plus an account for the peer ("rekan")."""
    from app.auth.accounts import UserData, save_user

    a, b = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        peer = db.session.get(Employee, a.peer_id)
        a.user_ids["rekan"] = save_user(UserData("rekan", peer.nip, False, PASSWORD)).id
        db.session.commit()
        db.session.remove()
    return a


def _year(app, org, year=OPEN_YEAR, plans_lock_on=None, scheme="quarterly") -> int:
    with app.app_context(), tenant_scope(org.tenant):
        period = open_year(year, scheme, plans_lock_on=plans_lock_on)
        db.session.commit()
        return period.id


def _as(app, username, slug="kota-a"):
    client = app.test_client()
    assert login(client, slug, username).status_code == 302
    return client


def _post(client, url, data=None, slug="kota-a"):
    token = csrf_token(client, f"/{slug}/skp/")
    return client.post(url, data={"csrf_token": token, **(data or {})})


def _in(app, org, fn):
    with app.app_context(), tenant_scope(org.tenant):
        try:
            return fn()
        finally:
            db.session.remove()


def _plan(app, org, plan_id):
    return _in(app, org, lambda: _plan_facts(plan_id))


def _plan_facts(plan_id):
    plan = planning.load_plan(plan_id)
    return {
        "status": plan.status, "version": plan.version, "return_notes": plan.return_notes,
        "results": [(r.kind.value, r.description, [(i.indicator_code, i.name, i.aspect, i.direction, i.unit,
                                                   i.target_lower, i.target_upper) for i in r.indicators])
                    for r in plan.results],
        "result_ids": [r.id for r in plan.results],
        "indicator_ids": [i.id for r in plan.results for i in r.indicators],
        "behaviours": {b.behaviour_code: b.expectation for b in plan.behaviours},
        "position_name": plan.position_name, "unit_name": plan.unit_name,
        "assigned_penilai_id": plan.assigned_penilai_id, "copied_from_id": plan.copied_from_id,
        "agreed_by_id": plan.agreed_by_id,
    }


def _create_plan(app, org, period_id, employee_key="pegawai") -> int:
    client = _as(app, employee_key)
    response = _post(client, "/kota-a/skp/baru", {"period_id": period_id})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/skp/(\d+)$", response.location).group(1))


def _ready_plan(app, org, period_id, employee_key="pegawai") -> int:
    """A draft with one RHK utama and one IKI, ready to submit."""
    plan_id = _create_plan(app, org, period_id, employee_key)
    client = _as(app, employee_key)
    version = _plan(app, org, plan_id)["version"]
    assert _post(client, f"/kota-a/skp/{plan_id}/rhk/baru", {
        "kind": "utama", "description": "Pelayanan administrasi kesehatan tertib", "version": version,
    }).status_code == 302
    facts = _plan(app, org, plan_id)
    assert _post(client, f"/kota-a/skp/rhk/{facts['result_ids'][0]}/iki/baru", {
        "indicator_code": "", "name": "Dokumen pelayanan diproses", "aspect": "kuantitas",
        "direction": "higher", "unit": "dokumen", "target_lower": "120", "version": facts["version"],
    }).status_code == 302
    return plan_id


def _submit(app, org, plan_id, employee_key="pegawai"):
    client = _as(app, employee_key)
    return _post(client, f"/kota-a/skp/{plan_id}/ajukan", {"version": _plan(app, org, plan_id)["version"]})


def _audit_actions(app, org, object_type=None) -> list[str]:
    def read():
        query = select(AuditEntry.action).order_by(AuditEntry.seq)
        if object_type:
            query = query.where(AuditEntry.object_type == object_type)
        return list(db.session.scalars(query))
    return _in(app, org, read)


def _notifications(app, org, username) -> list[tuple[str, str, str]]:
    def read():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        return [(n.kind, n.message, n.link) for n in db.session.scalars(
            select(m.Notification).where(m.Notification.user_id == user_id).order_by(m.Notification.id))]
    with app.test_request_context():  # links are built when shown, in a request
        return _in(app, org, read)


# --- creating a plan -------------------------------------------------------------------

def test_pegawai_creates_a_plan_with_behaviours_and_a_snapshot_of_position(app, org):
    period_id = _year(app, org)
    plan_id = _create_plan(app, org, period_id)
    facts = _plan(app, org, plan_id)
    assert facts["status"] is m.PlanStatus.DRAFT
    assert facts["position_name"] == "Pengadministrasi Pelayanan" and facts["unit_name"] == "Dinas Kesehatan"
    assert list(facts["behaviours"]) == ["berorientasi-pelayanan", "akuntabel", "kompeten", "harmonis", "loyal",
                                         "adaptif", "kolaboratif"]
    assert "plan.create" in _audit_actions(app, org)
    page = _as(app, "pegawai").get(f"/kota-a/skp/{plan_id}").get_data(as_text=True)
    assert "Berorientasi Pelayanan" in page and "Tambahkan paling sedikit satu RHK utama" in page
    # One plan per year: the year is no longer offered, and a second create is refused.
    again = _post(_as(app, "pegawai"), "/kota-a/skp/baru", {"period_id": period_id})
    assert again.status_code == 422


def test_an_account_without_employee_cannot_create_a_plan(app, org):
    period_id = _year(app, org)
    response = _post(_as(app, "admin"), "/kota-a/skp/baru", {"period_id": period_id})
    assert response.status_code == 403
    assert "tidak terhubung dengan data pegawai" in response.get_data(as_text=True)


def test_no_plan_after_the_lock_date(app, org):
    period_id = _year(app, org, LOCKED_YEAR, plans_lock_on=date(LOCKED_YEAR, 1, 1))
    response = _post(_as(app, "pegawai"), "/kota-a/skp/baru", {"period_id": period_id})
    assert response.status_code == 422
    assert _in(app, org, lambda: db.session.scalar(select(func.count()).select_from(m.Plan))) == 0


# --- the whole planning path --------------------------------------------------------------

def test_submit_then_penilai_agrees_with_expectations(app, org):
    period_id = _year(app, org)
    plan_id = _ready_plan(app, org, period_id)
    assert _submit(app, org, plan_id).status_code == 302
    assert _plan(app, org, plan_id)["status"] is m.PlanStatus.SUBMITTED
    # The penilai sees it waiting.
    penilai = _as(app, "penilai")
    team_page = penilai.get("/kota-a/skp/tim").get_data(as_text=True)
    assert f"/kota-a/skp/{plan_id}" in team_page and "Pegawai Kota-A" in team_page
    notes = _notifications(app, org, "penilai")
    assert notes and notes[-1][0] == "plan.submitted" and notes[-1][2] == f"/kota-a/skp/{plan_id}"

    ids = _in(app, org, lambda: {b.behaviour_code: b.id for b in planning.load_plan(plan_id).behaviours})
    page = penilai.get(f"/kota-a/skp/{plan_id}").get_data(as_text=True)
    assert f'name="expectation_{ids["akuntabel"]}"' in page
    response = _post(penilai, f"/kota-a/skp/{plan_id}/setujui", {
        "version": _plan(app, org, plan_id)["version"],
        f"expectation_{ids['akuntabel']}": "Laporan harian dikirim sebelum pukul 16.00",
    })
    assert response.status_code == 302
    facts = _plan(app, org, plan_id)
    assert facts["status"] is m.PlanStatus.AGREED
    assert facts["agreed_by_id"] == org.user_ids["penilai"]
    assert facts["behaviours"]["akuntabel"] == "Laporan harian dikirim sebelum pukul 16.00"
    assert _notifications(app, org, "pegawai")[-1][0] == "plan.agreed"
    actions = _audit_actions(app, org)
    for action in ("plan.create", "plan_result.create", "plan_indicator.create", "plan.submit",
                   "plan_behaviour.update", "plan.agree"):
        assert action in actions, action


def test_penilai_returns_with_notes_shown_to_the_pegawai(app, org):
    period_id = _year(app, org)
    plan_id = _ready_plan(app, org, period_id)
    _submit(app, org, plan_id)
    penilai = _as(app, "penilai")
    version = _plan(app, org, plan_id)["version"]
    without_notes = _post(penilai, f"/kota-a/skp/{plan_id}/kembalikan", {"version": version, "notes": ""})
    assert without_notes.status_code == 422 and "Tuliskan catatan" in without_notes.get_data(as_text=True)
    response = _post(penilai, f"/kota-a/skp/{plan_id}/kembalikan",
                     {"version": version, "notes": "Target dokumen terlalu rendah; naikkan ke 150."})
    assert response.status_code == 302
    facts = _plan(app, org, plan_id)
    assert facts["status"] is m.PlanStatus.RETURNED
    page = _as(app, "pegawai").get(f"/kota-a/skp/{plan_id}").get_data(as_text=True)
    assert "Target dokumen terlalu rendah; naikkan ke 150." in page
    assert _notifications(app, org, "pegawai")[-1][0] == "plan.returned"
    returned = _in(app, org, lambda: db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "plan.return")))
    assert returned.reason == "Target dokumen terlalu rendah; naikkan ke 150."
    assert returned.before["status"] == "submitted" and returned.after["status"] == "returned"
    # Returned plans are editable again and can be resubmitted.
    indicator_id = facts["indicator_ids"][0]
    edit = _post(_as(app, "pegawai"), f"/kota-a/skp/iki/{indicator_id}", {
        "indicator_code": "", "name": "Dokumen pelayanan diproses", "aspect": "kuantitas", "direction": "higher",
        "unit": "dokumen", "target_lower": "150", "version": facts["version"]})
    assert edit.status_code == 302
    update = _in(app, org, lambda: db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "plan_indicator.update")))
    assert (update.before["target_lower"], update.after["target_lower"]) == (120.0, 150.0)
    assert _submit(app, org, plan_id).status_code == 302


# --- who may do what --------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_only_the_penilai_agrees_and_returns(app, org, role):
    period_id = _year(app, org)
    plan_id = _ready_plan(app, org, period_id)
    _submit(app, org, plan_id)
    client = _as(app, role)
    version = _plan(app, org, plan_id)["version"]
    returned = _post(client, f"/kota-a/skp/{plan_id}/kembalikan", {"version": version, "notes": "Perbaiki"})
    agreed = _post(client, f"/kota-a/skp/{plan_id}/setujui", {"version": version})
    if role == "penilai":
        assert returned.status_code == 302
        assert _plan(app, org, plan_id)["status"] is m.PlanStatus.RETURNED
        assert agreed.status_code == 403  # no longer waiting
    else:
        assert returned.status_code == 403 and agreed.status_code == 403
        assert _plan(app, org, plan_id)["status"] is m.PlanStatus.SUBMITTED
    if role == "pegawai":
        assert "SKP Anda sendiri" in agreed.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_edits_and_submits(app, org, role):
    period_id = _year(app, org)
    plan_id = _ready_plan(app, org, period_id)
    facts = _plan(app, org, plan_id)
    client = _as(app, role)
    responses = [
        _post(client, f"/kota-a/skp/{plan_id}/rhk/baru", {"kind": "utama", "description": "Lain",
                                                          "version": facts["version"]}),
    ]
    responses.append(_post(client, f"/kota-a/skp/rhk/{facts['result_ids'][0]}/hapus",
                           {"version": _plan(app, org, plan_id)["version"]}))
    submitted = _post(client, f"/kota-a/skp/{plan_id}/ajukan", {"version": _plan(app, org, plan_id)["version"]})
    if role == "pegawai":
        assert [r.status_code for r in responses] == [302, 302]
        assert submitted.status_code == 422  # its only RHK was just deleted: nothing to submit
    else:
        assert [r.status_code for r in responses] == [403, 403] and submitted.status_code == 403
        assert _plan(app, org, plan_id)["results"] == facts["results"]


@pytest.mark.parametrize(("role", "status"), [("pegawai", 200), ("penilai", 200), ("atasan", 200),
                                              ("admin", 200), ("rekan", 403)])
def test_who_sees_a_plan(app, org, role, status):
    plan_id = _ready_plan(app, org, _year(app, org))
    assert _as(app, role).get(f"/kota-a/skp/{plan_id}").status_code == status


def test_another_tenant_sees_nothing(app, org):
    plan_id = _ready_plan(app, org, _year(app, org))
    # Tenant B's penilai, same username, another tenant.
    client = _as(app, "penilai", slug="kota-b")
    assert client.get(f"/kota-b/skp/{plan_id}").status_code == 404
    response = _post(client, f"/kota-b/skp/{plan_id}/setujui", {"version": 1}, slug="kota-b")
    assert response.status_code == 404


def test_nobody_agrees_their_own_plan_even_when_named_penilai(app, org):
    plan_id = _ready_plan(app, org, _year(app, org))
    _submit(app, org, plan_id)

    def assign_self():
        plan = planning.load_plan(plan_id)
        admin = db.session.get(User, org.user_ids["admin"])
        with pytest.raises(Invalid):
            planning.reassign_penilai(admin, plan, plan.version, plan.employee, "uji")
        owner = db.session.get(User, org.user_ids["pegawai"])
        with pytest.raises(Forbidden):
            planning.agree(owner, plan, plan.version, {})
    _in(app, org, assign_self)


# --- edits refused after submit, after the lock date; stale saves -------------------------------

def test_edits_refused_after_submit(app, org):
    plan_id = _ready_plan(app, org, _year(app, org))
    _submit(app, org, plan_id)
    facts = _plan(app, org, plan_id)
    client = _as(app, "pegawai")
    edit = _post(client, f"/kota-a/skp/rhk/{facts['result_ids'][0]}",
                 {"kind": "utama", "description": "Diubah diam-diam", "version": facts["version"]})
    assert edit.status_code == 403
    assert client.get(f"/kota-a/skp/{plan_id}/rhk/baru").status_code == 403
    assert _plan(app, org, plan_id)["results"] == facts["results"]


def test_edits_refused_after_the_lock_date(app, org):
    period_id = _year(app, org)
    plan_id = _ready_plan(app, org, period_id)

    def lock():
        period = db.session.get(Period, period_id)
        period.plans_lock_on = date.today()  # locked from today on
        db.session.commit()
    _in(app, org, lock)
    facts = _plan(app, org, plan_id)
    client = _as(app, "pegawai")
    response = _post(client, f"/kota-a/skp/rhk/{facts['result_ids'][0]}",
                     {"kind": "utama", "description": "Terlambat", "version": facts["version"]})
    assert response.status_code == 403 and "terkunci" in response.get_data(as_text=True)
    submitted = _submit(app, org, plan_id)
    assert submitted.status_code == 403
    assert _plan(app, org, plan_id)["status"] is m.PlanStatus.DRAFT
    assert "terkunci" in client.get(f"/kota-a/skp/{plan_id}").get_data(as_text=True)


def test_a_stale_save_is_refused_and_the_input_kept(app, org):
    plan_id = _ready_plan(app, org, _year(app, org))
    facts = _plan(app, org, plan_id)
    result_id = facts["result_ids"][0]
    client = _as(app, "pegawai")
    form = client.get(f"/kota-a/skp/rhk/{result_id}").get_data(as_text=True)
    opened_version = int(re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1))
    # Meanwhile, in another tab: an IKI is added (the plan moves on).
    assert _post(client, f"/kota-a/skp/rhk/{result_id}/iki/baru", {
        "indicator_code": "UMUM-01", "version": opened_version}).status_code == 302
    stale = _post(client, f"/kota-a/skp/rhk/{result_id}", {
        "kind": "utama", "description": "Uraian baru yang saya ketik", "version": opened_version})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "sudah diubah" in html and "Uraian baru yang saya ketik" in html
    assert _plan(app, org, plan_id)["results"][0][1] == "Pelayanan administrasi kesehatan tertib"
    # The re-rendered form carries the current version: saving again (after checking) works.
    current = int(re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1))
    assert current == _plan(app, org, plan_id)["version"]
    again = _post(client, f"/kota-a/skp/rhk/{result_id}", {
        "kind": "utama", "description": "Uraian baru yang saya ketik", "version": current})
    assert again.status_code == 302


def test_a_stale_agreement_is_refused(app, org):
    plan_id = _ready_plan(app, org, _year(app, org))
    _submit(app, org, plan_id)
    old = _plan(app, org, plan_id)["version"]

    def admin_touches():
        plan = planning.load_plan(plan_id)
        atasan = db.session.get(Employee, org.penilai_id)
        planning.reassign_penilai(db.session.get(User, org.user_ids["admin"]), plan, plan.version, atasan, "uji")
        db.session.commit()
    _in(app, org, admin_touches)
    response = _post(_as(app, "penilai"), f"/kota-a/skp/{plan_id}/kembalikan", {"version": old, "notes": "Catatan saya"})
    assert response.status_code == 409 and "Catatan saya" in response.get_data(as_text=True)
    assert _plan(app, org, plan_id)["status"] is m.PlanStatus.SUBMITTED


# --- IKI: library or own, targets and ranges ---------------------------------------------------

def test_library_indicator_fills_its_fields_and_default_target(app, org):
    plan_id = _ready_plan(app, org, _year(app, org))
    facts = _plan(app, org, plan_id)
    client = _as(app, "pegawai")
    page = client.get(f"/kota-a/skp/rhk/{facts['result_ids'][0]}/iki/baru").get_data(as_text=True)
    assert "UMUM-04" in page
    response = _post(client, f"/kota-a/skp/rhk/{facts['result_ids'][0]}/iki/baru", {
        "indicator_code": "UMUM-04", "name": "ignored", "version": facts["version"]})
    assert response.status_code == 302
    added = _plan(app, org, plan_id)["results"][0][2][-1]
    assert added == ("UMUM-04", "Persentase realisasi anggaran kegiatan", "biaya", "higher", "%", 90.0, 100.0)


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "aspect": "kuantitas", "unit": "dokumen", "target_lower": "5"}, "Nama IKI wajib diisi"),
    ({"name": "Laporan", "aspect": "kuantitas", "unit": "", "target_lower": "5"}, "Satuan target wajib diisi"),
    ({"name": "Laporan", "aspect": "", "unit": "dokumen", "target_lower": "5"}, "Pilih aspek IKI"),
    ({"name": "Laporan", "aspect": "kuantitas", "unit": "dokumen", "target_lower": ""}, "Target wajib diisi"),
    ({"name": "Laporan", "aspect": "kuantitas", "unit": "dokumen", "target_lower": "0"}, "lebih dari nol"),
    ({"name": "Laporan", "aspect": "kuantitas", "unit": "dokumen", "target_lower": "-3"}, "lebih dari nol"),
    ({"name": "Laporan", "aspect": "kualitas", "unit": "%", "target_lower": "95", "target_upper": "90"},
     "Batas atas target"),
])
def test_own_indicator_is_validated_and_the_input_kept(app, org, data, message):
    plan_id = _ready_plan(app, org, _year(app, org))
    facts = _plan(app, org, plan_id)
    response = _post(_as(app, "pegawai"), f"/kota-a/skp/rhk/{facts['result_ids'][0]}/iki/baru", {
        "indicator_code": "", "direction": "higher", "version": facts["version"], **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    if data["name"]:
        assert f'value="{data["name"]}"' in html
    assert _plan(app, org, plan_id)["results"] == facts["results"]


def test_own_indicator_with_a_range_target(app, org):
    plan_id = _ready_plan(app, org, _year(app, org))
    facts = _plan(app, org, plan_id)
    response = _post(_as(app, "pegawai"), f"/kota-a/skp/rhk/{facts['result_ids'][0]}/iki/baru", {
        "indicator_code": "", "name": "Waktu tanggap aduan", "aspect": "waktu", "direction": "lower",
        "unit": "jam", "target_lower": "2", "target_upper": "4", "version": facts["version"]})
    assert response.status_code == 302
    assert _plan(app, org, plan_id)["results"][0][2][-1] == (None, "Waktu tanggap aduan", "waktu", "lower",
                                                            "jam", 2.0, 4.0)


# --- starting from last year ----------------------------------------------------------------

def test_start_from_last_years_plan_and_see_open_training(app, org):
    last_year = _year(app, org, LOCKED_YEAR)  # no lock date: still editable
    old_plan_id = _ready_plan(app, org, last_year)

    def training():
        db.session.add_all([
            m.TrainingRecord(employee_id=org.pegawai_id, recommendation_code="manajemen-waktu",
                             reason="Waktu penyelesaian tugas di bawah ekspektasi", year=LOCKED_YEAR),
            m.TrainingRecord(employee_id=org.pegawai_id, recommendation_code="integritas", reason="Sudah selesai",
                             status=m.TrainingStatus.COMPLETED, year=LOCKED_YEAR),
        ])
        db.session.commit()
    _in(app, org, training)
    period_id = _year(app, org, OPEN_YEAR)
    client = _as(app, "pegawai")
    new_page = client.get("/kota-a/skp/baru").get_data(as_text=True)
    assert "Waktu penyelesaian tugas di bawah ekspektasi" in new_page and "Sudah selesai" not in new_page
    response = _post(client, "/kota-a/skp/baru", {"period_id": period_id, "copy_last_year": "y"})
    assert response.status_code == 302
    plan_id = int(response.location.rsplit("/", 1)[1])
    facts, old = _plan(app, org, plan_id), _plan(app, org, old_plan_id)
    assert facts["results"] == old["results"] and facts["copied_from_id"] == old_plan_id
    assert facts["indicator_ids"] != old["indicator_ids"]
    # Issue #9: the recommendation reads as its text, never its code.
    plan_page = client.get(f"/kota-a/skp/{plan_id}").get_data(as_text=True)
    assert "Waktu penyelesaian tugas di bawah ekspektasi" in plan_page and "manajemen-waktu" not in plan_page
    # New targets are editable without touching last year's plan.
    edit = _post(client, f"/kota-a/skp/iki/{facts['indicator_ids'][0]}", {
        "indicator_code": "", "name": "Dokumen pelayanan diproses", "aspect": "kuantitas", "direction": "higher",
        "unit": "dokumen", "target_lower": "200", "version": facts["version"]})
    assert edit.status_code == 302
    assert _plan(app, org, old_plan_id)["results"][0][2][0][5] == 120.0
    assert "plan.copy" in _audit_actions(app, org)


def test_copy_into_an_existing_draft(app, org):
    old_plan_id = _ready_plan(app, org, _year(app, org, OPEN_YEAR - 1))
    plan_id = _create_plan(app, org, _year(app, org, OPEN_YEAR))
    client = _as(app, "pegawai")
    assert _post(client, f"/kota-a/skp/{plan_id}/salin", {"version": _plan(app, org, plan_id)["version"]}).status_code == 302
    assert _plan(app, org, plan_id)["results"] == _plan(app, org, old_plan_id)["results"]


# --- cascading: linking an RHK to the supervisor's -------------------------------------------

def test_rhk_links_to_the_penilais_submitted_plan_only(app, org):
    period_id = _year(app, org)
    boss_plan = _ready_plan(app, org, period_id, employee_key="penilai")
    boss_result = _plan(app, org, boss_plan)["result_ids"][0]
    plan_id = _create_plan(app, org, period_id)
    client = _as(app, "pegawai")
    version = _plan(app, org, plan_id)["version"]
    early = _post(client, f"/kota-a/skp/{plan_id}/rhk/baru", {
        "kind": "utama", "description": "Mendukung atasan", "supports_id": boss_result, "version": version})
    assert early.status_code == 422 and "bukan bagian dari SKP pejabat penilai" in early.get_data(as_text=True)
    assert _submit(app, org, boss_plan, employee_key="penilai").status_code == 302
    assert "Pelayanan administrasi kesehatan tertib" in client.get(f"/kota-a/skp/{plan_id}/rhk/baru").get_data(as_text=True)
    linked = _post(client, f"/kota-a/skp/{plan_id}/rhk/baru", {
        "kind": "utama", "description": "Mendukung atasan", "supports_id": boss_result, "version": version})
    assert linked.status_code == 302
    supports = _in(app, org, lambda: db.session.scalar(
        select(m.PlanResult.supports_id).where(m.PlanResult.plan_id == plan_id)))
    assert supports == boss_result


# --- admin: indicator sets and reassigning the penilai ------------------------------------------

def test_indicator_set_for_a_unit_reaches_editable_plans_and_later_ones(app, org):
    period_id = _year(app, org)
    draft = _ready_plan(app, org, period_id)
    agreed = _ready_plan(app, org, period_id, employee_key="penilai")
    _submit(app, org, agreed, employee_key="penilai")
    before_agreed = _plan(app, org, agreed)
    admin = _as(app, "admin")
    assert "UMUM-03" in admin.get("/kota-a/skp/admin/indikator").get_data(as_text=True)
    response = _post(admin, "/kota-a/skp/admin/indikator", {
        "period_id": period_id, "unit_id": org.unit_id, "indicator_codes": ["UMUM-01", "UMUM-03"]})
    assert response.status_code == 302
    assert "1 SKP" in admin.get("/kota-a/skp/admin/indikator").get_data(as_text=True)
    codes = [i[0] for r in _plan(app, org, draft)["results"] for i in r[2]]
    assert codes == [None, "UMUM-01", "UMUM-03"]
    assert _plan(app, org, agreed)["results"] == before_agreed["results"]  # submitted: untouched
    # Again: nothing is added twice.
    _post(admin, "/kota-a/skp/admin/indikator", {"period_id": period_id, "unit_id": org.unit_id,
                                                  "indicator_codes": ["UMUM-01"]})
    assert [i[0] for r in _plan(app, org, draft)["results"] for i in r[2]] == [None, "UMUM-01", "UMUM-03"]
    # A plan created later gets the set too.
    later = _create_plan(app, org, period_id, employee_key="rekan")
    assert [i[0] for r in _plan(app, org, later)["results"] for i in r[2]] == ["UMUM-01", "UMUM-03"]
    actions = _audit_actions(app, org)
    assert actions.count("indicator_assignment.create") == 2


def test_indicator_set_needs_one_target_and_known_codes(app, org):
    period_id = _year(app, org)
    admin = _as(app, "admin")
    both = _post(admin, "/kota-a/skp/admin/indikator", {
        "period_id": period_id, "unit_id": org.unit_id, "position_id": org.position_ids["STAF"],
        "indicator_codes": ["UMUM-01"]})
    assert both.status_code == 422 and "Pilih satu unit kerja atau satu jabatan" in both.get_data(as_text=True)
    unknown = _post(admin, "/kota-a/skp/admin/indikator", {
        "period_id": period_id, "position_id": org.position_ids["STAF"], "indicator_codes": ["XX-99"]})
    assert unknown.status_code == 422 and "XX-99" in unknown.get_data(as_text=True)
    assert _post(_as(app, "penilai"), "/kota-a/skp/admin/indikator", {
        "period_id": period_id, "position_id": org.position_ids["STAF"],
        "indicator_codes": ["UMUM-01"]}).status_code == 403


def test_indicator_set_for_a_position(app, org):
    period_id = _year(app, org)
    staff = _create_plan(app, org, period_id)
    boss = _create_plan(app, org, period_id, employee_key="penilai")
    response = _post(_as(app, "admin"), "/kota-a/skp/admin/indikator", {
        "period_id": period_id, "position_id": org.position_ids["STAF"], "indicator_codes": ["UMUM-02"]})
    assert response.status_code == 302
    assert [i[0] for r in _plan(app, org, staff)["results"] for i in r[2]] == ["UMUM-02"]
    assert _plan(app, org, boss)["results"] == []


def test_reassigning_the_penilai_changes_who_may_agree(app, org):
    plan_id = _ready_plan(app, org, _year(app, org))
    _submit(app, org, plan_id)
    admin = _as(app, "admin")
    nip = _in(app, org, lambda: db.session.get(Employee, org.atasan_id).nip)
    version = _plan(app, org, plan_id)["version"]
    no_reason = _post(admin, f"/kota-a/skp/admin/{plan_id}/penilai", {"employee_nip": nip, "version": version})
    assert no_reason.status_code == 422 and f'value="{nip}"' in no_reason.get_data(as_text=True)
    response = _post(admin, f"/kota-a/skp/admin/{plan_id}/penilai",
                     {"employee_nip": nip, "reason": "Kasi cuti panjang", "version": version})
    assert response.status_code == 302
    assert _plan(app, org, plan_id)["assigned_penilai_id"] == org.atasan_id
    entry = _in(app, org, lambda: db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "plan.reassign_penilai")))
    assert entry.reason == "Kasi cuti panjang"
    assert (entry.before["assigned_penilai_id"], entry.after["assigned_penilai_id"]) == (None, org.atasan_id)
    assert _notifications(app, org, "atasan")[-1][0] == "plan.submitted"
    # The old penilai no longer sees it waiting, nor may agree; the new one may.
    old = _as(app, "penilai")
    assert f"/kota-a/skp/{plan_id}" not in old.get("/kota-a/skp/tim").get_data(as_text=True)
    version = _plan(app, org, plan_id)["version"]
    assert _post(old, f"/kota-a/skp/{plan_id}/setujui", {"version": version}).status_code == 403
    new = _as(app, "atasan")
    assert f"/kota-a/skp/{plan_id}" in new.get("/kota-a/skp/tim").get_data(as_text=True)
    assert _post(new, f"/kota-a/skp/{plan_id}/setujui", {"version": version}).status_code == 302
    # Only admins reassign.
    assert _post(old, f"/kota-a/skp/admin/{plan_id}/penilai",
                 {"employee_nip": "", "reason": "x", "version": version}).status_code == 403


# --- periods --------------------------------------------------------------------------------

def test_admin_opens_a_year_with_the_regions_sub_periods_and_sets_dates(app, org):
    admin = _as(app, "admin")
    token = csrf_token(admin, "/kota-a/admin/periode/buka")
    response = admin.post("/kota-a/admin/periode/buka", data={
        "csrf_token": token, "year": OPEN_YEAR, "plans_lock_on": f"{OPEN_YEAR}-01-31",
        "evaluation_due_on": f"{OPEN_YEAR + 1}-01-15"})
    assert response.status_code == 302
    period_id = int(response.location.rsplit("/", 1)[1])

    def periods():
        year = db.session.get(Period, period_id)
        return year.plans_lock_on, year.evaluation_due_on, [c.kind for c in year.children]
    lock, due, kinds = _in(app, org, periods)
    assert (lock, due) == (date(OPEN_YEAR, 1, 31), date(OPEN_YEAR + 1, 1, 15))
    assert kinds == [PeriodKind.QUARTER] * 4  # nasional: quarterly
    again = admin.post("/kota-a/admin/periode/buka", data={"csrf_token": token, "year": OPEN_YEAR})
    assert again.status_code == 422 and "sudah dibuka" in again.get_data(as_text=True)
    bad = admin.post(f"/kota-a/admin/periode/{period_id}", data={
        "csrf_token": token, "plans_lock_on": f"{OPEN_YEAR}-06-30", "evaluation_due_on": f"{OPEN_YEAR}-03-01"})
    assert bad.status_code == 422 and "tidak boleh sebelum" in bad.get_data(as_text=True)
    ok = admin.post(f"/kota-a/admin/periode/{period_id}", data={
        "csrf_token": token, "plans_lock_on": f"{OPEN_YEAR}-02-28", "evaluation_due_on": ""})
    assert ok.status_code == 302
    assert _in(app, org, periods)[:2] == (date(OPEN_YEAR, 2, 28), None)
    assert {"period.open", "period.update"} <= set(_audit_actions(app, org, "period"))
    page = admin.get("/kota-a/admin/periode/").get_data(as_text=True)
    assert str(OPEN_YEAR) in page and "28-02-" in page
    for role in ("pegawai", "penilai", "atasan"):
        assert _as(app, role).get("/kota-a/admin/periode/").status_code == 403


def test_lock_plans_now(app, org):
    period_id = _year(app, org, LOCKED_YEAR)
    plan_id = _ready_plan(app, org, period_id)
    admin = _as(app, "admin")
    token = csrf_token(admin, "/kota-a/admin/periode/")
    assert admin.post(f"/kota-a/admin/periode/{period_id}/kunci", data={"csrf_token": token}).status_code == 302
    assert _in(app, org, lambda: db.session.get(Period, period_id).plans_lock_on) == _in(app, org, tenant_today)  # the tenant's date (Jakarta), not the host's
    assert "period.lock" in _audit_actions(app, org)
    assert _submit(app, org, plan_id).status_code == 403


def test_lock_now_shows_the_regions_blockers(app, two_tenants):
    with app.app_context():
        tenant = make_tenant("sawahlunto-uji", rule_set="sawahlunto")
        org = make_org(tenant, prefix="Sw ")
        db.session.remove()
    period_id = _year(app, org, LOCKED_YEAR)
    admin = _as(app, "admin", slug="sawahlunto-uji")
    token = csrf_token(admin, "/sawahlunto-uji/admin/periode/")
    response = admin.post(f"/sawahlunto-uji/admin/periode/{period_id}/kunci", data={"csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "belum dikonsultasikan kepada pegawai" in html
    assert _in(app, org, lambda: db.session.get(Period, period_id).plans_lock_on) is None
    # A lock date set through the dates form cannot get around it either.
    dodge = admin.post(f"/sawahlunto-uji/admin/periode/{period_id}", data={
        "csrf_token": token, "plans_lock_on": date.today().isoformat()})
    assert dodge.status_code == 422 and "belum dikonsultasikan" in dodge.get_data(as_text=True)
    # Figures typed in at lock no longer count: only a recorded consultation does
    # (tests/test_consultation.py runs one to the end and the plans lock).
    today = date.today()
    typed = admin.post(f"/sawahlunto-uji/admin/periode/{period_id}/kunci", data={
        "csrf_token": token, "consultation_published_on": date(today.year, 1, 1).isoformat(),
        "consultation_closes_on": date(today.year, 1, 31).isoformat(), "comments_received": "12",
        "responses_published": "y"})
    assert typed.status_code == 422 and "belum dikonsultasikan" in typed.get_data(as_text=True)


# --- the team, in a fixed number of queries ------------------------------------------------------

def test_team_matches_the_organisation_chart(app, org):
    from app.org.hierarchy import supervisor_of

    def rated_by(boss):
        everyone = db.session.scalars(select(Employee).where(Employee.active)).all()
        return {e.id for e in everyone if (s := supervisor_of(e)) is not None and s.id == boss.id}

    def check():
        for key in ("kadis_id", "atasan_id", "penilai_id", "pegawai_id"):
            employee = db.session.get(Employee, getattr(org, key))
            assert team_employee_ids(employee) == rated_by(employee), key
        # A vacant kasi position: its staff go up to the kabid.
        penilai = db.session.get(Employee, org.penilai_id)
        penilai.position_id = None
        db.session.flush()
        atasan = db.session.get(Employee, org.atasan_id)
        assert team_employee_ids(atasan) == rated_by(atasan) == {org.pegawai_id, org.peer_id}
        db.session.rollback()
    _in(app, org, check)


def test_list_pages_use_a_constant_number_of_queries(app, org):
    from app.org import services

    period_id = _year(app, org)
    _ready_plan(app, org, period_id)
    penilai = _as(app, "penilai")
    admin = _as(app, "admin")
    pegawai = _as(app, "pegawai")
    counts = []
    for extra in (0, 6):
        def add_staff(n=extra):
            for i in range(n):
                employee = services.save_employee(services.EmployeeData(
                    f"19900{(i % 9) + 1}0{(i % 9) + 1}2015031{i + 1:03d}", f"Staf Tambahan {i}", "L", "PNS",
                    org.position_ids["STAF"]))
                db.session.flush()
                plan = m.Plan(employee_id=employee.id, period_id=period_id, status=m.PlanStatus.SUBMITTED)
                db.session.add(plan)
            db.session.commit()
        _in(app, org, add_staff)
        statements: list[str] = []

        def record(conn, cursor, statement, *args, seen=statements):
            seen.append(statement)
        with app.app_context():
            engine = db.engine
        # Outside an app context: each request gets its own (and its own signed-in user).
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert penilai.get("/kota-a/skp/tim").status_code == 200
            assert admin.get("/kota-a/skp/admin/").status_code == 200
            assert pegawai.get("/kota-a/skp/").status_code == 200
            assert admin.get("/kota-a/admin/periode/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert "Staf Tambahan 5" in penilai.get("/kota-a/skp/tim").get_data(as_text=True)
