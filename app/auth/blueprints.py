"""The sign-in blueprints: one under each tenant, one for the platform."""

from __future__ import annotations

from app.tenancy.web import platform_blueprint, tenant_blueprint

bp = tenant_blueprint("auth", __name__)
platform_bp = platform_blueprint("platform_auth", __name__, "/platform")
