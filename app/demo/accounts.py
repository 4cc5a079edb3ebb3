"""Accounts for the demo year: one per active employee (no password: only
the four demo accounts sign in), so that every transition is taken by the
person the rules name."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from app import audit
from app.auth.accounts import UserData, save_user
from app.auth.models import User
from app.demo.context import DemoSeedError, DemoYear
from app.extensions import db
from app.org.models import Employee


def username_for(name: str, taken: set[str]) -> str:
    """``budi.santoso`` from "Drs. Budi Santoso, M.Si." (titles dropped), unique in ``taken``."""
    words = []
    for word in name.split(",")[0].split():
        if word.endswith("."):
            continue  # dr., Drs., Ir., H.
        plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
        plain = re.sub(r"[^a-z]", "", plain)
        if plain:
            words.append(plain)
    base = ".".join([words[0], words[-1]] if len(words) > 1 else words or ["pegawai"])[:70]
    candidate, number = base, 1
    while candidate in taken or len(candidate) < 3:
        number += 1
        candidate = f"{base}{number}"
    taken.add(candidate)
    return candidate


def open_accounts(seed: DemoYear) -> None:
    """One account per active employee; the demo accounts keep theirs."""
    users = list(db.session.scalars(select(User)))
    taken = {u.username for u in users}
    seed.users = {u.employee_id: u for u in users if u.employee_id is not None and u.active}
    seed.admin = next(u for u in users if u.username == "admin")
    with audit.acting_as(seed.admin):
        for employee in db.session.scalars(select(Employee).where(Employee.active).order_by(Employee.id)):
            if employee.id not in seed.users:
                seed.users[employee.id] = save_user(UserData(username_for(employee.name, taken), employee.nip))


def account_employee(username: str) -> Employee:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or user.employee is None:
        raise DemoSeedError(f"demo account {username} is missing or has no employee")
    return user.employee
