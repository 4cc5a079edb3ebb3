"""The database is down: a 503 for people and API clients, rendered without it.

While PostgreSQL restarts (or the pool cannot hand out a connection) every
request that needs the database fails. The usual error page extends
``base.html``, whose context (tenant name, the signed-in user, unread
notifications) needs the database again, so it cannot be shown then. This
module answers such a request with a standalone page
(``errors/unavailable.html``, no ``base.html``, no context processors) or an
``application/problem+json`` body under ``/api/``, in the request's language
decided without the database, with ``Retry-After``.

It also keeps the log quiet: one short line per failed request, and during an
outage (thousands of identical failures) only the first of every
``OUTAGE_LOG_INTERVAL`` seconds, with a count of those left out.
"""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
import threading
import time

import psycopg
from flask import Response, current_app, g, has_request_context, jsonify, request, session
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, inspect
from sqlalchemy import exc as sa_exc

from app.extensions import db

log = logging.getLogger(__name__)

# What "the database is unavailable" looks like: a refused or dropped
# connection, a driver that lost its socket, a pool that had none to give.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError, sa_exc.TimeoutError,
    psycopg.OperationalError, psycopg.InterfaceError,
)
RETRY_AFTER = 10  # seconds: a PostgreSQL restart or fail-over takes a few
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def is_outage(exc: BaseException | None) -> bool:
    """``exc``, or an exception it was raised from or during, says the database is unreachable.

    A ``PendingRollbackError`` (the session still holds the transaction a lost
    connection broke) counts when its chain leads to such an error."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OUTAGE_ERRORS):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def request_id() -> str:
    """The id of this request in logs and on error pages: the proxy's ``X-Request-Id``
    when it looks like one, else a short random one."""
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _REQUEST_ID.fullmatch(given) else secrets.token_hex(6)
    return g.request_id


def error_class(exc: BaseException) -> str:
    """``OperationalError(psycopg.OperationalError)``: the class, never the message
    (a statement's text or a connection string has no place in the log)."""
    name = type(exc).__name__
    original = getattr(exc, "orig", None)
    if original is not None:
        name += f"({type(original).__module__.split('.')[0]}.{type(original).__name__})"
    return name


def outage_language() -> str:
    """The UI language of this request, decided without the database: the
    language already chosen for it (Flask-Babel caches it), ``?lang=``, the
    session cookie, the loaded user's or tenant's setting as loaded (no refresh),
    the browser's Accept-Language, Indonesian."""
    languages = current_app.config["LANGUAGES"]
    chosen = getattr(getattr(g, "_flask_babel", None), "babel_locale", None)
    candidates = [str(chosen) if chosen else None, request.args.get("lang"), session.get("lang"),
                  _loaded_attribute(g.get("_login_user"), "locale"), _loaded_attribute(g.get("tenant"), "locale")]
    for candidate in candidates:
        if candidate in languages:
            return candidate
    return request.accept_languages.best_match(languages, default=current_app.config["BABEL_DEFAULT_LOCALE"])


def _loaded_attribute(obj, name: str):
    """An attribute of a mapped object if it is already loaded; never a query."""
    state = inspect(obj, raiseerr=False) if obj is not None else None
    return state.dict.get(name) if state is not None else None


def outage_response(exc: BaseException) -> Response:
    """The 503 answer. The language is read first: the rollback below expires the
    loaded user and tenant."""
    language = outage_language()
    _forget_transaction()
    _log_outage(exc)
    retry = current_app.config.get("OUTAGE_RETRY_AFTER", RETRY_AFTER)
    with force_locale(language):
        title = _("Layanan sedang tidak tersedia")
        detail = _("Basis data sedang tidak dapat dihubungi, biasanya hanya beberapa detik. "
                   "Coba lagi sebentar lagi.")
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            # RFC 9457, as app.web.errors.problem() builds it
            response = jsonify({"type": "about:blank#unavailable", "title": title, "status": 503,
                                "detail": detail, "request_id": request_id()})
            response.status_code = 503
            response.mimetype = "application/problem+json"
        else:
            html = current_app.jinja_env.get_template("errors/unavailable.html").render(
                title=title, message=detail, retry_after=retry, request_id=request_id(),
                lang=language, method=request.method,
                again="/" + request.full_path.rstrip("?").lstrip("/"),  # this page again; never //host
            )
            response = Response(html, 503, mimetype="text/html")
    response.headers["Retry-After"] = str(retry)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Request-Id"] = request_id()
    return response


def _forget_transaction() -> None:
    """Roll back what the lost connection left; the rollback itself may fail too."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; drop it without a word
        with contextlib.suppress(Exception):
            db.session.invalidate()


class _OutageLog:
    """Per process: when the last outage line was written and how many were left out since."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last = float("-inf")
        self.left_out = 0

    def take(self, interval: float) -> int | None:
        """``None``: stay quiet; else the number of failures left out before this one."""
        with self.lock:
            now = time.monotonic()
            if now - self.last < interval:
                self.left_out += 1
                return None
            self.last, left_out, self.left_out = now, self.left_out, 0
            return left_out

    def drain(self) -> int:
        with self.lock:
            left_out, self.left_out = self.left_out, 0
            self.last = float("-inf")
            return left_out


_outage_log = _OutageLog()


def _log_outage(exc: BaseException) -> None:
    left_out = _outage_log.take(current_app.config.get("OUTAGE_LOG_INTERVAL", 10))
    if left_out is None:
        return
    more = f"; {left_out} more answered 503 since the previous line" if left_out else ""
    log.warning("[%s] %s %s -> 503 database unavailable: %s%s", request_id(), request.method, request.path,
                error_class(_root_outage(exc)), more)


def _root_outage(exc: BaseException) -> BaseException:
    while not isinstance(exc, OUTAGE_ERRORS) and (exc.__cause__ or exc.__context__) is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return exc


def release_session(exc: BaseException | None) -> None:  # noqa: ARG001
    """End the request's session (before Flask-SQLAlchemy's own teardown does).

    The database may go away after the answer was built: the closing rollback
    then fails, and Flask-SQLAlchemy's teardown would turn a good answer into
    gunicorn's bare 500. Here the lost connection is dropped instead."""
    try:
        db.session.remove()
    except Exception as error:
        if not is_outage(error):
            raise
        with contextlib.suppress(Exception):
            db.session.invalidate()
        db.session.registry.clear()


def watch_recovery(engine) -> None:
    """When the pool connects again after an outage, say how many failures the log left out."""
    @event.listens_for(engine, "connect")
    def _reconnected(dbapi_connection, connection_record) -> None:  # noqa: ARG001
        if _outage_log.left_out and (left_out := _outage_log.drain()):
            log.warning("Database reachable again; %d more requests answered 503 since the previous line",
                        left_out)
