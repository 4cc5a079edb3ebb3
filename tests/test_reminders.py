"""Reminders of deadlines and waiting work, each sent to each person once
(issue #12 item 5): plan, realisation and evaluation deadlines from the
tenant's calendar, objection windows closing, complaints past the response time."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification
from app.periods.models import Period
from app.publik.models import Complaint, ComplaintCategory, ComplaintStatus
from app.reminders import send_all
from app.reminders.models import ReminderSent
from app.skp.objections.models import Objection
from app.tenancy import all_tenants, frozen_clock, tenant_scope
from tests.conftest import make_cycle
from tests.test_notifications import smtp_sink  # noqa: F401 - the fixture


@pytest.fixture
def world(app, two_tenants):
    a, b = two_tenants
    with app.app_context():
        a.cycle = make_cycle(a)
        b.cycle = make_cycle(b)
        for org in (a, b):
            with tenant_scope(org.tenant):
                year = db.session.get(Period, org.cycle.year_period_id)
                year.plans_lock_on = date(2026, 1, 31)
                db.session.get(Period, org.cycle.quarter_period_id).evaluation_due_on = None
                q2 = db.session.scalar(select(Period).where(Period.parent_id == year.id, Period.sequence == 2))
                q2.evaluation_due_on = date(2026, 7, 10)
                db.session.commit()
        db.session.remove()
    return a, b


def _reminders(app, org, kind: str) -> list[tuple[int, str]]:
    with app.app_context(), tenant_scope(org.tenant):
        return list(db.session.execute(select(Notification.user_id, Notification.message)
                                       .where(Notification.kind == kind).order_by(Notification.user_id)).all())


def _send(app, day: date, slug: str | None = "kota-a"):
    with app.app_context(), frozen_clock(day):
        outcomes = send_all(slug)
        db.session.remove()
    return {o.slug: (o.sent, o.due) for o in outcomes}


def test_the_plan_deadline_is_reminded_once(app, world):
    a, b = world
    assert _send(app, date(2026, 1, 27)) == {"kota-a": (0, 0)}  # four days before: not yet
    assert _send(app, date(2026, 1, 29)) == {"kota-a": (2, 2)}
    sent = _reminders(app, a, "reminder.plan")
    # The pegawai's SKP is agreed; the atasan and the penilai have none yet.
    assert [user_id for user_id, _ in sent] == sorted([a.user_ids["atasan"], a.user_ids["penilai"]])
    assert "31 Januari 2026" in sent[0][1]
    # Run again, and again the next day: nobody gets it twice.
    assert _send(app, date(2026, 1, 29)) == {"kota-a": (0, 2)}
    assert _send(app, date(2026, 1, 30)) == {"kota-a": (0, 2)}
    assert len(_reminders(app, a, "reminder.plan")) == 2
    assert _reminders(app, b, "reminder.plan") == []  # --slug kota-a: B untouched


def test_realisation_is_reminded_only_where_it_is_missing(app, world):
    a, _ = world
    assert _send(app, date(2026, 3, 29)) == {"kota-a": (0, 0)}  # Q1 realisation is filled in
    assert _send(app, date(2026, 6, 28)) == {"kota-a": (1, 1)}  # Q2's is not
    assert [u for u, _ in _reminders(app, a, "reminder.realisation")] == [a.user_ids["pegawai"]]


def test_the_evaluation_deadline_reaches_the_penilai(app, world):
    a, _ = world
    assert _send(app, date(2026, 7, 8)) == {"kota-a": (1, 1)}
    assert [u for u, _ in _reminders(app, a, "reminder.evaluation")] == [a.user_ids["penilai"]]
    assert _send(app, date(2026, 7, 11)) == {"kota-a": (0, 0)}  # past the deadline


def test_an_objection_window_closing(app, world):
    a, _ = world
    # The Q1 result was delivered 5 April; the national window is 14 days.
    assert _send(app, date(2026, 4, 17)) == {"kota-a": (0, 0)}  # an objection was lodged
    with app.app_context(), tenant_scope(a.tenant):
        db.session.execute(delete(Objection))
        db.session.commit()
    assert _send(app, date(2026, 4, 15)) == {"kota-a": (0, 0)}
    assert _send(app, date(2026, 4, 17)) == {"kota-a": (1, 1)}
    assert [u for u, _ in _reminders(app, a, "reminder.objection")] == [a.user_ids["pegawai"]]
    assert _send(app, date(2026, 4, 19)) == {"kota-a": (0, 1)}
    assert _send(app, date(2026, 4, 20)) == {"kota-a": (0, 0)}


def test_a_complaint_without_response(app, world):
    a, _ = world
    with app.app_context(), tenant_scope(a.tenant):
        db.session.add(Complaint(tracking_code="REM123456789", category=ComplaintCategory.PERILAKU,
                                 unit_id=a.unit_id, description="Antrean lama", received_on=date(2026, 5, 1),
                                 status=ComplaintStatus.DITUGASKAN, assigned_employee_id=a.penilai_id))
        db.session.commit()
    assert _send(app, date(2026, 5, 6)) == {"kota-a": (0, 0)}  # five days: still in time
    assert _send(app, date(2026, 5, 7)) == {"kota-a": (2, 2)}
    assert sorted(u for u, _ in _reminders(app, a, "reminder.complaint")) == \
        sorted([a.user_ids["admin"], a.user_ids["penilai"]])
    assert _send(app, date(2026, 5, 20)) == {"kota-a": (0, 2)}


def test_every_tenant_by_default(app, world):
    a, b = world
    assert _send(app, date(2026, 1, 29), None) == {"kota-a": (2, 2), "kota-b": (2, 2)}
    assert len(_reminders(app, b, "reminder.plan")) == 2
    with app.app_context(), all_tenants("test"):
        assert db.session.scalar(select(ReminderSent.id).limit(1)) is not None


def test_the_command(app, world):
    runner = app.test_cli_runner()
    with frozen_clock(date(2026, 1, 29)):
        first = runner.invoke(args=["reminders", "send", "--slug", "kota-a"])
        second = runner.invoke(args=["reminders", "send", "--slug", "kota-a"])
    assert first.exit_code == 0, first.output
    assert "kota-a: 2 reminders sent (2 due today)" in first.output
    assert "kota-a: 0 reminders sent (2 due today)" in second.output
    unknown = runner.invoke(args=["reminders", "send", "--slug", "kota-z"])
    assert unknown.exit_code == 1


def test_reminders_are_e_mailed_with_a_public_link(app, world, smtp_sink, monkeypatch):  # noqa: F811
    a, _ = world
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_sink.server_address[1])
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://kinerja.example.go.id")
    with app.app_context(), tenant_scope(a.tenant):
        user = db.session.get(User, a.user_ids["pegawai"])
        user.employee.email = "pegawai@kota-a.go.id"
        db.session.commit()
    runner = app.test_cli_runner()
    with frozen_clock(date(2026, 6, 28)):
        assert runner.invoke(args=["reminders", "send"]).exit_code == 0
    mails = [m["data"] for m in smtp_sink.messages if m["rcpt"] == ["pegawai@kota-a.go.id"]]
    assert len(mails) == 1
    assert f"https://kinerja.example.go.id/kota-a/skp/{a.cycle.plan_id}" in mails[0].replace("=\r\n", "")
