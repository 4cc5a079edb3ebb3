"""The HTTP edge: trusted proxies and hosts, the public address links are
built from, in-memory uploads, security headers on every response."""

from __future__ import annotations

import io
from functools import partial
from typing import IO, Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, has_request_context, request
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_host

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


class MemoryUploadRequest(Request):
    """Keeps every upload in memory.

    Werkzeug spools an uploaded file larger than 500 KB to a temporary file on
    disk. Uploads (import files above all) carry personal data (NIPs, names),
    so they must never touch the disk. That is safe because
    ``MAX_CONTENT_LENGTH`` bounds the whole request body (larger requests are
    refused with 413 before any of it is read).
    """

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None, content_length: int | None = None) -> IO[bytes]:
        return io.BytesIO()


class TrustedHostsOnly:
    """Answers 400 to a request whose Host (after trusted proxies) is not in
    ``TRUSTED_HOSTS``, before the app sees it: nothing is ever built from an
    attacker's Host header, not even the error page."""

    def __init__(self, wsgi_app, config) -> None:
        self.wsgi_app, self.config = wsgi_app, config

    def __call__(self, environ, start_response):
        if hosts := self.config.get("TRUSTED_HOSTS"):
            try:
                get_host(environ, hosts)
            except SecurityError:
                body = b"400 Bad Request: host tidak dikenal (unknown host)\n"
                start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"),
                                                   ("Content-Length", str(len(body))),
                                                   ("Cache-Control", "no-store")])
                return [body]
        return self.wsgi_app(environ, start_response)


def init_http_edge(app: Flask) -> None:
    """How requests reach the app: through ``PROXY_HOPS`` trusted proxies, for
    ``TRUSTED_HOSTS`` only (Flask answers 400 to other Host headers), with
    uploads held in memory (they carry personal data: never temp files); and
    every absolute link is built from ``PUBLIC_BASE_URL``."""
    app.request_class = MemoryUploadRequest
    app.wsgi_app = TrustedHostsOnly(app.wsgi_app, app.config)  # type: ignore[method-assign]
    if hops := app.config["PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    base = app.config.get("PUBLIC_BASE_URL")
    if not base and app.config.get("ENV_NAME") == "production":
        # Links in QR codes, posters and e-mails must never come from a Host header.
        raise RuntimeError("PUBLIC_BASE_URL must be set in production (e.g. https://kinerja.example.go.id).")
    if base:
        base = app.config["PUBLIC_BASE_URL"] = check_public_base_url(base)
        if app.config.get("TRUSTED_HOSTS") is None:
            app.config["TRUSTED_HOSTS"] = [urlsplit(base).hostname]
    app.url_for = partial(_url_for, app, app.url_for)  # type: ignore[method-assign]


def check_public_base_url(value: str) -> str:
    """``https://host[:port][/path]`` without a trailing slash; anything else stops the start."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(f"PUBLIC_BASE_URL must look like https://kinerja.example.go.id, not {value!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _url_for(app: Flask, build, endpoint: str, *, _external: bool | None = None, **values: Any) -> str:
    """``url_for`` whose absolute links (``_external=True``: QR codes, posters,
    e-mail) start with ``PUBLIC_BASE_URL`` instead of the request's Host header."""
    base = app.config.get("PUBLIC_BASE_URL")
    external = _external if _external is not None else not has_request_context()
    if not base or not external or values.get("_scheme"):
        return build(endpoint, _external=_external, **values)
    return public_url(app, build, endpoint, **values)


def public_url(app: Flask, build, endpoint: str, **values: Any) -> str:
    base = app.config["PUBLIC_BASE_URL"]
    if has_request_context():
        path = build(endpoint, _external=False, **values)
        root = request.script_root
        if root and path.startswith(root):
            path = path[len(root):]
        return base + path
    # Outside a request (a job, the CLI): bind the URL map to the public address.
    parts = urlsplit(base)
    anchor, method = values.pop("_anchor", None), values.pop("_method", None)
    app.inject_url_defaults(endpoint, values)
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    url = adapter.build(endpoint, values, method=method, force_external=True)
    return url + (f"#{anchor}" if anchor else "")


def init_security(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        # Pages carry personal data: never keep them in shared caches.
        if response.mimetype == "text/html":
            headers.setdefault("Cache-Control", "no-store")
        return response
