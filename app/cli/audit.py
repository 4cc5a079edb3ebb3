"""``flask audit verify <slug>``: check a tenant's hash-chained audit trail."""

from __future__ import annotations

import re

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.audit import verify
from app.extensions import db
from app.tenancy import all_tenants, tenant_scope
from app.tenancy.models import Tenant

audit_cli = AppGroup("audit", help="Check tenants' audit trails.")


def _anchor(ctx, param, value: str | None) -> tuple[int, str] | None:  # noqa: ARG001
    if value is None:
        return None
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", value.strip().lower())
    if match is None:
        raise click.BadParameter("expected SEQ:HASH, as printed on the 'head:' line of an earlier run")
    return int(match.group(1)), match.group(2)


@audit_cli.command("verify")
@click.argument("slug")
@click.option("--anchor", callback=_anchor, metavar="SEQ:HASH",
              help="An entry recorded earlier (the 'head:' line of a previous run); "
                   "fails if it is gone or changed, which also catches entries cut from the end.")
def verify_command(slug: str, anchor: tuple[int, str] | None) -> None:
    """Walk SLUG's audit trail: exit 0 when intact, 1 naming the first bad entry."""
    with all_tenants("finding the tenant to verify"):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        click.echo(f"No tenant {slug}.", err=True)
        raise SystemExit(1)
    with tenant_scope(tenant):
        result = verify(tenant, anchor=anchor)
        db.session.rollback()
    if not result.ok:
        where = f"seq {result.bad_seq}" + (f" (id {result.bad_id})" if result.bad_id is not None else "")
        click.echo(f"FAIL: {slug}: entry {where}: {result.problem}", err=True)
        click.echo(f"{result.count} entries read; the chain is intact up to seq {result.head_seq}.", err=True)
        raise SystemExit(1)
    click.echo(f"OK: {result.count} entries")
    if result.count:
        click.echo(f"head: {result.head_seq}:{result.head_hash}")
