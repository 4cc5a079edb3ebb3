"""Command line: ``flask tenants …``, ``flask demo …``, ``flask regions …``, ``flask documents …``."""

from flask import Flask

from app.cli.accounts import accounts
from app.cli.audit import audit_cli
from app.cli.demo import demo
from app.cli.documents import documents
from app.cli.jobs import jobs_cli
from app.cli.regions import regions_cli
from app.cli.reminders import reminders_cli
from app.cli.siasn import siasn_cli
from app.cli.tenants import tenants
from app.cli.tenants_data import publik_cli  # also adds `tenants export|import`
from app.cli.tokens import tokens_cli
from app.cli.worker import webhooks_cli, worker


def register_commands(app: Flask) -> None:
    app.cli.add_command(tenants)
    app.cli.add_command(accounts)
    app.cli.add_command(audit_cli)
    app.cli.add_command(demo)
    app.cli.add_command(regions_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(worker)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(webhooks_cli)
    app.cli.add_command(siasn_cli)
    app.cli.add_command(documents)
    app.cli.add_command(publik_cli)
