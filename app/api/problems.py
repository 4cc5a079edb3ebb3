"""Errors inside the API blueprints, in the one problem shape (RFC 9457).

The application's handlers (``app.web.errors``) already answer every error
under ``/api/`` with ``application/problem+json``, also 404 and 405 for URLs
no view claims. Two things are added here for the API's own views:
validation errors of a request (webargs/marshmallow: 422, or 400 for a body
that is not JSON) carry their per-field messages as ``errors``, and a domain
error (``Invalid`` from a service) carries its field both as ``field`` and in
``errors`` — so a caller reads field messages the same way for both.

Messages marshmallow and webargs write themselves ("Not a valid integer.")
are English; ``localise`` turns each known one into the request's language
(``Accept-Language``; Indonesian by default), once, here — for every
schema at once. Messages the application writes are already translated; so
are the details put here in place of werkzeug's English sentences (a body
that is not JSON, one over ``MAX_CONTENT_LENGTH``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Blueprint
from flask_babel import get_locale
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


def _op(text: str) -> str:
    return {"greater than or equal to": _("lebih dari atau sama dengan"), "greater than": _("lebih dari"),
            "less than or equal to": _("kurang dari atau sama dengan"), "less than": _("kurang dari")}.get(text, text)


_OP = r"(greater than or equal to|greater than|less than or equal to|less than)"

# marshmallow's and webargs' own messages (marshmallow 4, webargs 8), and what they say here.
_KNOWN: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [(re.compile(f"^{pattern}$"), say) for pattern, say in (
    (r"Missing data for required field\.", lambda m: _("Wajib diisi.")),
    (r"Field may not be null\.", lambda m: _("Tidak boleh null.")),
    (r"Unknown field\.", lambda m: _("Isian ini tidak dikenal.")),
    (r"Invalid input type\.|Invalid type\.", lambda m: _("Jenis data tidak sesuai.")),
    (r"Invalid value\.|Invalid input\.", lambda m: _("Nilai tidak valid.")),
    (r"Invalid JSON body\.", lambda m: _("Isi permintaan bukan JSON yang sah.")),
    (r"Not a valid integer\.", lambda m: _("Harus berupa bilangan bulat.")),
    (r"Not a valid number\.", lambda m: _("Harus berupa angka.")),
    (r"Number too large\.", lambda m: _("Angka terlalu besar.")),
    (r"Special numeric values \(nan or infinity\) are not permitted\.",
     lambda m: _("Nilai NaN atau tak hingga tidak diizinkan.")),
    (r"Not a valid boolean\.", lambda m: _("Harus true atau false.")),
    (r"Not a valid string\.", lambda m: _("Harus berupa teks.")),
    (r"Not a valid utf-8 string\.", lambda m: _("Teks harus UTF-8 yang sah.")),
    (r"Not a valid list\.|Not a valid tuple\.", lambda m: _("Harus berupa daftar (array JSON).")),
    (r"Not a valid mapping type\.", lambda m: _("Harus berupa objek JSON.")),
    (r"Not a valid email address\.", lambda m: _("Alamat email tidak valid.")),
    (r"Not a valid URL\.", lambda m: _("Alamat URL tidak valid.")),
    (r"Not a valid UUID\.", lambda m: _("UUID tidak valid.")),
    (r"Not a valid date\.", lambda m: _("Tanggal tidak valid; tulis TTTT-BB-HH, misalnya 2026-04-01.")),
    (r"Not a valid (?:naive |aware )?datetime\.",
     lambda m: _("Waktu tidak valid; tulis ISO 8601, misalnya 2026-04-01T08:00:00+07:00.")),
    (r"Not a valid (?:naive |aware )?time\.", lambda m: _("Jam tidak valid; tulis JJ:MM:DD.")),
    (r"Length must be between (?P<min>\S+) and (?P<max>\S+)\.",
     lambda m: _("Panjangnya harus antara %(min)s dan %(max)s.", min=m["min"], max=m["max"])),
    (r"Length must be (?P<n>\S+)\.", lambda m: _("Panjangnya harus %(n)s.", n=m["n"])),
    (r"Longer than maximum length (?P<max>\S+)\.", lambda m: _("Paling panjang %(max)s.", max=m["max"])),
    (r"Shorter than minimum length (?P<min>\S+)\.", lambda m: _("Paling pendek %(min)s.", min=m["min"])),
    (rf"Must be {_OP} (?P<min>\S+) and {_OP} (?P<max>\S+)\.",
     lambda m: _("Harus %(min_op)s %(min)s dan %(max_op)s %(max)s.", min_op=_op(m[1]), min=m["min"],
                 max_op=_op(m[3]), max=m["max"])),
    (rf"Must be {_OP} (?P<limit>\S+)\.", lambda m: _("Harus %(op)s %(limit)s.", op=_op(m[1]), limit=m["limit"])),
    (r"Must be one of: (?P<choices>.*)\.", lambda m: _("Harus salah satu dari: %(choices)s.", choices=m["choices"])),
    (r"Must be equal to (?P<other>.*)\.", lambda m: _("Harus sama dengan %(other)s.", other=m["other"])),
    (r"String does not match expected pattern\.", lambda m: _("Tidak sesuai dengan pola yang diharapkan.")),
    (r"One or more of the choices you made was not in: (?P<choices>.*)\.",
     lambda m: _("Ada pilihan yang tidak termasuk: %(choices)s.", choices=m["choices"])),
)]


def localise(messages: Any) -> Any:
    """The known English messages of marshmallow and webargs, in the request's
    language (left as they are for English), anywhere in a nested structure."""
    locale = get_locale()
    if locale is not None and locale.language == "en":
        return messages
    return _localise(messages)


def _localise(messages: Any) -> Any:
    if isinstance(messages, dict):
        return {key: _localise(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [_localise(value) for value in messages]
    if isinstance(messages, str):
        for pattern, say in _KNOWN:
            if match := pattern.match(messages):
                return say(match)
    return messages


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


def _first_message(messages: Any) -> str:
    """The first message of a nested ``errors`` structure."""
    while isinstance(messages, dict | list | tuple) and messages:
        messages = next(iter(messages.values())) if isinstance(messages, dict) else messages[0]
    return messages if isinstance(messages, str) else ""


def http_problem(exc: HTTPException):
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    extra: dict[str, Any] = {}
    if messages := data.get("messages") or data.get("errors"):
        extra["errors"] = localise(_field_messages(messages))
    if status == 422:
        detail = _("Periksa isian yang ditandai pada errors.")
    elif status == 404:
        detail = _("Halaman atau data yang Anda cari tidak ada.")
    elif status == 400 and extra.get("errors"):  # a body that is not JSON: say so, in the request's language
        detail = _first_message(extra["errors"]) or _titles()[400]
    elif status == 413:
        detail = _("Isi permintaan melebihi batas ukuran.")
    elif exc.description == type(exc).description:  # werkzeug's own sentence is English: the title instead
        detail = _titles().get(status, exc.description or "")
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
