"""``flask tenants onboard FILE…`` and ``flask tenants list``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.errors import Invalid
from app.extensions import db
from app.org.models import Employee
from app.platform.services import load_spec, onboard
from app.tenancy import all_tenants
from app.tenancy.models import Tenant

tenants = AppGroup("tenants", help="Onboard and list regions (tenants).")


@tenants.command("onboard")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def onboard_command(files: tuple[Path, ...]) -> None:
    """Create or update tenants from onboarding files (idempotent)."""
    failed = False
    for path in files:
        try:
            tenant, created = onboard(load_spec(path))
        except Invalid as exc:
            db.session.rollback()
            click.echo(f"{path}: {exc.field}: {exc.message}", err=True)
            failed = True
            continue
        click.echo(f"{'created' if created else 'updated'} {tenant.slug} ({tenant.name}, rule set {tenant.rule_set_code})")
    if failed:
        raise SystemExit(1)


@tenants.command("list")
def list_command() -> None:
    """Every tenant with its rule set and number of active employees."""
    with all_tenants("listing tenants on the command line"):
        counts = dict(db.session.execute(
            select(Employee.tenant_id, func.count()).where(Employee.active).group_by(Employee.tenant_id)).all())
        rows = db.session.scalars(select(Tenant).order_by(Tenant.slug)).all()
    click.echo(f"{'slug':<16} {'rule set':<14} {'employees':>9}  {'active':<6} name")
    for t in rows:
        click.echo(f"{t.slug:<16} {t.rule_set_code:<14} {counts.get(t.id, 0):>9}  {'yes' if t.active else 'no':<6} {t.name}")
