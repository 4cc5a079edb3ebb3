"""Cursor pagination: ``?limit=&cursor=`` in, ``{"items": [...], "next_cursor": ...}`` out.

Lists are ordered by id; the cursor is opaque to callers (base64 of the last
id of the page), so a page never repeats or skips rows that were added or
removed meanwhile, and a page costs the same whatever its depth.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from app.extensions import db

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_ID = 2**31 - 1


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode()).decode().rstrip("=")


class Cursor(ma.fields.String):
    """An opaque cursor, read back as the id to continue after."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise ma.ValidationError(str(_l("Cursor tidak valid."))) from None
        if not raw.isascii() or not raw.isdigit() or len(raw) > 10 or int(raw) > MAX_ID:
            raise ma.ValidationError(str(_l("Cursor tidak valid.")))
        return int(raw)


class PageArgs(ma.Schema):
    limit = ma.fields.Integer(load_default=DEFAULT_LIMIT, validate=ma.validate.Range(1, MAX_LIMIT),
                              metadata={"description": f"Items per page (1-{MAX_LIMIT})."})
    cursor = Cursor(load_default=None, metadata={"description": "The next_cursor of the previous page."})


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The envelope of a list of ``item``."""
    return ma.Schema.from_dict({
        "items": ma.fields.List(ma.fields.Nested(item), required=True),
        "next_cursor": ma.fields.String(allow_none=True, required=True,
                                        metadata={"description": "Pass as ?cursor= for the next page; "
                                                                 "null on the last page."}),
    }, name=name)


def page(query: Select, id_column: Any, args: dict) -> dict:
    """One page of ``query`` (whose rows have ``.id``), after ``args["cursor"]``."""
    limit = args.get("limit") or DEFAULT_LIMIT
    if args.get("cursor") is not None:
        query = query.where(id_column > args["cursor"])
    rows = list(db.session.scalars(query.order_by(id_column).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": encode_cursor(rows[-1].id) if more and rows else None}
