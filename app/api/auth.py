"""Who is calling the API: the bearer token, its tenant, its scopes, its rate.

``api_blueprint`` is to the API what ``tenant_blueprint`` is to pages: every
view of such a blueprint runs only after the request presented a live token
(``Authorization: Bearer <secret>``). The token's tenant is then activated
exactly as a signed-in user's is (``app.tenancy.context.activate``), so ORM
scoping and PostgreSQL row-level security apply unchanged and another
tenant's object is a 404. The session cookie is never read here: a browser
that is signed in gets no API access from its cookie, and CSRF (which exists
because of cookies) does not apply.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request
from flask_babel import gettext as _
from flask_smorest import Blueprint

from app.api import problems, ratelimit, tokens
from app.extensions import csrf, login_manager
from app.tenancy import context, utc_now
from app.web.errors import problem

PREFIX = "/api/v1"
SECURITY = [{"bearerAuth": []}]


def _unauthorized(detail: str):
    response = problem(401, _("Autentikasi diperlukan"), detail, "unauthorized")
    response.headers["WWW-Authenticate"] = 'Bearer realm="kinerja", error="invalid_token"'
    return response


def _presented_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _ignore_the_session_cookie(endpoint, values) -> None:  # noqa: ARG001
    # Runs before every before_request hook: Flask-Login's current_user is
    # anonymous for the whole API request, whatever cookie came with it.
    g._login_user = login_manager.anonymous_user()


def _authenticate():
    secret = _presented_secret()
    if secret is None:
        response = _unauthorized(_("Sertakan token API sebagai header Authorization: Bearer <token>."))
        response.headers["WWW-Authenticate"] = 'Bearer realm="kinerja"'
        return response
    found = tokens.find_presented(secret)
    if found is None:
        return _unauthorized(_("Token API tidak dikenal, sudah kedaluwarsa atau sudah dicabut."))
    token, tenant = found
    g.tenant = tenant
    g.api_token = token
    context.activate(context.TenantRef(tenant.id, tenant.slug))
    wait = ratelimit.hit(token.id)
    if wait:
        response = problem(429, _("Terlalu banyak permintaan"),
                           _("Batas permintaan token ini terlampaui. Coba lagi dalam %(seconds)d detik.",
                             seconds=wait), "rate-limited")
        response.headers["Retry-After"] = str(wait)
        return response
    tokens.touch(token, utc_now())
    return None


def api_blueprint(name: str, import_name: str, url_prefix: str = "", *, description: str = "") -> Blueprint:
    """A blueprint under ``/api/v1`` whose every view needs a live bearer token."""
    bp = Blueprint(name, import_name, url_prefix=f"{PREFIX}{url_prefix}", description=description)
    bp.url_value_preprocessor(_ignore_the_session_cookie)
    bp.before_request(_authenticate)
    problems.install(bp)
    csrf.exempt(bp)
    return bp


def requires(scope: str) -> Callable:
    """The view needs ``scope`` (one of ``tokens.SCOPES``): else 403 naming it.
    Documented on the operation (OpenAPI 3.0 bearer schemes carry no scopes)."""
    assert scope in tokens.SCOPES, scope

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            token = g.api_token
            if scope not in (token.scopes or []):
                return problem(403, _("Akses ditolak"),
                               _("Token ini tidak memiliki cakupan %(scope)s.", scope=scope),
                               "insufficient-scope", scope=scope)
            return view(*args, **kwargs)

        doc = dict(getattr(wrapped, "_apidoc", {}))
        manual = dict(doc.get("manual_doc", {}))
        manual.update({"security": SECURITY, "x-required-scope": scope})
        doc["manual_doc"] = manual
        wrapped._apidoc = doc  # type: ignore[attr-defined]
        return wrapped

    return decorator
