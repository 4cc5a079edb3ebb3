"""The JSON API v1 under ``/api/v1/`` (flask-smorest: marshmallow schemas
validate requests and generate the OpenAPI document).

``init_api(app)`` wires it in: the resource blueprints (``app.api.resources``),
the OpenAPI document at ``/api/v1/openapi.json`` and the reference page at
``/api/v1/docs`` (Swagger UI, vendored in ``app/api/static``: no CDN, since
many Pemda run Kinerja on an intranet). Callers authenticate with tokens
(``app.api.tokens``, ``app.api.auth``); errors are RFC 9457 problems in the
caller's language (``Accept-Language``). See ``docs/api.md``.
"""

from __future__ import annotations

from flask import Flask


def init_api(app: Flask) -> None:
    """Mount the API (imported here: ``app.api.models`` is imported early by ``app.models``)."""
    from app.api.spec import init_api as _init

    _init(app)
