"""Search and paging for list pages: two queries per page, whatever the row count."""

from __future__ import annotations

from flask import current_app, request
from sqlalchemy import Select, or_

from app.extensions import db


def search_term() -> str:
    return (request.args.get("q") or "").strip()[:100]


def filtered(query: Select, *columns) -> Select:
    term = search_term()
    if term:
        pattern = f"%{term.lower()}%"
        query = query.where(or_(*[col.ilike(pattern) for col in columns]))
    return query


def paginate(query: Select):
    return db.paginate(query, per_page=current_app.config["PAGE_SIZE"], max_per_page=100, error_out=False)
