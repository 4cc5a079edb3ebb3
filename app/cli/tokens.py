"""``flask tokens create <slug> <name> --scope …``: an API token, its secret printed once."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.api import tokens as api_tokens
from app.errors import Invalid
from app.extensions import db
from app.tenancy import all_tenants, tenant_scope
from app.tenancy.models import Tenant

tokens_cli = AppGroup("tokens", help="API tokens of a tenant.")


def _tenant(slug: str) -> Tenant:
    with all_tenants("finding the tenant of an API token"):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None or not tenant.active:
        raise click.ClickException(f"No active tenant {slug}.")
    return tenant


@tokens_cli.command("create")
@click.argument("slug")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(list(api_tokens.SCOPES)),
              help="A scope the token carries; repeat for several.")
@click.option("--expires", "days", type=click.IntRange(1, api_tokens.MAX_EXPIRY_DAYS),
              help="Days until the token expires (default: until revoked).")
def create_command(slug: str, name: str, scopes: tuple[str, ...], days: int | None) -> None:
    """Create an API token of SLUG named NAME and print its secret (shown only this once).

    Only the secret goes to standard output, so scripts can capture it:
    TOKEN=$(flask tokens create kota-a simpeg --scope org:read)."""
    tenant = _tenant(slug)
    with tenant_scope(tenant):
        try:
            new = api_tokens.create_token(name, list(scopes), days)
        except Invalid as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
        db.session.commit()
        click.echo(f"Token {new.token.name!r} of {slug} (id {new.token.id}, scopes {', '.join(new.token.scopes)})"
                   + (f", expires {new.token.expires_at:%Y-%m-%d %H:%M} UTC" if new.token.expires_at else "")
                   + ". Store the secret now: it is not shown again.", err=True)
        click.echo(new.secret)


@tokens_cli.command("list")
@click.argument("slug")
def list_command(slug: str) -> None:
    """List SLUG's API tokens (never their secrets)."""
    tenant = _tenant(slug)
    with tenant_scope(tenant):
        for token in api_tokens.tokens():
            state = "revoked" if token.revoked_at else "active"
            click.echo(f"{token.id}\tknj_{token.prefix}_…\t{token.name}\t{','.join(token.scopes)}\t{state}")
        db.session.rollback()


@tokens_cli.command("revoke")
@click.argument("slug")
@click.argument("prefix")
def revoke_command(slug: str, prefix: str) -> None:
    """Revoke SLUG's token whose public prefix (knj_<prefix>_…) is PREFIX."""
    tenant = _tenant(slug)
    with tenant_scope(tenant):
        token = next((t for t in api_tokens.tokens() if t.prefix == prefix.removeprefix("knj_").strip("_…")), None)
        if token is None:
            raise click.ClickException(f"No token {prefix} at {slug}.")
        try:
            api_tokens.revoke_token(token)
        except Invalid as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
        db.session.commit()
        click.echo(f"Revoked {token.name!r}.")
