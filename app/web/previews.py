"""Showing an uploaded image, or a page of an uploaded PDF rendered as one
(``app.web.pdfpages``), inside the page as an ``<img>``: the same guards as a
download (``app.web.downloads``: stored type, never sniffed, sandboxed, runs
nothing, not cached) except that it is shown inline and may be framed by the
application's own pages (a browser shows no PDF in a sandboxed frame, hence
the page images)."""

from __future__ import annotations

from typing import IO

from flask import Response, send_file

# Like DOWNLOAD_CSP, but our own pages may frame it (and only they).
PREVIEW_CSP = "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'self'"


def guarded_preview(handle: IO[bytes], content_type: str, name: str | None, fallback_name: str) -> Response:
    response = send_file(handle, mimetype=content_type, as_attachment=False,
                         download_name=name or fallback_name, max_age=0, conditional=False, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"  # the application's default is DENY
    return response
