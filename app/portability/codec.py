"""Which tables belong to a tenant, and how their rows become JSON and back.

Tables are found in the SQLAlchemy metadata (every table with a ``tenant_id``
column, plus the tenant's own row), so a table added later travels in the
archive without anyone remembering to list it. Values become JSON-safe:
datetimes and dates in ISO 8601, ``Decimal`` as a string, enums as the string
the database stores, binary data in base64; JSON columns as they are.
"""

from __future__ import annotations

import base64
import enum
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Enum, Table

from app.extensions import db

TENANT_TABLE = "tenant"
# Working state, not data: sessions (and sign-in attempts, which have no tenant),
# the API's replay cache and the public forms' rate-limit ledger.
SKIPPED_TABLES = frozenset({"user_session", "api_idempotency", "public_submission"})
# Columns never exported: the document-signing certificate and its passphrase
# (encrypted with this installation's secret key, useless elsewhere, and a private
# key should not travel in a data archive — the admin uploads it again).
BLANKED_COLUMNS = {"tenant": ("signing_key", "signing_passphrase")}


def tenant_tables() -> list[Table]:
    """The tenant row's table first, then every tenant-owned table, parents before children."""
    return [t for t in db.metadata.sorted_tables
            if t.name == TENANT_TABLE or ("tenant_id" in t.c and t.name not in SKIPPED_TABLES)]


def storage_key_columns(table: Table) -> list[str]:
    """Columns holding a key of a file in storage (evidence, objection files, logo, issued PDFs)."""
    blanked = BLANKED_COLUMNS.get(table.name, ())
    return [c.name for c in table.c
            if c.name not in blanked and c.name.endswith("_key") and c.name not in ("duplicate_key", "client_key")]


def self_references(table: Table) -> list[str]:
    """Columns pointing at the same table (a unit's parent unit): filled in after every row is in."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def encode(table: Table, row: Any) -> dict[str, Any]:
    blanked = BLANKED_COLUMNS.get(table.name, ())
    return {c.name: (None if c.name in blanked else _encode_value(c.type, getattr(row, c.name)))
            for c in table.c}


def _encode_value(type_: Any, value: Any) -> Any:
    if value is None or isinstance(type_, JSON):
        return value
    if isinstance(value, enum.Enum):
        if isinstance(type_, Enum) and type_.enum_class is not None:
            return type_.enums[list(type_.enum_class).index(value)]
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def decode(table: Table, data: dict[str, Any]) -> dict[str, Any]:
    """A row read from the archive, ready to insert; ``KeyError`` for a column this schema lacks."""
    return {name: _decode_value(table.c[name].type, value) for name, value in data.items()}


def _decode_value(type_: Any, value: Any) -> Any:
    if value is None or isinstance(type_, JSON | Enum):
        return value  # an enum column takes the stored string as it is
    try:
        python_type = type_.python_type
    except NotImplementedError:
        return value
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is time:
        return time.fromisoformat(value)
    if python_type is Decimal:
        return Decimal(value)
    if python_type is bytes:
        return base64.b64decode(value)
    return value
