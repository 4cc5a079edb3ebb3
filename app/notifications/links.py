"""Where a notification leads: built when the inbox is shown, from what it is about.

Each domain registers the page for the kinds of object it notifies about
(``register_link("plan", "skp.plan_view", "plan_id")``) when its blueprint is
registered; this package imports no domain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, url_for
from werkzeug.routing import BuildError

from app.tenancy.context import current_tenant


@dataclass(frozen=True)
class LinkTarget:
    endpoint: str
    id_arg: str | None  # the URL parameter that takes the object's id; None for a list page
    values: Callable[[int], dict[str, Any] | None] | None  # URL values from the id, when one is not enough


_targets: dict[str, LinkTarget] = {}


def register_link(about_kind: str, endpoint: str, id_arg: str | None = None, *,
                  values: Callable[[int], dict[str, Any] | None] | None = None) -> None:
    """The page that shows objects of ``about_kind``: ``endpoint`` with the id as
    ``id_arg``, or with the URL values ``values(id)`` computes (None: gone)."""
    _targets[about_kind] = LinkTarget(endpoint, id_arg, values)


def link_for(about_kind: str | None, about_id: int | None, *, external: bool = False) -> str | None:
    """The URL of the page about this object in the current tenant, or None
    (unknown kind, no request to build it in)."""
    target = _targets.get(about_kind or "")
    tenant = current_tenant()
    if target is None or tenant is None or not has_request_context():
        return None
    if target.values is not None:
        values = target.values(about_id) if about_id is not None else None
        if values is None:
            return None
    else:
        values = {target.id_arg: about_id} if target.id_arg and about_id is not None else {}
    try:
        return url_for(target.endpoint, tenant_slug=tenant.slug, _external=external, **values)
    except BuildError:
        return None
