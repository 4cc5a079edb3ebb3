"""``flask tenants export|import`` (a region's data as one archive) and
``flask publik apply-retention`` (citizens' contacts on closed complaints)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app import audit
from app.cli.tenants import tenants
from app.errors import DomainError
from app.extensions import db
from app.portability.archive import export_tenant
from app.portability.importer import import_archive
from app.portability.retention import apply_retention
from app.tenancy import all_tenants, tenant_scope
from app.tenancy.models import Tenant

publik_cli = AppGroup("publik", help="Citizens' pages: scheduled upkeep.")


def _tenant(slug: str) -> Tenant:
    with all_tenants("finding a tenant on the command line"):
        row = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if row is None:
        click.echo(f"No tenant {slug}.", err=True)
        raise SystemExit(1)
    return row


@tenants.command("export")
@click.argument("slug")
@click.argument("archive", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_command(slug: str, archive: Path) -> None:
    """Write SLUG's complete data (rows, files, audit chain) to the ZIP file ARCHIVE."""
    row = _tenant(slug)
    tenant_id = row.id
    partial = archive.with_name(archive.name + ".partial")
    with open(partial, "wb") as out:
        manifest = export_tenant(row, out)
    partial.replace(archive)
    with tenant_scope(row):
        audit.record("tenant.export", db.session.get(Tenant, tenant_id), before=None,
                     after={"row_count": sum(manifest["counts"].values()), "files": manifest["files"]})
        db.session.commit()
    chain = manifest["audit"]
    click.echo(f"exported {slug}: {sum(manifest['counts'].values())} rows in {len(manifest['counts'])} tables, "
               f"{manifest['files']} files, audit head {chain['head_seq']}:{chain['head_hash']}")
    if manifest["missing_files"]:
        click.echo(f"warning: {len(manifest['missing_files'])} files referenced by rows are missing from storage",
                   err=True)
    if not chain["ok"]:
        click.echo(f"warning: the audit chain does not verify: {chain['problem']}", err=True)


@tenants.command("import")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(archive: Path) -> None:
    """Restore a tenant from ARCHIVE into this database (which must not have it yet)."""
    try:
        row = import_archive(str(archive))
    except DomainError as exc:
        click.echo(f"refused: {exc.message}", err=True)
        raise SystemExit(1) from exc
    click.echo(f"imported {row.slug} ({row.name}); the audit chain verifies")


@publik_cli.command("apply-retention")
def apply_retention_command() -> None:
    """Blank contacts on complaints closed longer ago than each tenant's retention period."""
    with all_tenants("applying the contact retention of every tenant"):
        rows = db.session.scalars(select(Tenant).where(Tenant.active).order_by(Tenant.slug)).all()
    for row in rows:
        slug = row.slug
        count = apply_retention(row)
        click.echo(f"{slug}: {count} contacts blanked")
