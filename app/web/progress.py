"""What a background job's progress box polls (app/static/app.js: ``data-progress-url``)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify


def progress_answer(found: dict[str, Any] | None) -> Response:
    """``{"status", "total_rows", "processed_rows", "finished"}`` as uncached JSON; 404
    when the job is not the tenant's (another tenant's job is invisible, like a missing one)."""
    if found is None:
        abort(404)
    response = jsonify(found)
    response.headers["Cache-Control"] = "no-store"
    return response
