"""The hash chain: how an entry's hash is computed, and how a chain is checked.

An entry's hash is the SHA-256 (hex) of a canonical JSON document: the
fields below, keys sorted, no whitespace, UTF-8, with ``occurred_at`` as
``YYYY-MM-DDTHH:MM:SS.ffffffZ``. ``before``/``after`` are stored already
reduced to plain JSON (``app.audit.services.plain``), so what is read back
from the database hashes to exactly what was written.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.audit.models import GENESIS_HASH, AuditEntry
from app.extensions import db

log = logging.getLogger(__name__)

# What the hash covers, in the order the documentation lists it.
HASHED_FIELDS = (
    "tenant_id", "seq", "occurred_at", "actor_user_id", "actor_label", "action",
    "object_type", "object_id", "employee_id", "before", "after", "reason", "prev_hash",
)


def format_timestamp(moment: datetime) -> str:
    """The canonical form of a (naive, UTC) timestamp inside the hash."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def compute_hash(entry: Any) -> str:
    """Hash of an ``AuditEntry`` (or any row with the same attributes)."""
    document = {name: getattr(entry, name) for name in HASHED_FIELDS}
    document["occurred_at"] = format_timestamp(document["occurred_at"])
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of walking one tenant's chain.

    ``count`` is the number of entries read; on failure ``bad_seq``/``bad_id``
    name the first entry at which the chain is broken and ``problem`` says why
    (in English, for operators; it never quotes the entry's contents).
    """

    count: int
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    bad_seq: int | None = None
    bad_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(tenant: Any, anchor: tuple[int, str] | None = None) -> VerifyResult:
    """Walk ``tenant``'s chain in ``seq`` order; stop at the first bad entry.

    Detects an altered entry (its hash does not match its contents), a removed
    one (a gap in ``seq``, or a ``prev_hash`` that is not the previous entry's
    hash) and an entry whose hash was recomputed after an edit (the next
    entry's ``prev_hash`` no longer matches). Removing entries from the *end*
    leaves a shorter chain that is still consistent; ``anchor`` — a
    ``(seq, hash)`` pair recorded earlier, e.g. from a previous run's
    ``head`` — catches that: the anchored entry must still be there, unchanged.

    Call it inside ``tenant_scope(tenant)`` (or ``all_tenants``); it reads in
    one streamed query, so memory does not grow with the trail.
    """
    columns = [getattr(AuditEntry, name) for name in HASHED_FIELDS if name != "tenant_id"]
    rows = db.session.execute(
        select(AuditEntry.id, AuditEntry.tenant_id, AuditEntry.hash, *columns)
        .where(AuditEntry.tenant_id == tenant.id)
        .order_by(AuditEntry.seq)
        .execution_options(yield_per=1000)
    )
    result = _walk(rows, anchor)
    if not result.ok:
        # Seq and id only: never the entry's contents (which may hold NIPs).
        log.warning("Audit trail of tenant %s is broken at seq %s (id %s): %s",
                    getattr(tenant, "slug", tenant.id), result.bad_seq, result.bad_id, result.problem)
    return result


def _walk(rows: Iterable[Any], anchor: tuple[int, str] | None) -> VerifyResult:
    count, expected_seq, prev_hash = 0, 1, GENESIS_HASH
    anchor_seen = False

    def bad(row: Any, problem: str) -> VerifyResult:
        return VerifyResult(count, expected_seq - 1, prev_hash, row.seq, row.id, problem)

    for row in rows:
        count += 1
        if row.seq != expected_seq:
            if row.seq < expected_seq:
                return bad(row, f"duplicate or out-of-order seq (expected {expected_seq})")
            missing = (f"entry seq {expected_seq} is" if row.seq == expected_seq + 1
                       else f"entries seq {expected_seq}-{row.seq - 1} are")
            return bad(row, f"{missing} missing (removed from the trail)")
        if compute_hash(row) != row.hash:
            return bad(row, "hash mismatch: the entry was altered after it was written")
        if row.prev_hash != prev_hash:
            previous = f"entry seq {expected_seq - 1}" if expected_seq > 1 else "the start of the chain"
            return bad(row, f"prev_hash does not match {previous}: that entry was altered or replaced")
        if anchor is not None and row.seq == anchor[0]:
            anchor_seen = True
            if row.hash != anchor[1]:
                return bad(row, "hash differs from the anchor recorded earlier: the chain was rewritten")
        expected_seq, prev_hash = row.seq + 1, row.hash
    if anchor is not None and not anchor_seen:
        return VerifyResult(count, expected_seq - 1, prev_hash, anchor[0], None,
                            f"anchored entry seq {anchor[0]} is missing: the trail was cut short")
    return VerifyResult(count, expected_seq - 1, prev_hash)
