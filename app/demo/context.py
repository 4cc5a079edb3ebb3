"""What every step of the demo year shares: the tenant, its rules, the day,
the random generator, the accounts, and the report of what was made."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from app.auth.models import User
from app.org.models import Employee
from app.periods.models import Period
from app.regions.manager import RuleSetRuntime
from app.skp.planning.models import Plan
from app.tenancy.models import Tenant


class DemoSeedError(RuntimeError):
    """The demo seed cannot run, or the demo contradicts the rules (a service refused a step)."""


@dataclass
class CycleReport:
    history_year: int = 0
    plans: Counter = field(default_factory=Counter)
    realisations: int = 0
    evidence: int = 0
    finals: int = 0
    objections: int = 0
    training: int = 0
    notifications: int = 0
    surveys: int = 0
    complaints: int = 0
    follow_ups: int = 0

    def line(self) -> str:
        states = ", ".join(f"{n} {s}" for s, n in sorted(self.plans.items()))
        return (f"year {self.history_year} worked through: plans ({states}), {self.realisations} realisations, "
                f"{self.evidence} evidence, {self.finals} final evaluations, {self.objections} open objection, "
                f"{self.training} training records, {self.notifications} notifications, "
                f"{self.surveys} survey responses, {self.complaints} complaints, {self.follow_ups} follow-ups")


@dataclass
class DemoYear:
    """One tenant's demo year in the making."""

    tenant: Tenant
    today: date
    rng: random.Random
    runtime: RuleSetRuntime
    report: CycleReport = field(default_factory=CycleReport)
    users: dict[int, User] = field(default_factory=dict)  # employee id → account
    admin: User | None = None

    @property
    def rule_set(self):
        return self.runtime.rule_set

    def user(self, employee: Employee) -> User:
        return self.users[employee.id]


@dataclass
class Member:
    """One person of the demo team and the part they play."""

    employee: Employee
    user: User
    role: str  # pegawai | objector | draft | submitted | agreed | head
    factor: float  # how well they perform (1.0: on target)
    plan: Plan | None = None


def sub_periods(year: Period) -> list[Period]:
    """A year's sub-periods in order (the year itself when it has none)."""
    children = sorted(year.children, key=lambda p: p.starts_on)
    return children or [year]
