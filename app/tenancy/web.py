"""Binding a request to its tenant: the ``/<tenant_slug>/`` URL prefix."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, abort, g
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.tenancy import context
from app.tenancy.models import Tenant

SLUG_PATTERN = r"[a-z][a-z0-9-]{1,39}"
# Top-level path segments that can never be a tenant slug.
RESERVED_SLUGS = frozenset({"platform", "api", "static", "publik", "login", "logout", "health"})


class TenantInactive(HTTPException):
    """A deactivated region's pages (sign-in, public pages, everything under
    its slug): 503 Service Unavailable, not 410 Gone. Deactivation is
    temporary and nothing is deleted — the operator may reactivate the region
    and every address works again — so the answer says "not now", which
    clients, caches and search engines treat as temporary, where 410 would
    tell them the address is gone for good."""

    code = 503

    def __init__(self, tenant: Tenant) -> None:
        super().__init__(_("Pemerintah daerah %(name)s untuk sementara tidak dilayani di Kinerja. Tidak ada data "
                           "yang dihapus. Hubungi BKPSDM daerah Anda atau operator platform.", name=tenant.name))

    @property
    def name(self) -> str:  # the page's title
        return _("Layanan daerah ini sedang dinonaktifkan")


def _guard_every_page(bp: Blueprint, guard: Guard | None) -> None:
    """Run ``guard`` (e.g. ``login_required``, ``admin_required``) before every view of ``bp``."""
    if guard is not None:
        bp.before_request(guard(lambda: None))


Guard = Callable[[Callable[[], None]], Callable[[], object]]


def tenant_blueprint(name: str, import_name: str, url_prefix: str = "", *, guard: Guard | None = None,
                     **options) -> Blueprint:
    """A blueprint whose every URL lives under ``/<tenant_slug>``; ``guard``
    protects every page of it (a sign-in or role decorator); ``options`` go to
    ``Blueprint``, e.g. the package's own ``template_folder``."""
    bp = Blueprint(name, import_name, url_prefix=f"/<tenant_slug>{url_prefix}", **options)

    @bp.url_value_preprocessor
    def _bind_tenant(endpoint, values) -> None:  # noqa: ARG001
        slug = (values or {}).pop("tenant_slug", None)
        tenant = _tenant_of(slug)
        if tenant is None:
            abort(404)
        if not tenant.active:  # before anything of the tenant is bound: no page, no sign-in
            raise TenantInactive(tenant)
        g.tenant = tenant
        if context.current_tenant_id() != tenant.id:  # a known slug is bound already
            context.activate(context.TenantRef(tenant.id, tenant.slug))

    @bp.url_defaults
    def _add_tenant_slug(endpoint, values) -> None:  # noqa: ARG001
        if "tenant_slug" not in values and getattr(g, "tenant", None) is not None:
            values["tenant_slug"] = g.tenant.slug

    _guard_every_page(bp, guard)  # after the tenant is bound: guards check the tenant's sign-in
    return bp


# slug → tenant id, as last seen by this process. A known slug is bound before its row is read,
# so the transaction starts with the tenant already handed to PostgreSQL (one round trip less
# per request); the row read then confirms the slug, else the slug is looked up afresh.
_known_slugs: dict[str, int] = {}


def _tenant_of(slug: str | None) -> Tenant | None:
    known = _known_slugs.get(slug or "")
    if known is not None:
        context.activate(context.TenantRef(known, slug))
        tenant = db.session.get(Tenant, known)
        if tenant is not None and tenant.slug == slug and tenant.active:
            return tenant
        context.activate(None)
        _known_slugs.pop(slug, None)
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is not None:
        _known_slugs[tenant.slug] = tenant.id
    return tenant


def platform_blueprint(name: str, import_name: str, url_prefix: str, *, guard: Guard | None = None) -> Blueprint:
    """A blueprint for platform operators: explicitly crosses tenants."""
    bp = Blueprint(name, import_name, url_prefix=url_prefix)

    @bp.url_value_preprocessor
    def _cross_tenants(endpoint, values) -> None:  # noqa: ARG001
        context.activate_all_tenants("platform operator pages")

    _guard_every_page(bp, guard)
    return bp


def init_tenancy(app: Flask) -> None:
    @app.teardown_request
    def _forget_tenant(exc) -> None:  # noqa: ARG001
        context.reset()

    @app.context_processor
    def _tenant_in_templates() -> dict:
        return {"tenant": getattr(g, "tenant", None)}
