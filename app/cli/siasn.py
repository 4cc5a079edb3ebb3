"""``flask siasn kirim <slug> --as <admin>``: queue every final evaluation that is ready
for SIASN, and the failed ones whose backoff is over (run it from cron for the retries)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.auth.models import User
from app.errors import DomainError
from app.extensions import db
from app.siasn import sender
from app.tenancy import all_tenants, tenant_scope
from app.tenancy.models import Tenant

siasn_cli = AppGroup("siasn", help="The SIASN export of a tenant.")


@siasn_cli.command("kirim")
@click.argument("slug")
@click.option("--as", "username", required=True, help="The admin instansi the documents are issued by.")
@click.option("--period", "period_id", type=int, help="Only this period (id).")
def send_command(slug: str, username: str, period_id: int | None) -> None:
    """Queue SLUG's final evaluations that are ready (and failures now due) for SIASN."""
    with all_tenants("finding the tenant of a SIASN send"):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug, Tenant.active))
    if tenant is None:
        raise click.ClickException(f"No active tenant {slug}.")
    with tenant_scope(tenant):
        user = db.session.scalar(select(User).where(User.username == username, User.active))
        if user is None:
            raise click.ClickException(f"No active account {username} in {slug}.")
        try:
            count = sender.queue_ready(user, period_id)
        except DomainError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc.message)) from None
        db.session.commit()
    click.echo(f"{count} evaluation(s) of {slug} queued for SIASN.")
