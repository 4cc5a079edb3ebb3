"""Whom a token acts for when a service's rule asks for a person.

The realisation rules are written for the pegawai: only the plan's owner
records realisation, only once the plan is agreed, only while the period is
open. An attendance or e-office system writing with a token records it *for*
the owner: ``OnBehalfOf`` is the owner as those rules see them (their
employee, their account when they have one), so every rule applies unchanged
while the audit entry names the token (``app.api.writes``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db


@dataclass(frozen=True)
class OnBehalfOf:
    employee_id: int
    id: int | None  # the owner's account (evidence they may remove later), if any
    is_authenticated: bool = True


def owner_of(employee_id: int) -> OnBehalfOf:
    account = db.session.scalar(select(User.id).where(User.employee_id == employee_id, User.active)
                                .order_by(User.id).limit(1))
    return OnBehalfOf(employee_id, account)
