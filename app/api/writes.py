"""Writing through the API: one transaction per request, optimistic locking
with ``ETag``/``If-Match``, and ``Idempotency-Key`` replays.

``@writes`` wraps a write view: the view calls the same services the admin
forms call (they raise the ``app.errors`` family, which the app's handlers
turn into problem answers after a rollback); ``writes`` attributes the audit
entries to the token, commits, and — for a POST sent with
``Idempotency-Key`` — stores the answer for a day, so the same key with the
same body gets the same answer again instead of a second object, and the
same key with another body is refused (422).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Response, abort, g, request
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app import audit, secretbox
from app.api.models import IdempotencyRecord
from app.extensions import db
from app.tenancy import utc_now
from app.web.errors import problem

KEPT_FOR = timedelta(hours=24)
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")  # visible ASCII, as the IETF draft's examples
_REPLAYED_HEADERS = ("Location", "ETag")


# How the two headers read in the OpenAPI document (``@bp.doc(parameters=[...])``).
IF_MATCH = {"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
            "description": 'The ETag from a GET, e.g. "3". Without it: 428; on another version: 412.'}
IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "required": False,
                   "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"},
                   "description": "Any unique value per intended request: a retry with the same key and "
                                  "body gets the same answer (for 24 hours)."}


# --- ETag / If-Match ------------------------------------------------------------------

def etag(obj: Any) -> str:
    """The strong entity tag of a versioned row: its version, quoted."""
    return f'"{obj.version}"'


def check_if_match(obj: Any) -> None:
    """Refuse a write without ``If-Match`` (428) or on another version (412)."""
    header = request.headers.get("If-Match")
    if header is None:
        abort(problem(428, _("Prasyarat diperlukan"),
                      _("Kirim header If-Match berisi ETag data ini (didapat dari GET) agar perubahan "
                        "orang lain tidak tertimpa."), "if-match-required"))
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags or etag(obj) in tags:
        return
    response = problem(412, _("Data sudah diubah orang lain"),
                       _("Data ini sudah berubah sejak Anda membacanya. Ambil lagi (GET), lalu ulangi "
                         "perubahan dengan ETag yang baru."), "stale")
    response.headers["ETag"] = etag(obj)
    abort(response)


# --- one transaction, replayable ------------------------------------------------------

def _request_hash() -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.query_string.decode("latin-1")):
        digest.update(part.encode("utf-8", "replace") + b"\x1f")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _stored(key: str) -> IdempotencyRecord | None:
    return db.session.scalar(select(IdempotencyRecord).where(
        IdempotencyRecord.token_id == g.api_token.id, IdempotencyRecord.key == key,
        IdempotencyRecord.created_at >= utc_now() - KEPT_FOR))


def _replay(record: IdempotencyRecord) -> Response:
    try:
        body = secretbox.decrypt(secretbox.IDEMPOTENT_ANSWER, record.body)
    except secretbox.Unreadable:  # stored under another SECRET_KEY
        abort(problem(422, _("Isian tidak dapat diproses"),
                      _("Jawaban untuk Idempotency-Key ini tidak dapat diulang. Pakai kunci baru."),
                      "idempotency-key-reused", field="Idempotency-Key"))
    response = Response(body, status=record.status, mimetype="application/json")
    for name, value in (record.headers or {}).items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None or request.method != "POST":
        return None
    if not _KEY.match(key):
        abort(problem(422, _("Isian tidak dapat diproses"),
                      _("Idempotency-Key harus 1–200 karakter ASCII yang terlihat."), "invalid",
                      field="Idempotency-Key"))
    return key


def _remember(key: str, request_hash: str, response: Response) -> None:
    db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utc_now() - KEPT_FOR)
                       .execution_options(synchronize_session=False))
    db.session.add(IdempotencyRecord(
        token_id=g.api_token.id, key=key, request_hash=request_hash, status=response.status_code,
        # Encrypted: the answer may hold a secret shown once or personal data.
        body=secretbox.encrypt(secretbox.IDEMPOTENT_ANSWER, response.get_data(as_text=True)),
        headers={name: response.headers[name] for name in _REPLAYED_HEADERS if name in response.headers}))


def writes(view: Callable) -> Callable:
    """Run a write view as the token, commit once, and honour ``Idempotency-Key``."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any):
        key = _idempotency_key()
        request_hash = _request_hash() if key else ""
        if key and (record := _stored(key)) is not None:
            if record.request_hash != request_hash:
                abort(problem(422, _("Isian tidak dapat diproses"),
                              _("Idempotency-Key ini sudah dipakai untuk permintaan lain. Pakai kunci baru "
                                "untuk permintaan yang berbeda."), "idempotency-key-reused",
                              field="Idempotency-Key"))
            return _replay(record)
        token = g.api_token
        with audit.acting_as(None, f"api:{token.name}"[:120]):
            response = view(*args, **kwargs)
        if key and 200 <= response.status_code < 300:
            _remember(key, request_hash, response)
        try:
            db.session.commit()
        except IntegrityError:
            if not key:
                raise  # the application's handler: a 409 problem
            # The same key sent twice at once: the other request won.
            db.session.rollback()
            abort(problem(409, _("Data sudah diubah orang lain"),
                          _("Permintaan dengan Idempotency-Key yang sama sedang atau sudah diproses. "
                            "Ulangi sebentar lagi untuk mendapat jawabannya."), "conflict"))
        return response

    return wrapped
