"""``flask worker``: the job queue's worker; ``flask webhooks retry-due``."""

from __future__ import annotations

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

    jobs.forget_connections_after_fork(app)
    queue = jobs.queue(app)
    click.echo(f"Working on queue {queue.name!r}")
    Worker([queue], connection=queue.connection).work(burst=burst)


@click.group("webhooks")
def webhooks_cli() -> None:
    """Webhook deliveries."""


@webhooks_cli.command("retry-due")
@with_appcontext
def retry_due() -> None:
    """Submit every delivery whose next attempt is due (run this every minute)."""
    from app.webhooks.delivery import retry_due as submit_due

    click.echo(f"{submit_due()} deliveries submitted")
