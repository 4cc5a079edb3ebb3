"""Appending many audit entries at once: bulk work (an import, re-applying rules).

``record_many(session, entries)`` appends entries that say exactly what
``record`` would have said, one after the other, but reads the tenant's tail
once (under the same per-tenant lock, ``services._tail``), computes the chain
in Python and inserts the entries with one multi-row INSERT per
``BATCH`` entries. Every entry hashes and links like one written by
``record``, so ``verify`` checks them entry by entry.

The caller builds each ``Pending`` with the snapshots it would have passed to
``record`` (``snapshot`` / ``plain``); ``skip_unchanged`` works as there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.audit.chain import compute_hash
from app.audit.models import AuditEntry
from app.audit.services import _TAIL_KEY, _tail, current_actor, plain
from app.tenancy import current_tenant_id, utc_now

BATCH = 1000


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


class _Row:
    """The attributes ``compute_hash`` reads."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def record_many(session: Session, entries: Iterable[Pending], tenant_id: int | None = None) -> int:
    """Append ``entries`` in order to the current tenant's trail; returns how many were written."""
    tenant_id = tenant_id if tenant_id is not None else current_tenant_id()
    if tenant_id is None:
        raise RuntimeError("record_many needs a tenant")
    actor = current_actor()
    session.flush()
    seq, prev_hash = _tail(session, tenant_id)
    rows: list[dict[str, Any]] = []
    written = 0
    for pending in entries:
        before, after = plain(pending.before), plain(pending.after)
        if pending.skip_unchanged and before is not None and before == after:
            continue
        seq += 1
        values = {
            "tenant_id": tenant_id, "seq": seq, "occurred_at": utc_now(),
            "actor_user_id": actor.user_id, "actor_label": actor.label[:120],
            "action": pending.action, "object_type": pending.object_type, "object_id": pending.object_id,
            "employee_id": pending.employee_id, "before": before, "after": after,
            "reason": pending.reason or None, "prev_hash": prev_hash,
        }
        values["hash"] = prev_hash = compute_hash(_Row(values))
        rows.append(values)
        if len(rows) >= BATCH:
            written += _insert(session, rows)
            rows = []
    written += _insert(session, rows)
    if written:
        session.info.setdefault(_TAIL_KEY, {})[tenant_id] = (seq, prev_hash)
    return written


def _insert(session: Session, rows: list[dict[str, Any]]) -> int:
    if rows:
        session.execute(insert(AuditEntry), rows)
    return len(rows)
