"""``flask accounts …``: first passwords and platform operators, without defaults.

Outside demo mode no account has a password until someone sets one here or
in the web screens; the password is read from a hidden prompt (or stdin),
never from the command line where it would land in shell history.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.auth.models import User
from app.auth.passwords import password_problems
from app.auth.services import set_password
from app.extensions import db
from app.tenancy import all_tenants, tenant_scope
from app.tenancy.models import Tenant

accounts = AppGroup("accounts", help="Set passwords and create platform operators.")


def _checked(username: str, password: str) -> str:
    problems = password_problems(password, username)
    if problems:
        raise click.ClickException(" ".join(problems))
    return password


@accounts.command("set-password")
@click.argument("realm")
@click.argument("username")
@click.password_option(prompt="New password")
def set_password_command(realm: str, username: str, password: str) -> None:
    """Set USERNAME's password in REALM (a tenant slug, or 'platform')."""
    _checked(username, password)
    if realm == "platform":
        with all_tenants("setting a platform operator's password"):
            user = db.session.scalar(select(User).where(User.username == username, User.tenant_id.is_(None)))
            if user is None:
                raise click.ClickException(f"No platform operator named {username}.")
            set_password(user, password)
            db.session.commit()
    else:
        with all_tenants("finding the tenant"):
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == realm))
        if tenant is None:
            raise click.ClickException(f"No tenant {realm}.")
        with tenant_scope(tenant):
            user = db.session.scalar(select(User).where(User.username == username))
            if user is None:
                raise click.ClickException(f"No account {username} in {realm}.")
            set_password(user, password)
            db.session.commit()
    click.echo(f"Password set for {username} ({realm}); the account's other sessions were ended.")


@accounts.command("create-operator")
@click.argument("username")
@click.password_option(prompt="Password")
def create_operator_command(username: str, password: str) -> None:
    """Create a platform operator (or reset an existing one's password)."""
    username = username.strip().lower()
    _checked(username, password)
    with all_tenants("creating a platform operator"):
        user = db.session.scalar(select(User).where(User.username == username, User.tenant_id.is_(None)))
        created = user is None
        if created:
            user = User(username=username, is_platform_operator=True)
            db.session.add(user)
        set_password(user, password)
        db.session.commit()
    click.echo(f"{'Created' if created else 'Updated'} platform operator {username}.")
