"""Showing an uploaded image, or a page of an uploaded PDF rendered as one
(``app.web.pdfpages``), inside the page as an ``<img>``: the same guards as a
download (``app.web.downloads``: stored type, never sniffed, sandboxed, runs
nothing, not cached) except that it is shown inline and may be framed by the
application's own pages (a browser shows no PDF in a sandboxed frame, hence
the page images)."""

from __future__ import annotations

from typing import IO, Any

from flask import Response, send_file

# The stored types shown in the page, and how.
PREVIEWABLE = {"application/pdf": "pdf", "image/png": "image", "image/jpeg": "image"}

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


def preview_kind(item: Any) -> str | None:
    """"pdf" or "image" when an uploaded file (anything with a stored ``content_type`` and
    ``storage_key``: evidence, an objection's file) can be shown in the page, else None."""
    if item.content_type is None or item.storage_key is None:
        return None
    return PREVIEWABLE.get(item.content_type.split(";")[0].strip().lower())
