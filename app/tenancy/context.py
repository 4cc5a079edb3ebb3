"""Which tenant the current unit of work belongs to.

The tenant is set once per request from the URL (see ``app.tenancy.web``) or
by a CLI command, and read by the ORM hooks in ``app.tenancy.scoping``.
Code that must see every tenant says so with ``all_tenants(reason)`` — grep
for ``all_tenants(`` to find every place that crosses tenants.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class TenantRef:
    id: int
    slug: str


_current: ContextVar[TenantRef | None] = ContextVar("kinerja_tenant", default=None)
_crossing: ContextVar[str | None] = ContextVar("kinerja_all_tenants", default=None)


class TenantScopeError(RuntimeError):
    """Tenant-owned data was touched without a tenant, or across tenants."""


def current_tenant() -> TenantRef | None:
    return _current.get()


def current_tenant_id() -> int | None:
    ref = _current.get()
    return ref.id if ref else None


def crossing_reason() -> str | None:
    """Why the current unit of work may see all tenants, or None."""
    return _crossing.get()


def activate(ref: TenantRef | None) -> None:
    """Set the tenant for the rest of this request (see ``reset``)."""
    _current.set(ref)
    _sync_database()


def activate_all_tenants(reason: str) -> None:
    """Let the rest of this request see every tenant (platform pages)."""
    _crossing.set(reason)
    _sync_database()


def reset() -> None:
    _current.set(None)
    _crossing.set(None)


@contextmanager
def tenant_scope(tenant: TenantRef | object) -> Iterator[TenantRef]:
    """Run a block as one tenant: queries filtered, new rows stamped.

    The innermost scope wins: inside ``all_tenants`` this block is still
    limited to ``tenant``."""
    ref = tenant if isinstance(tenant, TenantRef) else TenantRef(tenant.id, tenant.slug)  # type: ignore[attr-defined]
    token = _current.set(ref)
    crossing_token = _crossing.set(None)
    _sync_database()
    try:
        yield ref
    finally:
        _crossing.reset(crossing_token)
        _current.reset(token)
        _sync_database()


@contextmanager
def all_tenants(reason: str) -> Iterator[None]:
    """Explicitly cross tenants (platform operators, CLI, migrations)."""
    token = _crossing.set(reason)
    _sync_database()
    try:
        yield
    finally:
        _crossing.reset(token)
        _sync_database()


# Called whenever the tenant changes, so an open transaction learns it too.
# app.tenancy.rls registers the PostgreSQL one when the database is set up
# (context sits below rls and must not import it).
_on_change: list[Callable[[], None]] = []


def on_change(listener: Callable[[], None]) -> None:
    if listener not in _on_change:
        _on_change.append(listener)


def _sync_database() -> None:
    for listener in _on_change:
        listener()
