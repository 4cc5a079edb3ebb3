"""Search and paging for list pages: two queries per page, whatever the row count."""

from __future__ import annotations

from flask import current_app, request
from sqlalchemy import Select, or_

from app.extensions import db


def search_term() -> str:
    return (request.args.get("q") or "").strip()[:100]


def contains_pattern(term: str) -> str:
    """An ``ILIKE`` pattern matching ``term`` anywhere, its own ``%`` and ``_`` taken literally
    (use it with ``escape="\\"``)."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filtered(query: Select, *columns) -> Select:
    term = search_term()
    if term:
        pattern = contains_pattern(term)
        query = query.where(or_(*[col.ilike(pattern, escape="\\") for col in columns]))
    return query


def paginate(query: Select):
    return db.paginate(query, per_page=current_app.config["PAGE_SIZE"], max_per_page=100, error_out=False)
