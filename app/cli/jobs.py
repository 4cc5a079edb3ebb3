"""``flask jobs tick``: run every periodic task that is due (cron: every 5 minutes);
``flask jobs status``: when each last ran."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.scheduling.tick import TASKS, last_runs, tick

jobs_cli = AppGroup("jobs", help="Periodic tasks.")


@jobs_cli.command("tick")
def tick_command() -> None:
    """Run every periodic task that is due (webhook and SIASN retries, contact retention, reminders)."""
    ran = tick()
    for name, outcome in ran:
        click.echo(f"{name}: {outcome}")
    if not ran:
        click.echo("nothing due")


@jobs_cli.command("status")
def status_command() -> None:
    """When each periodic task last ran, and what it did."""
    runs = {row.name: row for row in last_runs()}
    for task in TASKS:
        row = runs.get(task.name)
        when = row.last_run_at.isoformat(timespec="seconds") + "Z" if row and row.last_run_at else "never"
        click.echo(f"{task.name} (every {task.every}): {when} {row.last_outcome if row else ''}".rstrip())
