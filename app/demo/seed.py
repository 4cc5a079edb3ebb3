"""``seed_all()``: demo data for every onboarded tenant (demo mode only).

For each active tenant without employees: its region's organisation
(``organisations.plan_for``) built through the same services the admin
screens call (``save_unit``, ``save_position``, ``save_employee``,
``assign_acting``, ``save_user``), so the data obeys the same rules; a Plt in
each vacant structural post; the demo accounts ``admin``, ``penilai``,
``atasan`` and ``pegawai``; the current year's periods per the rule set's
scheme; pangkat/golongan with TMT and history, jenjang, letterheads of the
OPD and the place of signing (``ranks``). Then a year in progress (``cycle.seed_cycle``): plans in every
state, realisations, evidence, feedback, final evaluations, an open
objection, training, notifications, survey responses and complaints, all
through the appraisal and public services, dated relative to today.

A tenant that already has employees keeps its organisation (only the current
year is opened if missing); one that already has plans keeps its year. So
running the seed again changes nothing. "Today" is each tenant's own day
(``tenant_today``); a ``today`` given to ``seed_all`` freezes the clock
there (``frozen_clock``), so the services and the demo agree on the day. Finally the platform account
``operator``. The demo accounts get ``DEMO_PASSWORD``; the other employees'
accounts have no password.

Random choices come from generators seeded with the tenant slug: the same
tenant gets the same people on every run, and the same year on the same day.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from app.auth.accounts import UserData, save_user
from app.auth.models import User
from app.auth.passwords import hash_password, password_problems
from app.demo import consultation, cycle, ranks
from app.demo.context import DemoSeedError
from app.demo.names import STYLES
from app.demo.organisations import OrgPlan, Post, UnitPlan, plan_for, position_code
from app.demo.people import PersonFactory
from app.errors import Invalid
from app.extensions import db
from app.org import hierarchy
from app.org.models import ActingAssignment, Employee, Position, Unit
from app.org.nip import EmployeeType
from app.org.services import (
    EmployeeData,
    PositionData,
    UnitData,
    assign_acting,
    save_employee,
    save_position,
    save_unit,
)
from app.periods.services import open_year, year_period
from app.tenancy import (
    TenantRef,
    all_tenants,
    frozen_clock,
    tenant_rules,
    tenant_scope,
    tenant_today,
)
from app.tenancy.models import Tenant

ACCOUNTS = ("admin", "penilai", "atasan", "pegawai")
OPERATOR = "operator"


@dataclass(frozen=True)
class TenantInfo:
    id: int
    slug: str
    rule_set_code: str
    active: bool

    @property
    def ref(self) -> TenantRef:
        return TenantRef(self.id, self.slug)


@dataclass
class TenantReport:
    slug: str
    seeded: bool
    units: int = 0
    positions: int = 0
    employees: int = 0
    pppk: int = 0
    accounts: int = 0
    acting: int = 0
    periods: str = ""
    cycle: str = ""
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        if not self.seeded and not self.cycle:
            text = f"{self.slug}: already seeded ({self.employees} employees), skipped"
        elif not self.seeded:
            text = f"{self.slug}: organisation already seeded ({self.employees} employees)"
        else:
            text = (f"{self.slug}: {self.units} units, {self.positions} positions, "
                    f"{self.employees} employees ({self.pppk} PPPK), {self.accounts} demo accounts, "
                    f"{self.acting} Plt")
        parts = [text] + ([self.periods] if self.periods else []) + ([self.cycle] if self.cycle else [])
        return "; ".join(parts + self.notes)


def seed_all(today: date | None = None, with_cycle: bool = True) -> Iterator[str]:
    """Seed every tenant; yields one progress line per tenant, then the operator.

    ``today`` (default: each tenant's today) is the day the year in progress
    is drawn up for; ``with_cycle=False`` seeds the organisations only. Raises
    ``DemoSeedError`` at once (not on first iteration) outside demo mode.
    """
    if not current_app.config.get("DEMO_MODE"):
        raise DemoSeedError("Demo data is only seeded in demo mode (KINERJA_DEMO=1).")
    password = current_app.config["DEMO_PASSWORD"]
    for username in (*ACCOUNTS, OPERATOR):
        if problems := password_problems(password, username):
            raise DemoSeedError(f"DEMO_PASSWORD is not acceptable for {username}: {' '.join(problems)}")
    return _seed_all(password, today, with_cycle)


def _seed_all(password: str, today: date | None, with_cycle: bool) -> Iterator[str]:
    with all_tenants("demo seed"):
        tenants = [TenantInfo(t.id, t.slug, t.rule_set_code, t.active)
                   for t in db.session.scalars(select(Tenant).order_by(Tenant.slug))]
    db.session.commit()
    for info in tenants:
        if not info.active:
            yield f"{info.slug}: inactive, skipped"
            continue
        # Yield outside the tenant scope: the caller must not run as the tenant.
        with frozen_clock(today) if today is not None else nullcontext():
            report = _seed_one(info, password, with_cycle)
        yield report.line()
    yield _seed_operator(password)


def _seed_one(info: TenantInfo, password: str, with_cycle: bool) -> TenantReport:
    with tenant_scope(info.ref):
        today = tenant_today()
        try:
            report = seed_tenant(info, password, today)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    # The year in progress runs in a request bound to the tenant (links, remote addresses).
    with cycle.tenant_request(info.ref):
        try:
            if with_cycle and not cycle.cycle_seeded():
                report.cycle = cycle.seed_cycle(today, random.Random(f"kinerja-demo-cycle:{info.slug}")).line()
                consultation.seed_consultation(today)  # regions that consult on criteria: one in progress
                db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return report


def _seed_operator(password: str) -> str:
    with all_tenants("demo seed"):
        operator = db.session.scalar(
            select(User).where(User.username == OPERATOR, User.tenant_id.is_(None)))
        if operator is not None:
            line = f"platform: account {OPERATOR} exists, unchanged"
            if not operator.password_hash:
                operator.password_hash = hash_password(password)
                line = f"platform: account {OPERATOR} given the demo password"
        else:
            db.session.add(User(username=OPERATOR, is_platform_operator=True,
                                password_hash=hash_password(password)))
            line = f"platform: account {OPERATOR} created"
        db.session.commit()
    return line


def seed_tenant(info: TenantInfo, password: str, today: date) -> TenantReport:
    """Seed the current tenant (run inside ``tenant_scope``) as of ``today``; the caller commits."""
    report = TenantReport(info.slug, seeded=False)
    existing = db.session.scalar(select(func.count(Employee.id)))
    if not existing:
        plan = plan_for(info.slug, info.rule_set_code)
        _build(plan, random.Random(f"kinerja-demo:{info.slug}"), password, today.year)
        # Pangkat/golongan, jenjang, letterheads and the place of signing (app.demo.ranks).
        ranks.dress_for_documents(list(db.session.scalars(select(Unit).order_by(Unit.id))),
                                  list(db.session.scalars(select(Position).order_by(Position.id))),
                                  list(db.session.scalars(select(Employee).order_by(Employee.id))), info.slug)
        db.session.flush()
        report.seeded = True
    report.periods, note = _open_current_year(today.year)
    if note:
        report.notes.append(note)
    _count(report)
    return report


def _open_current_year(year: int) -> tuple[str, str | None]:
    scheme = tenant_rules().rule_set.period_scheme
    was_open = year_period(year) is not None
    try:
        period = open_year(year, scheme)
    except Invalid as exc:
        return "", f"periods {year} not opened: {exc}"
    state = "already open" if was_open else "opened"
    return f"periods {year} {state} ({scheme.value}, {len(period.children)} sub-periods)", None


def _count(report: TenantReport) -> None:
    scalar = db.session.scalar
    report.units = scalar(select(func.count(Unit.id)))
    report.positions = scalar(select(func.count(Position.id)))
    report.employees = scalar(select(func.count(Employee.id)))
    report.pppk = scalar(select(func.count(Employee.id)).where(Employee.employee_type == EmployeeType.PPPK))
    report.accounts = scalar(select(func.count(User.id)).where(User.password_hash.is_not(None)))
    report.acting = scalar(select(func.count(ActingAssignment.id)))


# --- building one tenant's organisation ----------------------------------------------

@dataclass
class _Built:
    positions: dict[str, Position] = field(default_factory=dict)
    holders: dict[str, list[Employee]] = field(default_factory=dict)
    bosses: dict[str, str | None] = field(default_factory=dict)  # position code -> boss code
    posts: dict[str, Post] = field(default_factory=dict)


def _build(plan: OrgPlan, rng: random.Random, password: str, year: int) -> None:
    people = PersonFactory(rng, STYLES[plan.names])
    built = _Built()
    units: dict[str, Unit] = {}
    for unit_plan in plan.units:
        parent = units.get(unit_plan.parent) if unit_plan.parent else None
        if unit_plan.parent and parent is None:
            raise DemoSeedError(f"unit {unit_plan.code}: parent {unit_plan.parent} comes later or is missing")
        unit = save_unit(UnitData(unit_plan.code, unit_plan.name, unit_plan.kind.value,
                                  parent.id if parent else None))
        db.session.flush()
        units[unit_plan.code] = unit
        _build_positions(unit_plan, unit, people, built)
    _assign_plt(built, date(year, 1, 1))
    _create_accounts(built, password)


def _build_positions(unit_plan: UnitPlan, unit: Unit, people: PersonFactory, built: _Built) -> None:
    for post, boss in unit_plan.head.walk():
        code = position_code(unit_plan, post)
        boss_code = position_code(unit_plan, boss) if boss else unit_plan.reports_to
        if boss_code is not None and boss_code not in built.positions:
            raise DemoSeedError(f"position {code}: reports to {boss_code}, which comes later or is missing")
        position = save_position(PositionData(
            code, post.name, post.kind.value, unit.id,
            built.positions[boss_code].id if boss_code else None))
        db.session.flush()
        built.positions[code], built.bosses[code], built.posts[code] = position, boss_code, post
        built.holders[code] = []
        for index in range(post.holders):
            kind = EmployeeType.PPPK if index >= post.holders - post.pppk else EmployeeType.PNS
            person = people.make(post, kind)
            employee = save_employee(EmployeeData(person.nip, person.name, person.sex.value,
                                                  person.employee_type.value, position.id))
            db.session.flush()
            built.holders[code].append(employee)


def _assign_plt(built: _Built, starts_on: date) -> None:
    """A Plt for every vacant structural post from ``starts_on``: a sibling section head, else the boss."""
    number = 0
    for code, post in built.posts.items():
        if not post.vacant:
            continue
        boss_code = built.bosses[code]
        if boss_code is None:
            raise DemoSeedError(f"vacant position {code} has no superior to find a Plt")
        siblings = [c for c, b in built.bosses.items()
                    if b == boss_code and c != code and built.posts[c].kind.single_holder
                    and built.holders[c]]
        siblings.sort(key=lambda c: built.posts[c].role is not None)  # spare the demo penilai
        acting_code = siblings[0] if siblings else boss_code
        if not built.holders[acting_code]:
            raise DemoSeedError(f"nobody to act in vacant position {code}")
        number += 1
        assign_acting(built.positions[code], built.holders[acting_code][0].nip, "plt",
                      starts_on.isoformat(), None,
                      f"800.1.3.3/{number:03d}/BKPSDM/{starts_on.year}")
    db.session.flush()


def _find_penilai(built: _Built) -> str:
    marked = [code for code, post in built.posts.items() if post.role == "penilai"]
    if len(marked) != 1:
        raise DemoSeedError(f"a demo plan needs exactly one penilai post, found {len(marked)}")
    return marked[0]


def _create_accounts(built: _Built, password: str) -> None:
    penilai_code = _find_penilai(built)
    atasan_code = built.bosses[penilai_code]
    team = [c for c, b in built.bosses.items() if b == penilai_code and built.holders[c]
            and not built.posts[c].kind.single_holder]
    if atasan_code is None or not built.holders[atasan_code] or not team \
            or not built.holders[penilai_code]:
        raise DemoSeedError(f"penilai post {penilai_code} needs a held superior post and a team")
    penilai = built.holders[penilai_code][0]
    atasan = built.holders[atasan_code][0]
    pegawai = built.holders[team[0]][0]
    # The accounts must mean what the README says: check with the real rule.
    if hierarchy.supervisor_of(pegawai) != penilai or hierarchy.supervisor_of(penilai) != atasan:
        raise DemoSeedError(f"the demo chain around {penilai_code} does not hold")
    for username, employee, is_admin in (("admin", None, True), ("penilai", penilai, False),
                                         ("atasan", atasan, False), ("pegawai", pegawai, False)):
        user = db.session.scalar(select(User).where(User.username == username))
        save_user(UserData(username, employee.nip if employee else None, is_admin, password), user)
    db.session.flush()
