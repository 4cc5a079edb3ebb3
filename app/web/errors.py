"""Error pages and problem bodies: one handler per kind of failure. A 500 is a bug.

Domain errors (``app.errors``) raised by a service and not caught by a form
view (``app.web.forms.perform``) end here: a page for people, an
``application/problem+json`` body (RFC 9457) for the API and JSON clients.

An unreachable database is not a bug: wherever it surfaces (a view, the
tenant lookup, the session loader, or the error page of another failure) the
answer is the standalone 503 of ``app.web.outage``. Each failed request is
logged once, in one line; only an unexpected 500 carries its traceback.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.errors import DomainError, Stale
from app.extensions import db
from app.regions.errors import PluginRuntimeError, RuleSetUnavailable
from app.web.outage import (
    OUTAGE_ERRORS,
    error_class,
    is_outage,
    outage_response,
    release_session,
    request_id,
    watch_recovery,
)

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def problem(status: int, title: str, detail: str, kind: str | None = None, **extra):
    """An RFC 9457 problem details response."""
    body = {"type": f"about:blank#{kind}" if kind else "about:blank", "title": title,
            "status": status, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


def render_error(status: int, title: str, message: str, kind: str | None = None, **extra):
    if wants_json():
        return problem(status, title, message, kind, **extra)
    try:
        return render_template("errors/error.html", status=status, title=title, message=message), status
    except Exception as exc:
        if is_outage(exc):  # base.html needs the database (tenant, user, notifications)
            return outage_response(exc)
        raise


def _titles() -> dict[int, str]:
    return {
        400: _("Permintaan tidak valid"),
        403: _("Akses ditolak"),
        404: _("Halaman tidak ditemukan"),
        405: _("Metode tidak diizinkan"),
        409: _("Data sudah diubah orang lain"),
        413: _("Berkas terlalu besar"),
        422: _("Isian tidak dapat diproses"),
        429: _("Terlalu banyak permintaan"),
    }


def stale_message() -> str:
    return _("Data ini diubah oleh orang lain sejak Anda membukanya. Muat ulang lalu ulangi perubahan Anda.")


def duplicate_message() -> str:
    return _("Data tidak dapat disimpan karena bentrok dengan data lain (mungkin baru saja disimpan orang lain). "
             "Muat ulang lalu periksa kembali.")


def out_of_range_message() -> str:
    return _("Isian tidak dapat disimpan: ada nilai yang terlalu panjang atau di luar jangkauan.")


def init_errors(app: Flask) -> None:
    for outage_error in OUTAGE_ERRORS:
        app.register_error_handler(outage_error, outage_response)
    app.teardown_appcontext(release_session)  # runs before Flask-SQLAlchemy's (registered earlier)
    with app.app_context():
        watch_recovery(db.engine)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return render_error(400, _("Formulir kedaluwarsa"),
                            _("Halaman ini sudah terlalu lama terbuka atau tidak sah. Muat ulang halaman lalu kirim lagi."),
                            "csrf")

    @app.errorhandler(StaleDataError)
    def _stale(exc: StaleDataError):
        db.session.rollback()
        return render_error(409, _titles()[409], stale_message(), Stale.kind)

    @app.errorhandler(IntegrityError)
    def _integrity(exc: IntegrityError):
        # Outside perform(): the same answer, as a page. The statement's
        # parameters (personal data) are not logged.
        db.session.rollback()
        log.warning("Integrity error on %s %s (constraint %s)", request.method, request.path,
                    getattr(getattr(exc.orig, "diag", None), "constraint_name", None))
        return render_error(409, _titles()[409], duplicate_message(), "conflict")

    @app.errorhandler(DataError)
    def _data(exc: DataError):
        db.session.rollback()
        log.warning("Data error on %s %s", request.method, request.path)
        return render_error(422, _titles()[422], out_of_range_message(), "invalid")

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        db.session.rollback()
        message = str(exc.message)
        if isinstance(exc, Stale) and not message:
            message = stale_message()
        extra = {"field": exc.field} if exc.field and wants_json() else {}
        return render_error(exc.status, _titles().get(exc.status, _titles()[422]), message, exc.kind, **extra)

    @app.errorhandler(PluginRuntimeError)
    def _region_plugin(exc: PluginRuntimeError):
        # Only this request fails; the plugin stays loaded for other tenants.
        db.session.rollback()
        log.error("Region plugin %s failed in %s for rule set %s on %s %s",
                  exc.plugin, exc.hook, exc.rule_set_code, request.method, request.path)
        return render_error(500, _("Aturan daerah gagal dijalankan"),
                            _("Plugin aturan daerah %(plugin)s mengalami kesalahan saat memproses permintaan ini. "
                              "Kesalahan telah dicatat; coba lagi nanti atau hubungi operator platform.",
                              plugin=exc.plugin), "region-plugin")

    @app.errorhandler(RuleSetUnavailable)
    def _rules_unavailable(exc: RuleSetUnavailable):
        # A broken region plugin (degraded start-up): only its tenants see this.
        db.session.rollback()
        log.error("Rule set unavailable on %s %s: %s", request.method, request.path, exc.fault)
        return render_error(503, _("Aturan daerah tidak tersedia"),
                            _("Aturan penilaian daerah ini sedang tidak dapat dimuat. Operator platform telah "
                              "diberi tahu; coba lagi nanti."), "rules-unavailable")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        messages = {
            403: _("Anda tidak memiliki hak untuk membuka halaman ini."),
            404: _("Halaman atau data yang Anda cari tidak ada."),
            413: _("Berkas yang diunggah melebihi batas ukuran."),
        }
        status = exc.code or 500
        if status == 500 and is_outage(getattr(exc, "original_exception", None)):
            return outage_response(exc.original_exception)
        title = _titles().get(status, exc.name)
        # werkzeug's own sentences are English: a person reads the title in their language instead.
        own = exc.description if exc.description and exc.description != type(exc).description else None
        return render_error(status, title, messages.get(status) or own or title)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if is_outage(exc):  # e.g. PendingRollbackError after a lost connection
            return outage_response(exc)
        if app.config.get("PROPAGATE_UNEXPECTED"):
            raise exc
        db.session.rollback()
        log.exception("[%s] %s %s -> 500 %s", request_id(), request.method, request.path, error_class(exc))
        return render_error(500, _("Terjadi kesalahan"),
                            _("Kesalahan tak terduga telah dicatat. Coba lagi; jika berulang, hubungi admin."))
