"""Handing an uploaded file back: always as an attachment, never sniffed,
never rendered, never cached — the one way every download of user files goes."""

from __future__ import annotations

from typing import IO

from flask import Response, send_file

# A file opened in the browser anyway runs nothing and frames nothing.
DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def guarded_file(handle: IO[bytes], content_type: str | None, name: str | None, fallback_name: str) -> Response:
    response = send_file(handle, mimetype=content_type or "application/octet-stream", as_attachment=True,
                         download_name=name or fallback_name, max_age=0, conditional=False, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response
