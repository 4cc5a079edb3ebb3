"""The audit trail: one append-only, hash-chained log per tenant.

Each entry carries ``seq`` (1, 2, 3, … per tenant), the hash of the entry
before it (``prev_hash``; 64 zeros for the first) and its own ``hash``: the
SHA-256 of a canonical JSON of everything it says (see ``app.audit.chain``).
Altering an entry breaks its hash; removing one leaves a gap in ``seq`` and a
``prev_hash`` that points at nothing. ``flask audit verify <slug>`` walks the
chain and names the first bad entry.

The rows are append-only three times over: the ORM refuses to update or delete
them (below), the application's PostgreSQL role has no UPDATE or DELETE right
on the table (migration 0002), and anything that gets past both shows up in
``verify``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.tenancy import TenantScoped

GENESIS_HASH = "0" * 64


class AuditEntry(TenantScoped, db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (
        # Also the index the trail is read by, newest first.
        UniqueConstraint("tenant_id", "seq"),
        Index("ix_audit_entry_tenant_object", "tenant_id", "object_type", "object_id"),
        Index("ix_audit_entry_tenant_employee", "tenant_id", "employee_id"),
        Index("ix_audit_entry_tenant_actor", "tenant_id", "actor_label"),
        Index("ix_audit_entry_tenant_occurred", "tenant_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int]
    # UTC, without time zone (like every timestamp in the schema).
    occurred_at: Mapped[datetime]
    # NULL for the command line and the system; no foreign key on purpose: the
    # trail outlives and never blocks changes to the accounts it names.
    actor_user_id: Mapped[int | None]
    actor_label: Mapped[str] = mapped_column(String(120))  # username, "cli", "system"; never a NIP
    action: Mapped[str] = mapped_column(String(80))  # "employee.update"
    object_type: Mapped[str] = mapped_column(String(40))  # "employee"
    object_id: Mapped[int | None]
    # The employee whose history this belongs to (the employee itself, an
    # account's or an acting assignment's employee, later their plans and
    # evaluations): what the admin's "employee trail" shows.
    employee_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditEntry {self.tenant_id}#{self.seq} {self.action}>"


class AuditEntryImmutable(RuntimeError):
    """Audit entries are appended, never changed or removed."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:  # noqa: ARG001
    raise AuditEntryImmutable(f"{target!r} cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:  # noqa: ARG001
    raise AuditEntryImmutable(f"{target!r} cannot be deleted")
