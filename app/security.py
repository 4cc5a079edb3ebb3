"""The HTTP edge: trusted proxies, in-memory uploads, security headers on every response."""

from __future__ import annotations

import io
from typing import IO

from flask import Flask, Request, Response
from werkzeug.middleware.proxy_fix import ProxyFix

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


def init_http_edge(app: Flask) -> None:
    """How requests reach the app: through ``PROXY_HOPS`` trusted proxies, and
    with uploads held in memory (they carry personal data: never temp files)."""
    app.request_class = MemoryUploadRequest
    if hops := app.config["PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


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
