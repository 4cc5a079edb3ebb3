"""Helpers for the API tests: tokens made through the service, bearer headers."""

from __future__ import annotations

from datetime import timedelta

from app.api import tokens
from app.api.tokens import SCOPES
from app.extensions import db
from app.tenancy import tenant_scope, utc_now

ALL_SCOPES = tuple(SCOPES)


def make_token(tenant, scopes=ALL_SCOPES, name: str = "uji", expired: bool = False, revoked: bool = False) -> str:
    """A token of ``tenant`` (a TenantRef or Tenant); returns its secret. Call inside an app context."""
    with tenant_scope(tenant):
        new = tokens.create_token(name, list(scopes))
        if expired:
            new.token.expires_at = utc_now() - timedelta(minutes=1)
        if revoked:
            tokens.revoke_token(new.token)
        db.session.commit()
        return new.secret


def bearer(secret: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **extra}


def make_token_id(org) -> int:
    """The id of a new token of ``org``'s tenant (for URL parameters in the route sweeps)."""
    from sqlalchemy import select

    from app.api.models import ApiToken

    secret = make_token(org.tenant, name="Beta token")
    with tenant_scope(org.tenant):
        return db.session.scalar(select(ApiToken.id).where(ApiToken.prefix == secret.split("_")[1]))
