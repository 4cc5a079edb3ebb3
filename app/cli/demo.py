"""``flask demo seed``: realistic demo data (demo mode only)."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.demo.seed import seed_all

demo = AppGroup("demo", help="Demo data (needs KINERJA_DEMO=1).")


@demo.command("seed")
def seed_command() -> None:
    """Seed every onboarded tenant with a demo organisation and accounts."""
    if not current_app.config["DEMO_MODE"]:
        raise click.ClickException("Demo data is only seeded in demo mode (KINERJA_DEMO=1).")
    for line in seed_all():
        click.echo(line)
