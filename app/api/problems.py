"""Errors inside the API blueprints, in the one problem shape (RFC 9457).

The application's handlers (``app.web.errors``) already answer every error
under ``/api/`` with ``application/problem+json``, also 404 and 405 for URLs
no view claims. Two things are added here for the API's own views:
validation errors of a request (webargs/marshmallow: 422, or 400 for a body
that is not JSON) carry their per-field messages as ``errors``, and a domain
error (``Invalid`` from a service) carries its field both as ``field`` and in
``errors`` — so a caller reads field messages the same way for both.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app.errors import DomainError, Stale
from app.extensions import db
from app.web.errors import problem, stale_message


def _titles() -> dict[int, str]:
    return {400: _("Permintaan tidak valid"), 403: _("Akses ditolak"), 404: _("Halaman tidak ditemukan"),
            405: _("Metode tidak diizinkan"), 409: _("Data sudah diubah orang lain"),
            413: _("Berkas terlalu besar"), 422: _("Isian tidak dapat diproses"),
            429: _("Terlalu banyak permintaan")}


def _field_messages(messages: Any) -> dict[str, Any]:
    """webargs nests messages under the location (``{"json": {"nip": [...]}}``): drop that level."""
    if not isinstance(messages, dict):
        return {"_request": messages}
    flat: dict[str, Any] = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update({str(name): value for name, value in fields.items()})
        else:
            flat[str(location)] = fields
    return flat


def http_problem(exc: HTTPException):
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    extra: dict[str, Any] = {}
    if messages := data.get("messages") or data.get("errors"):
        extra["errors"] = _field_messages(messages)
    if status == 422:
        detail = _("Periksa isian yang ditandai pada errors.")
    elif status == 404:
        detail = _("Halaman atau data yang Anda cari tidak ada.")
    else:
        detail = exc.description or ""
    response = problem(status, _titles().get(status, exc.name), detail, "invalid" if status == 422 else None,
                       **extra)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    return response


def domain_problem(exc: DomainError):
    db.session.rollback()
    message = str(exc.message) or (stale_message() if isinstance(exc, Stale) else "")
    extra = {"field": exc.field, "errors": {exc.field: [message]}} if exc.field else {}
    return problem(exc.status, _titles().get(exc.status, _titles()[422]), message, exc.kind, **extra)


def install(bp: Blueprint) -> None:
    bp.register_error_handler(HTTPException, http_problem)
    bp.register_error_handler(DomainError, domain_problem)
