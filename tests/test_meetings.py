"""Evaluation meetings (issue #12, item 4): scheduling and recording a rapat
evaluasi kinerja, attendance, minutes, follow-up actions in their owners'
work lists, and the rule that requires a held meeting before finalising."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import models as m
from app.auth.accounts import UserData, save_user
from app.extensions import db
from app.org import services as org_services
from app.tenancy import tenant_rules, tenant_scope
from tests.conftest import PASSWORD, csrf_token, login
from tests.test_skp_evaluation import _finalise, _rate, _start, _walesi
from tests.test_skp_realisation import build_world, in_a, post, signed_in

HELD_ON = date(2026, 7, 2)


@pytest.fixture
def world(app, two_tenants, tmp_path, monkeypatch):
    w = build_world(app, two_tenants, tmp_path, monkeypatch)
    with app.app_context():
        with tenant_scope(w.a.tenant):
            # The unit head (kepala dinas) gets an account; a second unit with an outsider.
            kadis = db.session.get(m.Employee, w.a.kadis_id)
            w.a.user_ids["kadis"] = save_user(UserData("kadis", kadis.nip, False, PASSWORD)).id
            other = org_services.save_unit(org_services.UnitData("DISDIK", "Dinas Pendidikan", "dinas"))
            db.session.flush()
            position = org_services.save_position(org_services.PositionData(
                "GURU", "Guru", "fungsional", other.id, None))
            db.session.flush()
            outsider = org_services.save_employee(org_services.EmployeeData(
                "198512122010012001", "Luar Unit", "P", "PNS", position.id))
            db.session.flush()
            w.a.user_ids["luar"] = save_user(UserData("luar", outsider.nip, False, PASSWORD)).id
            w.a.other_unit_id = other.id
            w.a.outsider_id = outsider.id
            db.session.commit()
        db.session.remove()
    return w


def _schedule(client, w, **fields) -> object:
    data = {"unit_id": str(w.a.unit_id), "period_id": str(w.a.quarters[1]), "held_on": HELD_ON.isoformat(),
            "starts_at": "09:00", "place": "Aula Dinas Kesehatan", "agenda": "Evaluasi kinerja triwulan 2"}
    data.update(fields)
    return post(client, "/kota-a/rapat/", data)


def _meeting_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/rapat/(\d+)$", response.location).group(1))


def _meeting(app, meeting_id):
    def run():
        meeting = db.session.get(m.EvaluationMeeting, meeting_id)
        return (meeting.status, meeting.minutes,
                {p.employee_id: p.attendance for p in meeting.participants},
                [(a.description, a.owner_id, a.status, a.closing_note) for a in meeting.actions])
    return in_a(app, run)


def _participants(app, meeting_id) -> dict[int, int]:
    """employee id → participant id"""
    return in_a(app, lambda: {p.employee_id: p.id for p in db.session.scalars(
        select(m.MeetingParticipant).where(m.MeetingParticipant.meeting_id == meeting_id))})


def _notified(app, user_id: int, kind: str) -> int:
    return len(in_a(app, lambda: list(db.session.scalars(
        select(m.Notification.id).where(m.Notification.user_id == user_id, m.Notification.kind == kind)))))


def _opened(app, role: str, kind: str) -> str:
    """Where opening the role's notification of this kind leads (the inbox's "buka")."""
    user_id = in_a(app, lambda: db.session.scalar(select(m.User.id).where(m.User.username == role)))
    note_id = in_a(app, lambda: db.session.scalar(select(m.Notification.id).where(
        m.Notification.user_id == user_id, m.Notification.kind == kind)))
    response = post(signed_in(app, role), f"/kota-a/notifikasi/{note_id}/baca", {"buka": "1"})
    assert response.status_code == 302
    return response.location


def _audit(app, action: str) -> list:
    return in_a(app, lambda: list(db.session.scalars(
        select(m.AuditEntry).where(m.AuditEntry.action == action).order_by(m.AuditEntry.seq))))


def _hold(app, client, w, meeting_id) -> None:
    """Attendance for everyone, minutes, then held."""
    ids = _participants(app, meeting_id)
    attendance = {f"attendance_{pid}": "present" for pid in ids.values()}
    attendance[f"attendance_{ids[w.a.peer_id]}"] = "excused"
    assert post(client, f"/kota-a/rapat/{meeting_id}/kehadiran", attendance).status_code == 302
    assert post(client, f"/kota-a/rapat/{meeting_id}/notulen",
                {"minutes": "Capaian triwulan 2 dibahas."}).status_code == 302
    assert post(client, f"/kota-a/rapat/{meeting_id}/terlaksana").status_code == 302


# --- scheduling and roles --------------------------------------------------------------------

def test_admin_schedules_a_meeting_the_unit_is_invited_and_told(app, world):
    w = world
    admin = signed_in(app, "admin")
    assert "Jadwalkan rapat" in admin.get("/kota-a/rapat/").get_data(as_text=True)
    meeting_id = _meeting_id(_schedule(admin, w))
    status, minutes, attendance, actions = _meeting(app, meeting_id)
    assert status is m.MeetingStatus.SCHEDULED and minutes is None and actions == []
    # Every active employee of the unit, none of the other unit.
    assert set(attendance) == {w.a.kadis_id, w.a.atasan_id, w.a.penilai_id, w.a.pegawai_id, w.a.peer_id}
    assert set(attendance.values()) == {None}
    for role in ("pegawai", "penilai", "atasan", "kadis"):
        assert _notified(app, w.a.user_ids[role], "meeting.scheduled") == 1
    assert _notified(app, w.a.user_ids["luar"], "meeting.scheduled") == 0
    [entry] = _audit(app, "meeting.schedule")
    assert entry.after["place"] == "Aula Dinas Kesehatan" and entry.object_type == "meeting"
    # The participants read it; the inbox links to it.
    html = signed_in(app, "pegawai").get(f"/kota-a/rapat/{meeting_id}").get_data(as_text=True)
    assert "Evaluasi kinerja triwulan 2" in html and "dijadwalkan" in html
    assert "Simpan kehadiran" not in html and "Batalkan rapat" not in html
    assert _opened(app, "pegawai", "meeting.scheduled").endswith(f"/kota-a/rapat/{meeting_id}")


def test_the_unit_head_organises_the_units_meetings_only(app, world):
    w = world
    kadis = signed_in(app, "kadis")
    meeting_id = _meeting_id(_schedule(kadis, w))
    refused = _schedule(kadis, w, unit_id=str(w.a.other_unit_id))
    assert refused.status_code == 422 and "boleh Anda atur" in refused.get_data(as_text=True)
    assert post(kadis, f"/kota-a/rapat/{meeting_id}/notulen", {"minutes": "Catatan"}).status_code == 302
    # An atasan who heads no unit, a pegawai: neither schedules nor records.
    for role in ("atasan", "pegawai"):
        client = signed_in(app, role)
        assert "Jadwalkan rapat" not in client.get("/kota-a/rapat/").get_data(as_text=True)
        assert _schedule(client, w).status_code == 403
        assert post(client, f"/kota-a/rapat/{meeting_id}/notulen", {"minutes": "x"}).status_code == 403
        assert post(client, f"/kota-a/rapat/{meeting_id}/batal", {"reason": "x"}).status_code == 403
    assert _meeting(app, meeting_id)[1] == "Catatan"


def test_who_sees_which_meeting(app, world):
    w = world
    admin = signed_in(app, "admin")
    meeting_id = _meeting_id(_schedule(admin, w))
    outsider = signed_in(app, "luar")
    assert outsider.get(f"/kota-a/rapat/{meeting_id}").status_code == 403
    assert "Aula Dinas Kesehatan" not in outsider.get("/kota-a/rapat/").get_data(as_text=True)
    assert "Aula Dinas Kesehatan" in signed_in(app, "penilai").get("/kota-a/rapat/").get_data(as_text=True)
    # Another tenant's meeting and action are not there at all.
    from tests.meetings_support import add_meeting
    with app.app_context():
        b_meeting, b_action = add_meeting(w.b, w.b.cycle.year_period_id)
    assert admin.get(f"/kota-a/rapat/{b_meeting}").status_code == 404
    assert post(admin, f"/kota-a/rapat/tindak-lanjut/{b_action}/tutup", {"note": "x"}).status_code == 404


def test_scheduling_input_is_checked(app, world):
    w = world
    admin = signed_in(app, "admin")
    for fields, message in [({"place": "  "}, "Isi tempat rapat"), ({"held_on": "2025-12-31"}, "sejak awal periode"),
                            ({"period_id": ""}, "Pilih periode"), ({"starts_at": "25:00"}, ""),
                            ({"unit_id": "999999"}, "boleh Anda atur")]:
        response = _schedule(admin, w, **fields)
        assert response.status_code == 422, fields
        assert message in response.get_data(as_text=True)
    assert in_a(app, lambda: db.session.scalar(select(m.EvaluationMeeting.id))) is None


def test_editing_a_scheduled_meeting_tells_the_participants(app, world):
    w = world
    admin = signed_in(app, "admin")
    meeting_id = _meeting_id(_schedule(admin, w))
    response = post(admin, f"/kota-a/rapat/{meeting_id}/ubah", {
        "period_id": str(w.a.quarters[1]), "held_on": "2026-07-03", "starts_at": "13:30",
        "place": "Ruang Rapat Lt. 2", "agenda": "Evaluasi kinerja triwulan 2"})
    assert response.status_code == 302
    html = admin.get(f"/kota-a/rapat/{meeting_id}").get_data(as_text=True)
    assert "Ruang Rapat Lt. 2" in html and "13:30" in html
    assert _notified(app, w.a.user_ids["pegawai"], "meeting.changed") == 1
    assert len(_audit(app, "meeting.update")) == 1


# --- attendance, minutes, status -------------------------------------------------------------

def test_attendance_minutes_and_holding(app, world):
    w = world
    admin = signed_in(app, "admin")
    meeting_id = _meeting_id(_schedule(admin, w))
    url = f"/kota-a/rapat/{meeting_id}"
    # Not held without minutes and attendance.
    refused = post(admin, f"{url}/terlaksana")
    assert refused.status_code == 422 and "notulen" in refused.get_data(as_text=True)
    assert post(admin, f"{url}/notulen", {"minutes": "Capaian triwulan 2 dibahas."}).status_code == 302
    refused = post(admin, f"{url}/terlaksana")
    assert refused.status_code == 422 and "Kehadiran 5 peserta belum dicatat" in refused.get_data(as_text=True)
    ids = _participants(app, meeting_id)
    bad = post(admin, f"{url}/kehadiran", {f"attendance_{ids[w.a.pegawai_id]}": "mungkin"})
    assert bad.status_code == 422 and "Pilih kehadiran" in bad.get_data(as_text=True)
    values = {w.a.kadis_id: "present", w.a.atasan_id: "present", w.a.penilai_id: "present",
              w.a.pegawai_id: "absent", w.a.peer_id: "excused"}
    assert post(admin, f"{url}/kehadiran",
                {f"attendance_{ids[e]}": v for e, v in values.items()}).status_code == 302
    status, minutes, attendance, _actions = _meeting(app, meeting_id)
    assert attendance[w.a.pegawai_id] is m.Attendance.ABSENT and attendance[w.a.peer_id] is m.Attendance.EXCUSED
    assert len(_audit(app, "meeting.attendance")) == 5
    assert post(admin, f"{url}/terlaksana").status_code == 302
    assert _meeting(app, meeting_id)[0] is m.MeetingStatus.HELD
    assert _notified(app, w.a.user_ids["pegawai"], "meeting.held") == 1
    html = signed_in(app, "pegawai").get(url).get_data(as_text=True)
    assert "dilaksanakan" in html and "Capaian triwulan 2 dibahas." in html and "tidak hadir" in html
    # Once held, neither held again nor cancelled.
    assert post(admin, f"{url}/terlaksana").status_code == 409
    assert post(admin, f"{url}/batal", {"reason": "x"}).status_code == 409


def test_attendance_waits_for_the_meetings_day(app, world):
    w = world
    admin = signed_in(app, "admin")
    soon = date.today() + timedelta(days=5)
    meeting_id = _meeting_id(_schedule(admin, w, period_id=str(w.a.cycle.year_period_id), held_on=soon.isoformat()))
    ids = _participants(app, meeting_id)
    response = post(admin, f"/kota-a/rapat/{meeting_id}/kehadiran", {f"attendance_{ids[w.a.pegawai_id]}": "present"})
    assert response.status_code == 422 and "pada atau setelah tanggal rapat" in response.get_data(as_text=True)


def test_participants_are_added_and_removed(app, world):
    w = world
    admin = signed_in(app, "admin")
    meeting_id = _meeting_id(_schedule(admin, w))
    url = f"/kota-a/rapat/{meeting_id}"
    ids = _participants(app, meeting_id)
    assert post(admin, f"{url}/peserta/hapus", {"participant_id": str(ids[w.a.peer_id])}).status_code == 302
    assert w.a.peer_id not in _participants(app, meeting_id)
    assert post(admin, f"{url}/peserta", {"employee_id": str(w.a.peer_id)}).status_code == 302
    again = post(admin, f"{url}/peserta", {"employee_id": str(w.a.peer_id)})
    assert again.status_code == 422 and "sudah menjadi peserta" in again.get_data(as_text=True)
    assert post(admin, f"{url}/peserta/hapus", {"participant_id": "999999"}).status_code == 404
    assert [e.action for e in _audit(app, "meeting.participant_remove")] == ["meeting.participant_remove"]
    assert len(_audit(app, "meeting.participant_add")) == 1


def test_cancelling_needs_a_reason_and_tells_the_participants(app, world):
    w = world
    admin = signed_in(app, "admin")
    meeting_id = _meeting_id(_schedule(admin, w))
    url = f"/kota-a/rapat/{meeting_id}"
    refused = post(admin, f"{url}/batal", {"reason": " "})
    assert refused.status_code == 422 and "alasan pembatalan" in refused.get_data(as_text=True)
    assert post(admin, f"{url}/batal", {"reason": "Bertepatan dengan kunjungan kerja"}).status_code == 302
    assert _meeting(app, meeting_id)[0] is m.MeetingStatus.CANCELLED
    assert _notified(app, w.a.user_ids["penilai"], "meeting.cancelled") == 1
    [entry] = _audit(app, "meeting.cancel")
    assert entry.reason == "Bertepatan dengan kunjungan kerja"
    assert post(admin, f"{url}/terlaksana").status_code == 409
    assert "dibatalkan" in admin.get(url).get_data(as_text=True)


# --- follow-up actions -----------------------------------------------------------------------

def test_follow_ups_reach_the_owners_work_list_and_close_with_a_note(app, world):
    w = world
    admin = signed_in(app, "admin")
    meeting_id = _meeting_id(_schedule(admin, w))
    url = f"/kota-a/rapat/{meeting_id}"
    early = post(admin, f"{url}/tindak-lanjut", {"description": "Terlalu dini", "owner_id": str(w.a.pegawai_id),
                                                  "due_on": "2026-08-01"})
    assert early.status_code == 409
    _hold(app, admin, w, meeting_id)
    late = post(admin, f"{url}/tindak-lanjut", {"description": "Lengkapi bukti dukung",
                                                 "owner_id": str(w.a.pegawai_id), "due_on": "2026-06-01"})
    assert late.status_code == 422 and "sebelum tanggal rapat" in late.get_data(as_text=True)
    assert post(admin, f"{url}/tindak-lanjut", {"description": "Lengkapi bukti dukung triwulan 2",
                                                 "owner_id": str(w.a.pegawai_id),
                                                 "due_on": "2026-08-01"}).status_code == 302
    assert _notified(app, w.a.user_ids["pegawai"], "meeting.action") == 1
    assert _opened(app, "pegawai", "meeting.action").endswith(f"/kota-a/rapat/{meeting_id}")
    [(description, owner, status, note)] = _meeting(app, meeting_id)[3]
    assert (owner, status, note) == (w.a.pegawai_id, m.ActionStatus.OPEN, None)
    action_id = in_a(app, lambda: db.session.scalar(select(m.MeetingAction.id)))
    [entry] = _audit(app, "meeting_action.create")
    assert entry.employee_id == w.a.pegawai_id

    # The owner's home page lists it, with a link to where it is closed.
    pegawai = signed_in(app, "pegawai")
    home = pegawai.get("/kota-a/").get_data(as_text=True)
    assert "Tindak lanjut rapat yang menjadi tanggung jawab saya (1)" in home
    assert f'href="/kota-a/rapat/{meeting_id}#tindak-lanjut-{action_id}"' in home
    assert "Lengkapi bukti dukung triwulan 2" in home
    assert "Lengkapi bukti dukung triwulan 2" not in signed_in(app, "penilai").get("/kota-a/").get_data(as_text=True)

    # Only the owner (or an organiser) closes it, and only with a note.
    close = f"/kota-a/rapat/tindak-lanjut/{action_id}/tutup"
    assert post(signed_in(app, "penilai"), close, {"note": "Sudah"}).status_code == 403
    empty = post(pegawai, close, {"note": ""})
    assert empty.status_code == 422 and "catatan penyelesaian" in empty.get_data(as_text=True)
    assert post(pegawai, close, {"note": "Bukti dukung diunggah 20 Juli"}).status_code == 302
    [(_d, _o, status, note)] = _meeting(app, meeting_id)[3]
    assert status is m.ActionStatus.CLOSED and note == "Bukti dukung diunggah 20 Juli"
    assert len(_audit(app, "meeting_action.close")) == 1
    assert _notified(app, w.a.user_ids["admin"], "meeting.action_closed") == 1
    assert post(pegawai, close, {"note": "lagi"}).status_code == 409
    assert "Tindak lanjut rapat yang menjadi tanggung jawab saya" not in pegawai.get("/kota-a/").get_data(as_text=True)
    assert "Bukti dukung diunggah 20 Juli" in pegawai.get(f"{url}").get_data(as_text=True)


def test_an_upcoming_meeting_is_on_the_participants_home_page(app, world):
    w = world
    admin = signed_in(app, "admin")
    soon = date.today() + timedelta(days=3)
    meeting_id = _meeting_id(_schedule(admin, w, period_id=str(w.a.cycle.year_period_id), held_on=soon.isoformat()))
    home = signed_in(app, "pegawai").get("/kota-a/").get_data(as_text=True)
    assert "Undangan rapat" in home and f'href="/kota-a/rapat/{meeting_id}"' in home
    assert "Undangan rapat" not in signed_in(app, "luar").get("/kota-a/").get_data(as_text=True)


# --- the rule: a held meeting before finalising ------------------------------------------------

def _walesi_meeting(client, unit_id: int, period_id: int) -> int:
    token = csrf_token(client, "/walesi/rapat/")
    response = client.post("/walesi/rapat/", data={
        "csrf_token": token, "unit_id": str(unit_id), "period_id": str(period_id), "held_on": "2026-07-03",
        "starts_at": "09:00", "place": "Aula Kantor", "agenda": "Rapat evaluasi kinerja semester 1"})
    return _meeting_id(response)


def _walesi_post(client, url: str, data: dict | None = None):
    return client.post(url, data={"csrf_token": csrf_token(client, "/walesi/rapat/"), **(data or {})})


def test_walesi_requires_a_held_meeting_before_finalising(app, client):
    # The region's own rule, which the shared evaluation set-up switches off.
    o, ids = _walesi(app, {"evaluation_meeting_required": True})
    login(client, "walesi", "penilai")
    s1 = _start(client, "walesi", ids["plan_id"], ids["periods"][1])
    assert _rate(client, "walesi", s1, hasil_kerja_rating="sesuai", perilaku_rating="sesuai").status_code == 302
    page = client.get(f"/walesi/penilaian/{s1}").get_data(as_text=True)
    assert "rapat evaluasi kinerja" in page
    assert _finalise(client, "walesi", s1).status_code != 302
    with app.app_context(), tenant_scope(o.tenant):
        assert db.session.get(m.Evaluation, s1).status is m.EvaluationStatus.DRAFT

    admin = app.test_client()
    login(admin, "walesi", "admin")
    meeting_id = _walesi_meeting(admin, o.unit_id, ids["periods"][1])
    # Scheduled is not enough; a meeting of another period is not enough either.
    assert _finalise(client, "walesi", s1).status_code != 302
    with app.app_context(), tenant_scope(o.tenant):
        participant_ids = list(db.session.scalars(select(m.MeetingParticipant.id).where(
            m.MeetingParticipant.meeting_id == meeting_id)))
    assert _walesi_post(admin, f"/walesi/rapat/{meeting_id}/kehadiran",
                        {f"attendance_{pid}": "present" for pid in participant_ids}).status_code == 302
    assert _walesi_post(admin, f"/walesi/rapat/{meeting_id}/notulen",
                        {"minutes": "Capaian semester 1 dibahas."}).status_code == 302
    assert _walesi_post(admin, f"/walesi/rapat/{meeting_id}/terlaksana").status_code == 302

    assert "rapat evaluasi kinerja" not in client.get(f"/walesi/penilaian/{s1}").get_data(as_text=True)
    assert _finalise(client, "walesi", s1).status_code == 302
    with app.app_context(), tenant_scope(o.tenant):
        assert db.session.get(m.Evaluation, s1).status is m.EvaluationStatus.FINAL
        # Semester 2 and the year still wait for the second meeting.
        from app.meetings.rules import held_meeting_for
        employee = db.session.get(m.Employee, o.pegawai_id)
        assert held_meeting_for(employee, db.session.get(m.Period, ids["periods"][2])) is None
        assert held_meeting_for(employee, db.session.get(m.Period, ids["periods"]["year"])) is None


def test_a_meeting_of_the_unit_above_covers_its_sub_units_and_closes_the_year(app):
    from app.meetings.models import EvaluationMeeting, MeetingStatus
    from app.meetings.rules import held_meeting_for, required_meeting_blocker
    from tests.test_skp_evaluation import _periods, _setup

    with app.app_context():
        o = _setup("walesi")
        periods = _periods(o)
        with tenant_scope(o.tenant):
            parent = org_services.save_unit(org_services.UnitData("SETDA", "Sekretariat Daerah", "sekretariat"))
            db.session.flush()
            unit = db.session.get(m.Unit, o.unit_id)
            unit.parent_id = parent.id
            db.session.flush()
            employee = db.session.get(m.Employee, o.pegawai_id)
            year = db.session.get(m.Period, periods["year"])
            assert required_meeting_blocker(True, employee, year) is not None
            assert required_meeting_blocker(False, employee, year) is None
            db.session.add(EvaluationMeeting(unit_id=parent.id, period_id=periods[2], held_on=date(2026, 12, 1),
                                             starts_at=__import__("datetime").time(9), place="Aula",
                                             agenda="Semester 2", status=MeetingStatus.HELD))
            db.session.flush()
            assert held_meeting_for(employee, year) is not None  # semester 2 closes the year
            assert held_meeting_for(employee, db.session.get(m.Period, periods[1])) is None
            assert required_meeting_blocker(True, employee, year) is None
            db.session.rollback()


def test_a_region_without_the_rule_is_unaffected_and_a_tenant_may_opt_in(app):
    from app.skp.evaluation import services as evaluations
    from tests.test_skp_finalising import AFTER_Q1, _rated, _settings, _user

    o, ids = _rated(app, realisations={0: {1: 150}, 1: {1: 25}})  # Sawahlunto: no meeting rule
    with app.test_request_context(), tenant_scope(o.tenant):
        assert tenant_rules().rule_set.evaluation_meeting_required is False
        plan = db.session.get(m.Plan, ids["plan_id"])
        ev = evaluations.get_or_start(_user(o, "penilai"), plan, db.session.get(m.Period, ids["periods"][1]))
        assert not any("rapat evaluasi" in b for b in evaluations.finalise_readiness(ev, AFTER_Q1).blockers)
        ev_id = ev.id
        db.session.commit()
    _settings(app, {"evaluation_meeting_required": True})
    with app.test_request_context(), tenant_scope(o.tenant):
        ev = db.session.get(m.Evaluation, ev_id)
        assert any("rapat evaluasi" in b for b in evaluations.finalise_readiness(ev, AFTER_Q1).blockers)


def test_the_walesi_rule_set_requires_meetings_and_the_api_says_1_3():
    from app.regions.api import API_VERSION
    from plugins.walesi import RULE_SET

    assert RULE_SET.evaluation_meeting_required is True
    assert API_VERSION == "1.3.0"


def test_the_migration_creates_the_tables_the_models_describe(app_context, owner_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with owner_engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert [d for d in diffs if "evaluation_meeting" in repr(d)] == []


# --- the demo: Walesi's admin recorded meetings; the follow-ups wait on the home pages -----------

def test_the_walesi_demo_has_held_meetings_and_open_follow_ups_on_the_home_page(app, monkeypatch):
    from app.demo.seed import seed_all
    from tests.conftest import make_tenant

    monkeypatch.setitem(app.config, "DEMO_MODE", True)
    with app.app_context():
        ref = make_tenant("walesi", rule_set="walesi")
        slug = ref.slug
        list(seed_all())
        db.session.remove()
    password = app.config["DEMO_PASSWORD"]
    admin = app.test_client()
    assert login(admin, slug, "admin", password).status_code == 302
    listing = admin.get(f"/{slug}/rapat/").get_data(as_text=True)
    assert "dilaksanakan" in listing and "dijadwalkan" not in listing
    for username in ("pegawai", "penilai"):
        client = app.test_client()
        assert login(client, slug, username, password).status_code == 302
        home = client.get(f"/{slug}/").get_data(as_text=True)
        assert "Tindak lanjut rapat yang menjadi tanggung jawab saya (1)" in home, username
        link = re.search(rf'href="(/{slug}/rapat/\d+)#tindak-lanjut-(\d+)"', home)
        page = client.get(link.group(1)).get_data(as_text=True)
        assert f'id="tindak-lanjut-{link.group(2)}"' in page and "Tutup tindak lanjut" in page
    with app.app_context():
        tenant = db.session.scalar(select(m.Tenant).where(m.Tenant.slug == slug))
        with tenant_scope(tenant):
            # Every final evaluation had its held meeting (the rule), and earlier follow-ups were closed.
            assert db.session.scalar(select(m.Evaluation.id).where(
                m.Evaluation.status == m.EvaluationStatus.FINAL)) is not None
            statuses = set(db.session.scalars(select(m.MeetingAction.status)))
            assert statuses <= {m.ActionStatus.OPEN, m.ActionStatus.CLOSED} and m.ActionStatus.OPEN in statuses
