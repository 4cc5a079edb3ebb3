"""``flask documents signing-key SLUG FILE.p12 [--passphrase-env VAR]`` and
``flask documents signing-key SLUG --remove``: the tenant's PAdES certificate.

The passphrase is read from the environment variable named by
``--passphrase-env`` or from a hidden prompt — never from the command line,
where it would land in shell history. The certificate must load before it is
stored; the change is audited (that a certificate was set or removed, never
the file or passphrase).
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app import audit
from app.errors import Invalid
from app.extensions import db
from app.reports import signing
from app.tenancy import all_tenants, tenant_scope
from app.tenancy.models import Tenant

documents = AppGroup("documents", help="Issued documents: the tenant's signing certificate.")


def _tenant(slug: str) -> Tenant:
    with all_tenants("finding the tenant"):
        row = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if row is None:
        raise click.ClickException(f"No tenant {slug}.")
    return row


@documents.command("signing-key")
@click.argument("slug")
@click.argument("pkcs12", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--passphrase-env", metavar="VAR", help="Read the PKCS#12 passphrase from this environment variable.")
@click.option("--remove", is_flag=True, help="Remove the tenant's signing certificate.")
def signing_key_command(slug: str, pkcs12: Path | None, passphrase_env: str | None, remove: bool) -> None:
    """Set (or --remove) the PKCS#12 certificate SLUG's documents are signed with."""
    if remove == (pkcs12 is not None):
        raise click.UsageError("Give either a PKCS#12 file or --remove.")
    row = _tenant(slug)
    with tenant_scope(row):
        before = {"signing_certificate": bool(row.signing_key)}
        if remove:
            if not signing.remove_signing_key(row):
                click.echo(f"{slug} has no signing certificate.")
                return
        else:
            if passphrase_env:
                passphrase = os.environ.get(passphrase_env)
                if passphrase is None:
                    raise click.ClickException(f"Environment variable {passphrase_env} is not set.")
            else:
                passphrase = click.prompt("PKCS#12 passphrase", hide_input=True, default="", show_default=False)
            try:
                signing.store_signing_key(row, pkcs12.read_bytes(), passphrase)
            except Invalid as exc:
                db.session.rollback()
                raise click.ClickException(str(exc.message)) from exc
        audit.record("tenant.signing_key", row, before, {"signing_certificate": not remove})
        db.session.commit()
    click.echo(f"Signing certificate {'removed from' if remove else 'set for'} {slug}.")
