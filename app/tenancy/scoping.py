"""Automatic tenant scoping for the ORM.

Every model that mixes in ``TenantScoped`` is filtered to the current tenant
in every SELECT/UPDATE/DELETE issued through the ORM, and new rows are stamped
with it. With no tenant and no explicit ``all_tenants`` no tenant row is
visible at all (fail closed).
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, event, false
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

from app.tenancy.context import TenantScopeError, crossing_reason, current_tenant_id


class TenantScoped:
    """Mixin for every tenant-owned table: adds ``tenant_id`` and the scoping."""

    # Models whose rows may belong to no tenant (platform operators' accounts).
    __tenant_optional__ = False

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(
            ForeignKey("tenant.id", ondelete="RESTRICT"),
            nullable=cls.__tenant_optional__,
        )


def _none_visible(cls):  # noqa: ARG001
    return false()


def _scope_statement(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if crossing_reason() is not None:
        return
    tenant_id = current_tenant_id()
    if tenant_id is None:
        criteria = with_loader_criteria(TenantScoped, _none_visible, include_aliases=True)
    else:
        criteria = with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        )
    state.statement = state.statement.options(criteria)


def _stamp_new_rows(session: Session, flush_context, instances) -> None:  # noqa: ARG001
    tenant_id = current_tenant_id()
    crossing = crossing_reason() is not None
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            if tenant_id is not None:
                obj.tenant_id = tenant_id
            elif not (crossing and obj.__tenant_optional__):
                raise TenantScopeError(
                    f"{type(obj).__name__} written without a tenant; "
                    "use tenant_scope() or all_tenants()."
                )
        elif tenant_id is not None and obj.tenant_id != tenant_id and not crossing:
            raise TenantScopeError(
                f"{type(obj).__name__} of tenant {obj.tenant_id} written "
                f"while tenant {tenant_id} is active."
            )


_installed = False


def install_scoping() -> None:
    """Attach the ORM hooks once per process (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "do_orm_execute", _scope_statement)
    event.listen(Session, "before_flush", _stamp_new_rows)
    _installed = True
