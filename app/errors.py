"""Error pages and structured error bodies. A 500 is a bug; these say what to do next."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.regions.errors import PluginRuntimeError

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _render(status: int, title: str, message: str):
    if _wants_json():
        return jsonify(error={"status": status, "title": title, "message": message}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return _render(400, _("Formulir kedaluwarsa"),
                       _("Halaman ini sudah terlalu lama terbuka atau tidak sah. Muat ulang halaman lalu kirim lagi."))

    @app.errorhandler(StaleDataError)
    def _stale(exc: StaleDataError):
        db.session.rollback()
        return _render(409, _("Data sudah diubah orang lain"),
                       _("Data ini diubah oleh orang lain sejak Anda membukanya. Muat ulang lalu ulangi perubahan Anda."))

    @app.errorhandler(PluginRuntimeError)
    def _region_plugin(exc: PluginRuntimeError):
        # Only this request fails; the plugin stays loaded for other tenants.
        db.session.rollback()
        log.error("Region plugin %s failed in %s for rule set %s on %s %s",
                  exc.plugin, exc.hook, exc.rule_set_code, request.method, request.path)
        return _render(500, _("Aturan daerah gagal dijalankan"),
                       _("Plugin aturan daerah %(plugin)s mengalami kesalahan saat memproses permintaan ini. "
                         "Kesalahan telah dicatat; coba lagi nanti atau hubungi operator platform.",
                         plugin=exc.plugin))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        titles = {
            400: _("Permintaan tidak valid"),
            403: _("Akses ditolak"),
            404: _("Halaman tidak ditemukan"),
            405: _("Metode tidak diizinkan"),
            413: _("Berkas terlalu besar"),
            429: _("Terlalu banyak permintaan"),
        }
        messages = {
            403: _("Anda tidak memiliki hak untuk membuka halaman ini."),
            404: _("Halaman atau data yang Anda cari tidak ada."),
            413: _("Berkas yang diunggah melebihi batas ukuran."),
        }
        status = exc.code or 500
        return _render(status, titles.get(status, exc.name), messages.get(status, exc.description or ""))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if app.config.get("PROPAGATE_UNEXPECTED"):
            raise exc
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return _render(500, _("Terjadi kesalahan"),
                       _("Kesalahan tak terduga telah dicatat. Coba lagi; jika berulang, hubungi admin."))
