"""Writing the audit trail: ``record(...)`` inside the caller's transaction.

Services call ``record`` where they change state, after the change::

    before = audit.snapshot(employee)
    employee.name = data.name
    audit.record("employee.update", employee, before)   # after: the object as it is now

The entry is added to the object's session, so it commits or rolls back
together with the change it describes. ``before``/``after`` are snapshots of
the audited fields: secrets (anything whose name says password, secret,
token, salt, hash or key) never enter them. NIPs may — the trail is a record
for the admin, not an application log — but nothing here ever hands an
entry's contents to Python logging.

Appending is safe under concurrency. The next ``seq`` and ``prev_hash`` come
from the tenant's last entry, read in the same transaction that inserts the
new one, and ``(tenant_id, seq)`` is unique, so two writers can never both
commit the same ``seq`` (the chain cannot fork). On PostgreSQL a
transaction-scoped advisory lock per tenant (``pg_advisory_xact_lock``) is
taken *before* reading the tail. Without it two transactions under READ
COMMITTED could both read tail N and both insert N+1; the second would wait
on the unique index and then fail, rolling back a perfectly good business
change. With it the second writer waits until the first commits or rolls
back; its next statement then sees the new tail (READ COMMITTED takes a fresh
snapshot per statement), and it appends after it. The lock is released
automatically when the transaction ends, also on errors and lost
connections, and it serialises only audited writes of one tenant. SQLite has
a single writer anyway; there the unique constraint alone refuses the rare
loser of a race (its transaction fails instead of corrupting the chain).

Within one transaction the tail is remembered in ``session.info`` (we hold
the lock, so nobody else can append), which keeps bulk work such as an
import to one tail read; it is forgotten whenever a transaction or
savepoint ends.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import click
from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import Session, object_session

from app.audit.chain import compute_hash
from app.audit.models import GENESIS_HASH, AuditEntry
from app.extensions import db
from app.tenancy import TenantScopeError, current_tenant_id, utc_now
from app.tenancy.models import Tenant

# Advisory lock keys are (namespace, tenant_id); the namespace keeps them
# apart from any other advisory lock the application may take one day.
LOCK_NAMESPACE = 0x4B41  # "KA": Kinerja audit

# Column names that must never reach the trail (matched on underscore-separated words).
SECRET_NAME = re.compile(r"(^|_)(password|passwd|passphrase|secret|token|salt|hash|key)(_|$)", re.IGNORECASE)
# Bookkeeping that changes without anyone deciding anything.
NOT_AUDITED = frozenset({"id", "tenant_id", "version", "created_at", "last_login_at", "last_seen_at",
                         "updated_at"})  # bookkeeping: changes with every save
REDACTED = "[redacted]"

# Table names whose object type reads better otherwise.
_OBJECT_TYPES = {"user_account": "user"}

_TAIL_KEY = "kinerja_audit_tail"
# Held until the transaction ends (commit, rollback, or a lost connection).
_LOCK_TAIL = text("SELECT pg_advisory_xact_lock(:namespace, :tenant_id)")


class _Current:
    def __repr__(self) -> str:
        return "CURRENT"


CURRENT: Any = _Current()
"""``record(after=CURRENT)``: snapshot the object as it is after the change."""


# --- who acts ---------------------------------------------------------------------

@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str


_acting: ContextVar[Actor | None] = ContextVar("kinerja_audit_actor", default=None)


@contextmanager
def acting_as(user: Any = None, label: str | None = None) -> Iterator[Actor]:
    """Attribute entries written in this block to ``user`` (an account, or its
    id) under ``label`` (by default the account's username) — for work done on
    someone's behalf outside their request, such as a background job applying
    their import. The trail stores what it is given: callers above ``app.auth``
    pass the account, or its id with its name."""
    user_id = getattr(user, "id", user)
    if label is None:
        label = getattr(user, "username", None)
    if label is None and user_id is not None:
        label = f"user #{user_id}"
    actor = Actor(user_id, label or "system")
    token = _acting.set(actor)
    try:
        yield actor
    finally:
        _acting.reset(token)


def current_actor() -> Actor:
    """The signed-in user in a request; "cli" in a command; else "system"."""
    actor = _acting.get()
    if actor is not None:
        return actor
    if has_request_context():
        if current_user and current_user.is_authenticated:
            prefix = "platform:" if current_user.tenant_id is None else ""
            return Actor(current_user.id, f"{prefix}{current_user.username}")
        return Actor(None, "anonymous")
    if click.get_current_context(silent=True) is not None:
        return Actor(None, "cli")
    return Actor(None, "system")


# --- what changed -----------------------------------------------------------------

def _unwrap(obj: Any) -> Any:
    """The object itself, also when given a proxy such as flask_login's ``current_user``."""
    return obj._get_current_object() if hasattr(obj, "_get_current_object") else obj


def object_type(obj: Any) -> str:
    obj = _unwrap(obj)
    table = obj.__table__.name
    return getattr(type(obj), "__audit_type__", None) or _OBJECT_TYPES.get(table, table)


def snapshot(obj: Any) -> dict[str, Any]:
    """The audited fields of ``obj`` as plain JSON values.

    Every column except secrets and bookkeeping (``NOT_AUDITED``, plus a
    model's own ``__audit_exclude__``); an account also gets ``has_password``
    (whether one is set, never which).
    """
    obj = _unwrap(obj)
    excluded = NOT_AUDITED | frozenset(getattr(type(obj), "__audit_exclude__", ()))
    data: dict[str, Any] = {}
    for attr in inspect(type(obj)).column_attrs:
        key = attr.key
        if key in excluded or SECRET_NAME.search(key):
            continue
        data[key] = getattr(obj, key)
    if hasattr(obj, "password_hash"):
        data["has_password"] = obj.password_hash is not None
    return plain(data)


def plain(value: Any) -> Any:
    """``value`` reduced to what JSON stores and gives back unchanged
    (enums to their value, dates to ISO text, Decimal to text, keys to
    text), with values under secret-sounding keys redacted."""
    if value is None:
        return None
    return _redact(json.loads(json.dumps(value, default=_to_json)))


def _to_json(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, bytes):
        return REDACTED  # binary is never audit material
    return str(value)


def _redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: (REDACTED if SECRET_NAME.search(key) and not isinstance(item, bool | None)
                      else _redact(item))
                for key, item in value.items()}
    if isinstance(value, list):
        return [_redact(item) for item in value]
    return value


