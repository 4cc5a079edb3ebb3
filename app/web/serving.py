"""Serving what is not a page of data: static files and compression.

Static files are fingerprinted: ``url_for('static', filename='app.css')`` (and
a blueprint's ``<bp>.static``) gets ``?v=<content hash>`` added by itself, so
templates need no change. A request that carries the current hash is answered
with ``Cache-Control: public, max-age=31536000, immutable``: browsers and
proxies keep it for a year and never ask again, and a release that changes
the file changes its URL. Without the hash (or with an old one) the answer
must be revalidated (``no-cache``, ETag).

Responses are compressed (Brotli or gzip, Flask-Compress) when the client
accepts it, for the reverse proxies that do not compress themselves; set
``COMPRESS_RESPONSES = False`` where the proxy does it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from flask import Flask, Response, current_app, request
from flask_compress import Compress

ONE_YEAR = 365 * 24 * 3600
# Text worth compressing: pages, problem bodies and JSON, styles, scripts, SVG charts.
COMPRESSIBLE = ["text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
                "application/json", "application/problem+json", "image/svg+xml"]


class Fingerprints:
    """Content hashes of static files, recomputed only when a file changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[str, tuple[int, int, str]] = {}

    def of(self, folder: str, filename: str) -> str | None:
        path = os.path.join(folder, filename)
        try:
            stat = os.stat(path)
        except OSError:
            return None  # a missing file: url_for still builds, the request will 404
        with self._lock:
            known = self._known.get(path)
            if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
                return known[2]
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
        with self._lock:
            self._known[path] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest


fingerprints = Fingerprints()


def static_folder(app: Flask, endpoint: str | None) -> str | None:
    """The folder behind a static endpoint (``static`` or ``<blueprint>.static``)."""
    if endpoint == "static":
        return app.static_folder
    if endpoint and endpoint.endswith(".static"):
        blueprint = app.blueprints.get(endpoint.rsplit(".", 1)[0])
        return blueprint.static_folder if blueprint is not None else None
    return None


def _fingerprint_static_urls(endpoint: str, values: dict) -> None:
    folder = static_folder(current_app, endpoint)
    if folder and "filename" in values and "v" not in values:
        digest = fingerprints.of(folder, values["filename"])
        if digest:
            values["v"] = digest


def _cache_static(response: Response) -> Response:
    folder = static_folder(current_app, request.endpoint)
    if folder is None or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    asked = request.args.get("v")
    if asked and asked == fingerprints.of(folder, filename):
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    else:
        response.cache_control.no_cache = True
        response.cache_control.max_age = None
    return response


def init_serving(app: Flask) -> None:
    app.url_defaults(_fingerprint_static_urls)
    app.after_request(_cache_static)
    if app.config.get("COMPRESS_RESPONSES", True):
        app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSIBLE)
        app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
        app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])  # gzip cannot stream here
        app.config.setdefault("COMPRESS_BR_LEVEL", 4)
        Compress(app)
