"""Writing many rows at once (an import, re-applying rules, a batch of audit entries).

On PostgreSQL the rows travel as one JSON document — serialised by ``json.dumps`` in
C, however many there are — into ``INSERT … SELECT … FROM json_to_recordset(…)``
(``insert_json``) or ``UPDATE … FROM json_to_recordset(…)`` (``update_checked``).
``COPY`` would be faster still, but PostgreSQL refuses it on tables with row-level
security, and a driver's array parameters are adapted value by value. Elsewhere
(SQLite) an update is one executemany statement.

``collector_paused`` switches Python's cyclic garbage collector off while such a
batch is built and written.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Table, bindparam, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.tenancy import current_tenant_id

UPDATE_CHUNK = 10_000  # rows per UPDATE … FROM json_to_recordset(…)


def insert_json(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: insert ``rows`` (dicts with the same keys, the table's column names)
    with one ``INSERT … SELECT … FROM json_to_recordset(…)``. A JSON column keeps its
    value's text as ``json.dumps`` writes it, and None as a JSON ``null`` — what
    SQLAlchemy's JSON type stores through the ORM and ``insert()``."""
    if not rows:
        return
    dialect = session.connection().dialect
    quote = dialect.identifier_preparer
    names, values, fields = [], [], []
    for name in rows[0]:
        column = table.c[name]
        kind = column.type.compile(dialect=dialect)
        quoted = quote.quote(name)
        names.append(quoted)
        fields.append(f"{quoted} {kind}")
        if isinstance(column.type, JSON) and not column.type.none_as_null:
            values.append(f"COALESCE(v.{quoted}, CAST('null' AS {kind}))")
        else:
            values.append(f"v.{quoted}")
    session.execute(text(
        f"INSERT INTO {quote.format_table(table)} ({', '.join(names)}) "  # noqa: S608 - the table's own columns
        f"SELECT {', '.join(values)} FROM json_to_recordset(CAST(:rows AS JSON)) AS v({', '.join(fields)})"),
        {"rows": json_document(rows)})


def update_checked(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Update ``table`` from ``rows`` — dicts with the same keys: ``b_id`` and
    ``b_version`` (the row's id and the version read) and the new values under their
    columns' names — where the id, the version and the current tenant match; raises
    ``StaleDataError`` when fewer rows matched (one was changed meanwhile).

    PostgreSQL: one ``UPDATE … FROM json_to_recordset(…)`` per ``UPDATE_CHUNK`` rows.
    The tenant is matched through the rows, not as a constant: the planner estimates a
    tenant's share of an RLS-protected table at a row or so, and with a constant it may
    scan the rows given once per row of the table (a minute for 10,000 employees); this
    way it looks each row up by primary key. Elsewhere: one executemany UPDATE."""
    if not rows:
        return
    tenant_id = current_tenant_id()
    postgres = session.connection().dialect.name == "postgresql"
    statement = _update_json(session, table, list(rows[0])) if postgres else (
        table.update().where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"),
                             table.c.tenant_id == tenant_id))  # the SET clause: the rows' other keys
    for start in range(0, len(rows), UPDATE_CHUNK):
        chunk = rows[start:start + UPDATE_CHUNK]
        if postgres:
            document = json_document([{**row, "b_tenant": tenant_id} for row in chunk])
            matched = session.execute(statement, {"rows": document}).rowcount
        else:
            matched = session.execute(statement, chunk).rowcount
        if matched != len(chunk):
            raise StaleDataError(f"UPDATE of {table.name} expected to update {len(chunk)} row(s); "
                                 f"{matched} were matched.")


def _update_json(session: Session, table: Table, keys: list[str]):
    dialect = session.connection().dialect
    quote = dialect.identifier_preparer
    columns = [key for key in keys if key not in ("b_id", "b_version")]
    fields = ["b_id integer", "b_version integer", "b_tenant integer"] + [
        f"{quote.quote(column)} {table.c[column].type.compile(dialect=dialect)}" for column in columns]
    name = quote.format_table(table)
    return text(
        f"UPDATE {name} SET {', '.join(f'{quote.quote(c)} = v.{quote.quote(c)}' for c in columns)} "  # noqa: S608 - the table's own columns
        f"FROM json_to_recordset(CAST(:rows AS JSON)) AS v({', '.join(fields)}) "
        f"WHERE {name}.id = v.b_id AND {name}.version = v.b_version AND {name}.tenant_id = v.b_tenant")


def json_document(rows: list[dict[str, Any]]) -> str:
    """``rows`` as one JSON array for ``json_to_recordset``: dates and times as ISO text,
    a ``Decimal`` as its exact text."""
    return json.dumps(rows, default=_json_value)


def _json_value(value: Any) -> str:
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"Cannot write {type(value).__name__} as JSON")


_paused = 0
_paused_lock = threading.Lock()
_collector_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a batch is built and written.

    A batch makes a great many dicts, lists, rows and results that all live until it
    ends, so the collector's full passes — each over the whole heap of the process —
    find nothing to free (a fifth of an import's CPU, half of loading a re-apply batch).
    Garbage is still freed by reference counting meanwhile; cycles wait for the next
    pass. The switch is process-wide, so it is counted across the threads that may run
    batches at once, and the collector is on again when the last one ends."""
    global _paused, _collector_was_enabled
    with _paused_lock:
        if _paused == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused -= 1
            if _paused == 0 and _collector_was_enabled:
                gc.enable()
