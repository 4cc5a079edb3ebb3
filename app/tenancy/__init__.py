"""Tenancy: which Pemda a request or command works for, enforced everywhere."""

from app.tenancy.context import (
    TenantRef,
    TenantScopeError,
    all_tenants,
    current_tenant,
    current_tenant_id,
    tenant_scope,
)
from app.tenancy.current import (
    frozen_clock,
    local_time,
    tenant,
    tenant_now,
    tenant_rules,
    tenant_settings,
    tenant_today,
    tenant_zone,
    utc_now,
)
from app.tenancy.scoping import TenantScoped

__all__ = [
    "TenantRef",
    "TenantScopeError",
    "TenantScoped",
    "all_tenants",
    "current_tenant",
    "current_tenant_id",
    "frozen_clock",
    "local_time",
    "tenant",
    "tenant_now",
    "tenant_rules",
    "tenant_scope",
    "tenant_settings",
    "tenant_today",
    "tenant_zone",
    "utc_now",
]
