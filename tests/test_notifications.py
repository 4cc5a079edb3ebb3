"""The notifications inbox, the unread count in the top bar, and e-mail through SMTP when configured."""

from __future__ import annotations

import re
import socketserver
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app import notifications
from app.extensions import db
from app.notifications.models import Notification
from app.org.models import Employee
from app.tenancy import tenant_scope
from tests.conftest import csrf_token, login, make_cycle


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept mail from smtplib, kept in ``server.messages``."""

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self._reply("220 sink ESMTP")
        envelope: dict = {"rcpt": []}
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 sink")
            elif verb == "MAIL":
                envelope = {"from": command, "rcpt": []}
                self._reply("250 OK")
            elif verb == "RCPT":
                envelope["rcpt"].append(re.search(r"<(.*)>", command).group(1))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data.decode())
                self.server.messages.append({**envelope, "data": "".join(lines)})
                self._reply("250 OK queued")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("250 OK")


@pytest.fixture
def smtp_sink():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def cycle(app, two_tenants):
    a, _ = two_tenants
    with app.app_context():
        a.cycle = make_cycle(a)
        with tenant_scope(a.tenant):
            db.session.get(Employee, a.pegawai_id).email = "pegawai@contoh.go.id"
            db.session.commit()
        db.session.remove()
    return a


def _notify(app, org, message="Tugas baru untuk Anda", about=("training", None)):
    with app.test_request_context(), tenant_scope(org.tenant):
        notifications.notify("test.kind", message, users=[org.user_ids["pegawai"]], about=about)
        db.session.commit()
        db.session.remove()


def test_no_mail_unless_configured(app, cycle, smtp_sink, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_sink.server_address[1])
    _notify(app, cycle)
    assert smtp_sink.messages == []


def test_mail_is_sent_through_smtp_when_configured(app, cycle, smtp_sink, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_sink.server_address[1])
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", "kinerja@kota-a.go.id")
    _notify(app, cycle, "Keberatan Anda sudah diputuskan")
    assert len(smtp_sink.messages) == 1
    mail = smtp_sink.messages[0]
    assert mail["rcpt"] == ["pegawai@contoh.go.id"]
    assert "Subject: [Kinerja] Keberatan Anda sudah diputuskan" in mail["data"]
    assert "http://localhost/kota-a/pelatihan/" in mail["data"]  # the page it is about, built when sent
    assert "pegawai@contoh.go.id" not in caplog.text


def test_no_mail_when_the_change_is_rolled_back(app, cycle, smtp_sink, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_sink.server_address[1])
    with app.test_request_context(), tenant_scope(cycle.tenant):
        notifications.notify("test.kind", "Tidak jadi", users=[cycle.user_ids["pegawai"]])
        db.session.rollback()
        db.session.commit()
        db.session.remove()
    assert smtp_sink.messages == []


def test_no_mail_for_an_employee_without_an_address(app, cycle, smtp_sink, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_sink.server_address[1])
    with app.test_request_context(), tenant_scope(cycle.tenant):
        notifications.notify("test.kind", "Untuk penilai", users=[cycle.user_ids["penilai"]])
        db.session.commit()
        db.session.remove()
    assert smtp_sink.messages == []


def test_a_dead_mail_server_is_only_logged(app, cycle, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)  # nothing listens there
    _notify(app, cycle, "Pesan rahasia untuk pegawai")  # delivery fails, the inbox entry stays
    assert "Pesan rahasia" not in caplog.text and "pegawai@contoh.go.id" not in caplog.text
    assert "SMTP server unavailable" in caplog.text
    with app.app_context(), tenant_scope(cycle.tenant):
        assert db.session.scalar(select(Notification).where(Notification.message == "Pesan rahasia untuk pegawai"))


def _unread_badge(html: str) -> str | None:
    match = re.search(r'class="inbox-link">[^<]*(?:<span class="badge count"[^>]*>(\d+)</span>)?', html)
    assert match, "no inbox link in the top bar"
    return match.group(1)


def test_inbox_lists_newest_first_and_marks_read(app, client, cycle):
    with app.app_context(), tenant_scope(cycle.tenant):
        base = datetime(2026, 5, 1, 8, 0)
        for i in range(3):
            db.session.add(Notification(user_id=cycle.user_ids["pegawai"], kind="test", message=f"Pesan ke-{i}",
                                        about_kind="training", created_at=base + timedelta(hours=i)))
        db.session.add(Notification(user_id=cycle.user_ids["penilai"], kind="test", message="Untuk penilai"))
        db.session.commit()
    login(client, "kota-a", "pegawai")
    page = client.get("/kota-a/notifikasi/").get_data(as_text=True)
    assert page.index("Pesan ke-2") < page.index("Pesan ke-1") < page.index("Pesan ke-0")
    assert "Untuk penilai" not in page
    assert _unread_badge(client.get("/kota-a/").get_data(as_text=True)) == "4"  # three + make_cycle's one

    token = csrf_token(client, "/kota-a/notifikasi/")
    with app.app_context(), tenant_scope(cycle.tenant):
        note_id = db.session.scalar(select(Notification.id).where(Notification.message == "Pesan ke-1"))
        other_id = db.session.scalar(select(Notification.id).where(Notification.message == "Untuk penilai"))
    opened = client.post(f"/kota-a/notifikasi/{note_id}/baca", data={"csrf_token": token, "buka": "1"})
    assert opened.status_code == 302 and opened.location.endswith("/kota-a/pelatihan/")
    assert _unread_badge(client.get("/kota-a/").get_data(as_text=True)) == "3"
    # Someone else's notification: the same 404 as a missing one, and it stays unread.
    assert client.post(f"/kota-a/notifikasi/{other_id}/baca", data={"csrf_token": token}).status_code == 404
    assert client.post("/kota-a/notifikasi/baca-semua", data={"csrf_token": token}).status_code == 302
    assert _unread_badge(client.get("/kota-a/").get_data(as_text=True)) is None
    with app.app_context(), tenant_scope(cycle.tenant):
        assert db.session.get(Notification, other_id).read_at is None


def test_inbox_is_paged(app, client, cycle):
    with app.app_context(), tenant_scope(cycle.tenant):
        for i in range(app.config["PAGE_SIZE"] + 3):
            db.session.add(Notification(user_id=cycle.user_ids["pegawai"], kind="test", message=f"Nomor {i:03d}",
                                        created_at=datetime(2026, 1, 1) + timedelta(minutes=i)))
        db.session.commit()
    login(client, "kota-a", "pegawai")
    first = client.get("/kota-a/notifikasi/").get_data(as_text=True)
    second = client.get("/kota-a/notifikasi/?page=2").get_data(as_text=True)
    assert "Nomor 027" in first and "Nomor 000" not in first
    assert "Nomor 000" in second


def test_unread_count_is_one_query(app, client, cycle):
    from sqlalchemy import event

    login(client, "kota-a", "pegawai")
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            client.get("/kota-a/notifikasi/")
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    counting = [s for s in statements if "count(" in s.lower() and "notification" in s.lower()]
    # One for the top bar (cached for the page), one for the pager's total.
    assert len(counting) == 2


def test_the_final_evaluation_notice_is_e_mailed_too(app, client, smtp_sink, monkeypatch):
    """Every kind a person receives goes out by e-mail (issue #8 item 3: the
    'your evaluation is final' notice used to bypass notify and was never mailed)."""
    from app import models as m
    from tests.test_skp_evaluation import _behaviours, _finalise, _plan, _rate, _setup, _start

    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_sink.server_address[1])
    with app.app_context():
        o = _setup("sawahlunto")
        ids = _plan(o, [("KES-01", "Pelayanan kesehatan", "kuantitas", "higher", "layanan", 600, 600)],
                    {0: {1: 150}})
        with tenant_scope(o.tenant):
            db.session.get(m.Employee, o.pegawai_id).email = "pegawai@sawahlunto.go.id"
            db.session.commit()
        db.session.remove()
    login(client, "sawahlunto", "penilai")
    evaluation_id = _start(client, "sawahlunto", ids["plan_id"], ids["periods"][1])
    assert _rate(client, "sawahlunto", evaluation_id, **_behaviours(100)).status_code == 302
    assert _finalise(client, "sawahlunto", evaluation_id).status_code == 302
    mails = [mail["data"] for mail in smtp_sink.messages if mail["rcpt"] == ["pegawai@sawahlunto.go.id"]]
    final = [data for data in mails if "telah final" in data]
    assert len(final) == 1
    assert f"http://localhost/sawahlunto/penilaian/{evaluation_id}" in final[0]
    assert any("/sawahlunto/pelatihan/" in data for data in mails)  # the training it led to, mailed as well
