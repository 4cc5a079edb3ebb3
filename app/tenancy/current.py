"""The current tenant in one place: its row, its rules, its settings, its clock.

Everything that asks "which Pemda, under which rules, on which day" asks here,
from a web request, a CLI command, the demo seed or a background job alike —
the tenant comes from ``app.tenancy.context`` (set per request from the URL,
or by ``tenant_scope``), never from ``flask.g``.

Times are stored as naive UTC (``utc_now``); a day or an hour shown to a
person or used by a deadline is the tenant's (``tenant_today``,
``tenant_now``), since an Asia/Jayapura tenant's day starts nine hours before
UTC's. Tests and the demo move the clock with ``frozen_clock``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time
from time import monotonic
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import g, has_request_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.regions.manager import RuleSetRuntime, regions
from app.tenancy.context import TenantScopeError, all_tenants, current_tenant_id
from app.tenancy.models import SettingsVersion, Tenant

DEFAULT_TIMEZONE = "Asia/Jakarta"

T = TypeVar("T")

_frozen: ContextVar[datetime | None] = ContextVar("kinerja_frozen_clock", default=None)


# --- the tenant -------------------------------------------------------------------

def tenant_or_none() -> Tenant | None:
    """The current tenant's row (from the session's identity map), or None."""
    tenant_id = current_tenant_id()
    return db.session.get(Tenant, tenant_id) if tenant_id is not None else None


def tenant() -> Tenant:
    """The current tenant's row; a tenant must be in scope."""
    row = tenant_or_none()
    if row is None:
        raise TenantScopeError("No tenant in scope.")
    return row


def tenant_rules(row: Tenant | None = None, on: date | None = None) -> RuleSetRuntime:
    """The tenant's effective rules on ``on`` (default: the tenant's today):
    its rule set with the settings version in force that day applied.
    Scoring a period asks with the period's first day (``rules_for_period``)."""
    row = row or tenant()
    return regions().for_rule_set(row.rule_set_code, settings_overrides(row, on))


def tenant_settings(row: Tenant | None = None, on: date | None = None) -> dict[str, Any]:
    """The tenant's settings in force: the rule set's defaults with its overrides."""
    return dict(tenant_rules(row, on).settings)


def settings_overrides(row: Tenant, on: date | None = None) -> dict[str, Any]:
    """The overrides in force on ``on``: the latest ``SettingsVersion`` from that
    day or before, else what onboarding wrote (``Tenant.settings``). One query
    for every day asked, remembered for the rest of the request."""
    on = on or tenant_today(row)
    version = _version_in_force(row.id, on)
    return dict(version.settings) if version is not None else dict(row.settings or {})


def _version_in_force(tenant_id: int, on: date) -> SettingsVersion | None:
    return next((v for v in _versions(tenant_id) if v.effective_from <= on), None)  # newest first


def _versions(tenant_id: int) -> list[SettingsVersion]:
    """The tenant's settings versions, newest first (a handful a year), read once per request:
    a page asking for today's rules and a period's gets both from one query."""
    cache = _request_cache()
    key = ("settings_version", tenant_id)
    if cache is not None and key in cache:
        return cache[key]
    query = (select(SettingsVersion).where(SettingsVersion.tenant_id == tenant_id)
             .order_by(SettingsVersion.effective_from.desc(), SettingsVersion.number.desc()))
    if current_tenant_id() == tenant_id:
        found = list(db.session.scalars(query))
    else:
        with all_tenants("the settings in force of another tenant's row"):
            found = list(db.session.scalars(query))
    if cache is not None:
        cache[key] = found
    return found


def forget_settings_cache() -> None:
    """Drop the request's remembered settings versions (after saving one)."""
    cache = _request_cache()
    if cache is not None:
        for key in [k for k in cache if k[0] == "settings_version"]:
            del cache[key]


def per_request(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, once per request and tenant for ``key`` (outside a request: every time).
    For reads a page makes from several places (the running period, someone's supervisor).
    Any write the session flushes forgets them all, so a request never reads its own
    earlier answer after changing what it was computed from."""
    cache = _request_cache()
    if cache is None:
        return compute()
    key = ("per_request", current_tenant_id(), *key)
    if key not in cache:
        cache[key] = compute()
    return cache[key]


# Kept per process by ``kept_for``: key → (when computed, writes seen then, value).
_kept: OrderedDict[tuple, tuple[float, int, Any]] = OrderedDict()
_KEPT_MAX = 64
_writes = 0  # flushes with changes this process has made


def kept_for(seconds: float, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, reused by this process for ``seconds`` per tenant and ``key`` — and dropped as
    soon as this process writes anything. For tenant-wide aggregates a page shows on every view
    (an admin's dashboard): another worker's writes show within ``seconds``, the page says so.
    The value must be plain data (no ORM objects: they belong to one request's session)."""
    key = (current_tenant_id(), *key)
    now = monotonic()
    hit = _kept.get(key)
    if hit is not None and hit[1] == _writes and now - hit[0] < seconds:
        return hit[2]
    value = compute()
    _kept[key] = (now, _writes, value)
    _kept.move_to_end(key)
    while len(_kept) > _KEPT_MAX:
        _kept.popitem(last=False)
    return value


@event.listens_for(Session, "after_flush")
def _forget_on_write(session: Session, context) -> None:  # noqa: ARG001
    global _writes  # noqa: PLW0603 - the process's write counter
    _writes += 1
    cache = _request_cache()
    if cache:
        for key in [k for k in cache if k[0] == "per_request"]:
            del cache[key]


def _request_cache() -> dict | None:
    if not has_request_context():
        return None
    if not hasattr(g, "_kinerja_cache"):
        g._kinerja_cache = {}
    return g._kinerja_cache


# --- the clock --------------------------------------------------------------------

def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def tenant_zone(row: Tenant | None = None) -> ZoneInfo:
    """The tenant's time zone (Asia/Jakarta when there is no tenant in scope)."""
    row = row or tenant_or_none()
    return zone_of(row.timezone if row is not None else None)


def _now_utc() -> datetime:
    return _frozen.get() or datetime.now(UTC)


def utc_now() -> datetime:
    """Now as naive UTC, the way every timestamp column stores it."""
    return _now_utc().replace(tzinfo=None)


def tenant_now(row: Tenant | None = None) -> datetime:
    """Now in the tenant's time zone (aware)."""
    return _now_utc().astimezone(tenant_zone(row))


def tenant_today(row: Tenant | None = None) -> date:
    """Today's date where the tenant is: deadlines and periods use this day."""
    return tenant_now(row).date()


def local_time(value: datetime | None, row: Tenant | None = None) -> datetime | None:
    """A stored (naive UTC) timestamp in the tenant's time zone."""
    if value is None:
        return None
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return aware.astimezone(tenant_zone(row))


def start_of_local_day(day: date, row: Tenant | None = None) -> datetime:
    """The naive UTC instant at which ``day`` starts where the tenant is."""
    return datetime.combine(day, time.min, tzinfo=tenant_zone(row)).astimezone(UTC).replace(tzinfo=None)


@contextmanager
def frozen_clock(at: datetime | date) -> Iterator[None]:
    """Make ``utc_now``/``tenant_now``/``tenant_today`` answer as of ``at``
    (a date means 05:00 UTC that day: midday in every Indonesian zone, the same date)."""
    if not isinstance(at, datetime):
        at = datetime.combine(at, time(5, 0), tzinfo=UTC)
    elif at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    token = _frozen.set(at)
    try:
        yield
    finally:
        _frozen.reset(token)
