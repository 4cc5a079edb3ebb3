"""Dialog kinerja: threads on a plan, an RHK or an IKI, and recorded sessions —
who posts, who reads, who is told, what is audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import models as m
from app.audit.models import AuditEntry
from app.extensions import db
from tests.test_skp_realisation import build_world, in_a, post, signed_in


@pytest.fixture
def world(app, two_tenants, tmp_path, monkeypatch):
    return build_world(app, two_tenants, tmp_path, monkeypatch)


def _messages(app) -> list[tuple]:
    return in_a(app, lambda: [(x.body, x.author_id, x.result_id, x.indicator_id) for x in db.session.scalars(
        select(m.FeedbackMessage).order_by(m.FeedbackMessage.id))])


def _notified(app, user_id: int, kind: str) -> int:
    return len(in_a(app, lambda: list(db.session.scalars(
        select(m.Notification.id).where(m.Notification.user_id == user_id, m.Notification.kind == kind)))))


def _dialog(w, **query) -> str:
    suffix = "".join(f"{'?' if i == 0 else '&'}{k}={v}" for i, (k, v) in enumerate(query.items()))
    return f"/kota-a/skp/{w.a.cycle.plan_id}/dialog{suffix}"


# --- threads -------------------------------------------------------------------------------

@pytest.mark.parametrize("role,status", [("pegawai", 200), ("penilai", 200), ("atasan", 200),
                                         ("admin", 403), ("peer", 403)])
def test_thread_is_for_the_pegawai_penilai_and_atasan(app, world, role, status):
    client = signed_in(app, role)
    response = client.get(_dialog(world))
    assert response.status_code == status
    if status == 200:
        html = response.get_data(as_text=True)
        assert "Bagus" in html  # make_cycle's message from the penilai
        assert "pejabat penilai" in html  # the author's role
    response = post(client, _dialog(world), {"body": f"Pesan dari {role}"})
    assert response.status_code == (302 if status == 200 else 403)
    bodies = [x[0] for x in _messages(app)]
    assert (f"Pesan dari {role}" in bodies) is (status == 200)


def test_messages_in_order_with_author_and_the_other_party_is_told(app, world):
    w = world
    pegawai, penilai, atasan = (signed_in(app, r) for r in ("pegawai", "penilai", "atasan"))
    assert post(pegawai, _dialog(w), {"body": "Mohon arahan untuk triwulan 2"}).status_code == 302
    assert _notified(app, w.a.user_ids["penilai"], "feedback.message") == 1
    assert _notified(app, w.a.user_ids["pegawai"], "feedback.message") == 0
    assert post(penilai, _dialog(w), {"body": "Fokus pada\nketepatan waktu"}).status_code == 302
    assert _notified(app, w.a.user_ids["pegawai"], "feedback.message") == 1
    assert post(atasan, _dialog(w), {"body": "Setuju"}).status_code == 302
    assert _notified(app, w.a.user_ids["pegawai"], "feedback.message") == 2
    assert _notified(app, w.a.user_ids["penilai"], "feedback.message") == 2
    html = pegawai.get(_dialog(w)).get_data(as_text=True)
    order = [html.index(t) for t in ("Bagus", "Mohon arahan", "Fokus pada<br>ketepatan waktu", "Setuju")]
    assert order == sorted(order)
    assert "Pegawai Kota-A" in html and "Atasan Kota-A" in html
    assert "UTC" not in html  # issue #8: times are shown in the tenant's zone, without a suffix


def test_a_thread_on_one_iki(app, world):
    w = world
    penilai = signed_in(app, "penilai")
    response = post(penilai, _dialog(w, indicator_id=w.a.cycle.indicator_id), {"body": "Target IKI ini realistis?"})
    assert response.status_code == 302
    [*_, last] = _messages(app)
    assert last[2:] == (w.a.cycle.result_id, w.a.cycle.indicator_id)
    pegawai = signed_in(app, "pegawai")
    on_iki = pegawai.get(_dialog(w, indicator_id=w.a.cycle.indicator_id)).get_data(as_text=True)
    assert "Target IKI ini realistis?" in on_iki and "Bagus" not in on_iki
    on_rhk = pegawai.get(_dialog(w, result_id=w.a.cycle.result_id)).get_data(as_text=True)
    assert "Target IKI ini realistis?" in on_rhk
    whole = pegawai.get(_dialog(w)).get_data(as_text=True)
    assert "Target IKI ini realistis?" in whole and "IKI: Dokumen diproses" in whole
    # An RHK-level post.
    assert post(pegawai, _dialog(w, result_id=w.a.cycle.result_id), {"body": "Tentang RHK"}).status_code == 302
    assert _messages(app)[-1][2:] == (w.a.cycle.result_id, None)


def test_another_tenants_plan_or_item_is_404(app, world):
    w = world
    client = signed_in(app, "pegawai")
    b = w.b.cycle
    assert client.get(f"/kota-a/skp/{b.plan_id}/dialog").status_code == 404
    assert post(client, f"/kota-a/skp/{b.plan_id}/dialog", {"body": "x"}).status_code == 404
    assert client.get(_dialog(w, indicator_id=b.indicator_id)).status_code == 404
    assert post(client, _dialog(w, result_id=b.result_id), {"body": "x"}).status_code == 404
    assert client.get(f"/kota-a/skp/{b.plan_id}/sesi").status_code == 404
    assert len(_messages(app)) == 1


def test_an_empty_message_is_refused(app, world):
    client = signed_in(app, "pegawai")
    response = post(client, _dialog(world), {"body": "   "})
    assert response.status_code == 422
    assert "Tulis pesan" in response.get_data(as_text=True)
    assert len(_messages(app)) == 1


# --- sessions --------------------------------------------------------------------------------

def _sessions(app) -> list[tuple]:
    return in_a(app, lambda: [(s.held_on, s.face_to_face, s.notes, s.agreed_actions, s.period_id)
                              for s in db.session.scalars(select(m.FeedbackSession).order_by(m.FeedbackSession.id))])


def test_penilai_records_a_session_the_pegawai_sees_it(app, world):
    w = world
    penilai = signed_in(app, "penilai")
    held = min(date.today(), date(2026, 6, 15))
    response = post(penilai, f"/kota-a/skp/{w.a.cycle.plan_id}/sesi", {
        "held_on": held.isoformat(), "face_to_face": "y", "period_id": str(w.a.quarters[1]),
        "notes": "Membahas capaian triwulan 2", "agreed_actions": "Lengkapi bukti dukung"})
    assert response.status_code == 302
    assert _sessions(app)[-1] == (held, True, "Membahas capaian triwulan 2", "Lengkapi bukti dukung", w.a.quarters[1])
    assert _notified(app, w.a.user_ids["pegawai"], "feedback.session") == 1
    entry = in_a(app, lambda: db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "feedback_session.create")))
    assert entry is not None and entry.employee_id == w.a.pegawai_id and entry.after["notes"]
    for role in ("pegawai", "atasan"):
        html = signed_in(app, role).get(f"/kota-a/skp/{w.a.cycle.plan_id}/sesi").get_data(as_text=True)
        assert "Membahas capaian triwulan 2" in html and "Lengkapi bukti dukung" in html
        assert "Triwulan 2 2026" in html
        assert "Catat sesi baru" not in html


@pytest.mark.parametrize("role,read,write", [("pegawai", 200, 403), ("atasan", 200, 403),
                                             ("admin", 403, 403), ("peer", 403, 403)])
def test_only_the_penilai_records_sessions(app, world, role, read, write):
    client = signed_in(app, role)
    url = f"/kota-a/skp/{world.a.cycle.plan_id}/sesi"
    assert client.get(url).status_code == read
    response = post(client, url, {"held_on": "2026-03-01", "notes": "Catatan", "face_to_face": "y"})
    assert response.status_code == write
    assert len(_sessions(app)) == 1  # only make_cycle's


def test_session_needs_an_agreed_plan_and_a_sensible_date(app, world):
    w = world
    penilai = signed_in(app, "penilai")
    url = f"/kota-a/skp/{w.a.cycle.plan_id}/sesi"
    future = date.today() + timedelta(days=3)
    response = post(penilai, url, {"held_on": future.isoformat(), "notes": "Rencana", "face_to_face": "y"})
    assert response.status_code == 422
    assert "masa depan" in response.get_data(as_text=True)
    response = post(penilai, url, {"held_on": "2025-12-31", "notes": "Terlalu awal"})
    assert response.status_code == 422
    response = post(penilai, url, {"held_on": "", "notes": ""})
    assert response.status_code == 422
    assert len(_sessions(app)) == 1

    def unagree():
        db.session.get(m.Plan, w.a.cycle.plan_id).status = m.PlanStatus.SUBMITTED
        db.session.commit()
    in_a(app, unagree)
    response = post(penilai, url, {"held_on": "2026-01-05", "notes": "Catatan"})
    assert response.status_code == 403
    assert "setelah SKP disetujui" in response.get_data(as_text=True)
