"""Appending many audit entries at once: bulk work (an import, re-applying rules).

``record_many(session, entries)`` appends entries that say exactly what
``record`` would have said, one after the other, but reads the tenant's tail
once (under the same per-tenant lock, ``services._tail``), computes the chain
in Python and inserts the entries with one multi-row INSERT per
``BATCH`` entries. Every entry hashes and links like one written by
``record``, so ``verify`` checks them entry by entry.

The caller builds each ``Pending`` with the snapshots it would have passed to
``record`` (``snapshot`` / ``plain``); ``skip_unchanged`` works as there.

On PostgreSQL the entries go in with one ``INSERT … SELECT FROM
json_to_recordset(…)`` per ``JSON_BATCH`` instead (``bulkwrite.insert_json``): the
same values, the JSON columns' text as the engine writes it. A flat snapshot
of plain values (text, numbers, booleans, dates, no secret-sounding key) is
reduced without ``plain``'s JSON round trip, to the same result.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.audit.chain import compute_hash
from app.audit.models import AuditEntry
from app.audit.services import _TAIL_KEY, SECRET_NAME, _tail, current_actor, plain
from app.bulkwrite import insert_json
from app.tenancy import current_tenant_id, utc_now

BATCH = 1000
JSON_BATCH = 10_000  # entries per INSERT … FROM json_to_recordset(…) on PostgreSQL


@dataclass(frozen=True)
class Pending:
    """One entry to append: what ``record(action, obj, before, after, reason)`` would store."""

    action: str
    object_type: str
    object_id: int | None
    employee_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None = None
    skip_unchanged: bool = True


def record_many(session: Session, entries: Iterable[Pending], tenant_id: int | None = None) -> int:
    """Append ``entries`` in order to the current tenant's trail; returns how many were written."""
    tenant_id = tenant_id if tenant_id is not None else current_tenant_id()
    if tenant_id is None:
        raise RuntimeError("record_many needs a tenant")
    actor = current_actor()
    session.flush()
    seq, prev_hash = _tail(session, tenant_id)
    postgres = session.connection().dialect.name == "postgresql"
    insert_rows, batch = (_insert_json, JSON_BATCH) if postgres else (_insert, BATCH)
    rows: list[dict[str, Any]] = []
    written = 0
    actor_label = actor.label[:120]
    for pending in entries:
        before, after = _plain(pending.before), _plain(pending.after)
        if pending.skip_unchanged and before is not None and before == after:
            continue
        seq += 1
        values = {
            "tenant_id": tenant_id, "seq": seq, "occurred_at": utc_now(),
            "actor_user_id": actor.user_id, "actor_label": actor_label,
            "action": pending.action, "object_type": pending.object_type, "object_id": pending.object_id,
            "employee_id": pending.employee_id, "before": before, "after": after,
            "reason": pending.reason or None, "prev_hash": prev_hash,
        }
        values["hash"] = prev_hash = compute_hash(SimpleNamespace(**values))
        rows.append(values)
        if len(rows) >= batch:
            written += insert_rows(session, rows)
            rows = []
    written += insert_rows(session, rows)
    if written:
        session.info.setdefault(_TAIL_KEY, {})[tenant_id] = (seq, prev_hash)
    return written


def _insert(session: Session, rows: list[dict[str, Any]]) -> int:
    if rows:
        session.execute(insert(AuditEntry), rows)
    return len(rows)


_PLAIN_TYPES = frozenset({str, int, bool, type(None)})


@functools.lru_cache(maxsize=1024)
def _sounds_secret(key: str) -> bool:
    return SECRET_NAME.search(key) is not None  # asked for the same column names row after row


def _plain(value: Any) -> Any:
    """``services.plain(value)``: a flat dict of text, integers, booleans, None, dates
    and times under ordinary keys directly (what ``plain``'s JSON round trip makes
    of them: the same values, dates as ISO text); anything else through ``plain``."""
    if value is None:
        return None
    if type(value) is not dict or not _ordinary_keys(tuple(value)):
        return plain(value)
    # The caller's dict itself when nothing in it changes (it is written before record_many
    # returns, and only read); a copy from the first value that does.
    result = value
    for key, item in value.items():
        kind = type(item)
        if kind in _PLAIN_TYPES:
            continue
        if kind is date or kind is datetime:
            if result is value:
                result = dict(value)
            result[key] = item.isoformat()
        else:
            return plain(value)
    return result


@functools.lru_cache(maxsize=256)
def _ordinary_keys(keys: tuple[Any, ...]) -> bool:
    """Every key is text and none sounds secret: asked for the same columns entry after entry."""
    return all(type(key) is str and not _sounds_secret(key) for key in keys)


def _insert_json(session: Session, rows: list[dict[str, Any]]) -> int:
    """PostgreSQL: the entries with one ``INSERT … FROM json_to_recordset(…)``."""
    if rows:
        insert_json(session, AuditEntry.__table__, rows)
    return len(rows)
