"""``flask reminders send``: deadlines and waiting work, reminded once to each person."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.reminders import send_all

reminders_cli = AppGroup("reminders", help="Reminders of deadlines and waiting work.")


@reminders_cli.command("send")
@click.option("--slug", default=None, help="Only this tenant (default: every active tenant).")
def send_command(slug: str | None) -> None:
    """Send every reminder due today that was not sent before (run daily)."""
    outcomes = send_all(slug)
    if slug is not None and not outcomes:
        click.echo(f"No active tenant {slug}.", err=True)
        raise SystemExit(1)
    for outcome in outcomes:
        click.echo(f"{outcome.slug}: {outcome.sent} reminders sent ({outcome.due} due today)")
