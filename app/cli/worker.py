"""``flask worker``: the job queue's worker (which also keeps the periodic tick
scheduled: ``app.scheduling.queue``); ``flask webhooks retry-due``."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from app import jobs


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop (instead of waiting for more).")
@with_appcontext
def worker(burst: bool) -> None:
    """Run background jobs from the Redis queue (needs REDIS_URL)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without it jobs run inside the web process.")
    from rq import Worker

    from app.scheduling.queue import schedule_next

    jobs.forget_connections_after_fork(app)
    queue = jobs.queue(app)
    if not burst and schedule_next(app, timedelta(0)):
        click.echo("Scheduled the periodic tick (flask jobs tick) on the queue")
    click.echo(f"Working on queue {queue.name!r}")
    # The scheduler moves scheduled jobs (the next tick) onto the queue when due.
    Worker([queue], connection=queue.connection).work(burst=burst, with_scheduler=True)


@click.group("webhooks")
def webhooks_cli() -> None:
    """Webhook deliveries."""


@webhooks_cli.command("retry-due")
@with_appcontext
def retry_due() -> None:
    """Submit every delivery whose next attempt is due (run this every minute)."""
    from app.webhooks.delivery import retry_due as submit_due

    click.echo(f"{submit_due()} deliveries submitted")