# --- appending ----------------------------------------------------------------------

def record(action: str, obj: Any, before: dict[str, Any] | None = None, after: Any = CURRENT,
           reason: str | None = None, *, employee_id: Any = CURRENT,
           skip_unchanged: bool = True) -> AuditEntry | None:
    """Append an entry about ``obj`` to its tenant's trail, in the caller's transaction.

    ``before``: a ``snapshot`` taken before the change (None for a creation).
    ``after``: the object as it is now (default), or an explicit dict.
    ``employee_id``: whose history this is; by default the object itself if
    it is an employee, else its ``employee_id``.
    Returns the entry, or None when nothing changed (``before == after``)
    or the object belongs to no tenant (platform operators' accounts).
    """
    if not re.fullmatch(r"[a-z_]+\.[a-z_]+", action) or len(action) > 80:
        raise ValueError(f"Audit action must look like 'employee.update', not {action!r}")
    obj = _unwrap(obj)
    session = object_session(obj) or db.session()
    tenant_id = _tenant_of(obj)
    if tenant_id is None:
        return None
    # Ids of new rows, foreign keys set through relationships, version bumps.
    session.flush()
    after = snapshot(obj) if after is CURRENT else plain(after)
    before = plain(before)
    if skip_unchanged and before is not None and before == after:
        return None
    if employee_id is CURRENT:
        employee_id = _employee_of(obj, before, after)
    actor = current_actor()
    seq, prev_hash = _tail(session, tenant_id)
    entry = AuditEntry(
        tenant_id=tenant_id, seq=seq + 1,
        occurred_at=utc_now(),
        actor_user_id=actor.user_id, actor_label=actor.label[:120],
        action=action, object_type=object_type(obj), object_id=_object_id(obj),
        employee_id=employee_id, before=before, after=after, reason=reason or None,
        prev_hash=prev_hash,
    )
    entry.hash = compute_hash(entry)
    session.add(entry)
    # Written now, not at commit: a clash on (tenant_id, seq) surfaces here, at its cause.
    session.flush()
    session.info.setdefault(_TAIL_KEY, {})[tenant_id] = (entry.seq, entry.hash)
    return entry


def _tenant_of(obj: Any) -> int | None:
    own = obj.id if isinstance(obj, Tenant) else getattr(obj, "tenant_id", None)
    current = current_tenant_id()
    if current is not None and own is not None and own != current:
        raise TenantScopeError(f"Auditing {type(obj).__name__} of tenant {own} while tenant {current} is active.")
    return current if current is not None else own


def _object_id(obj: Any) -> int | None:
    identity = inspect(obj).identity
    return identity[0] if identity and len(identity) == 1 and isinstance(identity[0], int) else None


def _employee_of(obj: Any, before: dict | None, after: dict | None) -> int | None:
    if object_type(obj) == "employee":  # an employee's own record is in their history
        return obj.id
    for state in (after, before):
        if state and isinstance(state.get("employee_id"), int):
            return state["employee_id"]
    return None


def _tail(session: Session, tenant_id: int) -> tuple[int, str]:
    """The tenant's last (seq, hash), read under the tenant's append lock."""
    _install_listeners()
    known = session.info.get(_TAIL_KEY, {})
    if tenant_id in known:
        return known[tenant_id]
    if session.connection().dialect.name == "postgresql":
        session.execute(_LOCK_TAIL, {"namespace": LOCK_NAMESPACE, "tenant_id": tenant_id})
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash)
        .where(AuditEntry.tenant_id == tenant_id)  # explicit: also under all_tenants()
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    return (last.seq, last.hash) if last else (0, GENESIS_HASH)


def _forget_tail(session: Session, transaction) -> None:  # noqa: ARG001
    session.info.pop(_TAIL_KEY, None)


_installed = False


def _install_listeners() -> None:
    global _installed
    if not _installed:
        # Any end — commit, rollback, a savepoint's release or rollback — may
        # make the remembered tail wrong or give up the lock: read it again.
        event.listen(Session, "after_transaction_end", _forget_tail)
        _installed = True
