"""A database outage: a 503 in the visitor's language, rendered without the database, logged once.

Two ways to lose the database: an app whose PostgreSQL is unreachable (every
connection is refused, as while PostgreSQL restarts), and the suite's own app
whose every statement fails from a moment on (a signed-in user mid-session)."""

from __future__ import annotations

import logging
import socket

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError, PendingRollbackError

from app import create_app
from app.extensions import db
from app.web import outage
from tests.conftest import login, make_org, make_tenant

SEARCH = "?q=196512311990031001"  # a NIP typed in a search box: never logged


def _refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again: connections to it are refused


@pytest.fixture(scope="module")
def down_app():
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://kinerja@127.0.0.1:{_refused_port()}/kinerja",
        "OUTAGE_LOG_INTERVAL": 0,
    })

    @app.route("/api/v1/probe")
    def probe():
        return {"rows": db.session.execute(select(1)).scalar()}

    @app.route("/kaboom")
    def kaboom():
        raise RuntimeError("a bug")

    return app


@pytest.fixture(autouse=True)
def _fresh_outage_log():
    outage._outage_log.drain()
    yield
    outage._outage_log.drain()


def _outage_title(language: str, app) -> str:
    with app.test_request_context(), force_locale(language):
        return _("Layanan sedang tidak tersedia")


@pytest.mark.parametrize("path", ["/kota-a/", "/kota-a/login", "/kota-a/admin/pegawai" + SEARCH, "/"])
def test_pages_answer_503_in_indonesian_with_retry_after(down_app, path):
    response = down_app.test_client().get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"
    assert '<html lang="id">' in html and _outage_title("id", down_app) in html
    assert 'http-equiv="refresh"' in html and "Coba lagi sekarang" in html
    assert response.headers["X-Request-Id"] in html
    assert "Internal Server Error" not in html


def test_language_follows_the_session_and_the_browser_without_the_database(down_app):
    client = down_app.test_client()
    english = client.get("/kota-a/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert english.status_code == 503
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert _outage_title("en", down_app) in english.get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert '<html lang="en">' in client.get("/kota-a/").get_data(as_text=True)
    assert '<html lang="id">' in down_app.test_client().get("/kota-a/?lang=id",
                                                            headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_a_failed_post_says_the_data_was_not_saved(down_app):
    response = down_app.test_client().post("/kota-a/login", data={"username": "x", "password": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "belum tersimpan" in html and 'http-equiv="refresh"' not in html


def test_the_api_gets_a_problem_document(down_app):
    response = down_app.test_client().get("/api/v1/probe" + SEARCH)
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"]
    body = response.get_json()
    assert body["status"] == 503 and body["type"].endswith("#unavailable") and body["request_id"]


def test_one_short_log_line_per_failed_request_without_the_query(down_app, caplog):
    caplog.set_level(logging.INFO)
    client = down_app.test_client()
    for _i in range(3):
        client.get("/kota-a/admin/pegawai" + SEARCH)
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 3
    for record in records:
        message = record.getMessage()
        assert "GET /kota-a/admin/pegawai -> 503" in message and "OperationalError" in message
        assert "196512311990031001" not in message and "?" not in message
        assert record.exc_info is None  # no traceback for an outage


def test_an_outage_is_logged_once_then_counted(down_app, caplog, monkeypatch):
    monkeypatch.setitem(down_app.config, "OUTAGE_LOG_INTERVAL", 3600)
    caplog.set_level(logging.WARNING)
    client = down_app.test_client()
    for _i in range(20):
        assert client.get("/kota-a/").status_code == 503
    assert len(caplog.records) == 1
    assert outage._outage_log.left_out == 19


def test_an_unexpected_error_is_logged_once_with_its_traceback(down_app, caplog, monkeypatch):
    monkeypatch.setitem(down_app.config, "PROPAGATE_UNEXPECTED", False)
    caplog.set_level(logging.INFO)
    response = down_app.test_client().get("/kaboom" + SEARCH)
    assert response.status_code in (500, 503)  # the 500 page itself needs the database: the outage page
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    errors = [r for r in records if r.exc_info]
    assert len(errors) == 1 and "-> 500 RuntimeError" in errors[0].getMessage()
    assert all("196512311990031001" not in r.getMessage() for r in records)


def test_outage_detection_follows_the_exception_chain():
    lost = OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
    try:
        try:
            raise lost
        except OperationalError as exc:
            raise PendingRollbackError("Can't reconnect until invalid transaction is rolled back") from exc
    except PendingRollbackError as pending:
        assert outage.is_outage(pending)
    assert not outage.is_outage(ValueError("x"))
    assert outage.error_class(lost) == "OperationalError(builtins.Exception)"


# --- the database goes away mid-session: nothing on the outage path may touch it --------------

@pytest.fixture
def failing_database(app):
    """From the moment it is switched on, every statement fails as a lost connection does."""
    state = {"down": False}

    def _refuse(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        if state["down"]:
            raise OperationalError(statement, {}, Exception("server closed the connection unexpectedly"))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _refuse)
    yield state
    event.remove(engine, "before_cursor_execute", _refuse)


@pytest.fixture
def signed_in(app, client):
    with app.app_context():
        make_org(make_tenant("kota-a"))
        db.session.remove()
    assert login(client, "kota-a", "pegawai").status_code == 302
    return client


@pytest.mark.parametrize("path", ["/kota-a/", "/kota-a/notifikasi/", "/kota-a/tidak-ada", "/kota-a/skp/"])
def test_signed_in_pages_answer_503_without_the_database(app, signed_in, failing_database, path):
    assert signed_in.get("/kota-a/?lang=en").status_code == 200  # the UI language is English
    failing_database["down"] = True
    response = signed_in.get(path)  # the session loader, base.html's context: none of them may run
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert '<html lang="en">' in response.get_data(as_text=True)
    failing_database["down"] = False
    assert signed_in.get("/kota-a/").status_code == 200  # and back once the database is

