"""One answer to "who is my team": ``hierarchy.team_of`` is the exact inverse
of ``hierarchy.supervisor_of``, in a number of queries that does not grow
with the team."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from app import models as m
from app.extensions import db
from app.org.hierarchy import MAX_CHAIN, supervisor_of, team_ids, team_of
from app.org.models import ActingAssignment, ActingKind, Employee, Position, PositionKind, Unit
from app.periods.models import Period, PeriodKind
from app.tenancy import tenant_scope
from tests.conftest import make_tenant

ON = date(2026, 5, 20)
STRUCTURAL = (PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS)
_NIPS = (f"1985{n:014d}" for n in range(1, 10**6))


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.unit = Unit(code="ORG", name="Organisasi Uji", kind="dinas")
        db.session.add(self.unit)
        self.positions: list[Position] = []
        self.people: list[Employee] = []

    def position(self, kind: PositionKind, boss: Position | None) -> Position:
        position = Position(code=f"P{len(self.positions)}", name=f"Jabatan {len(self.positions)}", kind=kind,
                            unit=self.unit, reports_to=boss)
        db.session.add(position)
        self.positions.append(position)
        return position

    def person(self, position: Position | None, active: bool = True) -> Employee:
        employee = Employee(nip=next(_NIPS), name=f"Pegawai {len(self.people):03d}", sex="L",
                            employee_type="PNS", position=position, active=active)
        db.session.add(employee)
        self.people.append(employee)
        return employee

    def acting(self, employee: Employee, position: Position, kind: ActingKind, starts_on: date,
               ends_on: date | None = None) -> None:
        db.session.add(ActingAssignment(employee=employee, position=position, kind=kind, starts_on=starts_on,
                                        ends_on=ends_on))


def _generate(rng: random.Random) -> _Builder:
    """A random organisation with every case the rule knows: vacant posts
    (alone and nested), a Plt in a vacant post, a Plh over a holder who is
    there, a Plt who acts in their own superior's post, two overlapping
    acting assignments, ended and future ones, two holders of one
    structural post, inactive people and a plan whose penilai the admin
    assigned."""
    b = _Builder(rng)
    top = b.position(PositionKind.JPT, None)
    b.person(top)
    levels = [[top]]
    for kind in STRUCTURAL[1:]:
        level = []
        for boss in levels[-1]:
            for _ in range(rng.randint(1, 3)):
                level.append(b.position(kind, boss))
        levels.append(level)
    # A second pengawas level under some pengawas posts: vacant chains can nest.
    levels[-1] += [b.position(PositionKind.PENGAWAS, rng.choice(levels[-1])) for _ in range(2)]
    structural = [p for level in levels[1:] for p in level]
    holders: dict[int, Employee] = {}
    for position in structural:
        if rng.random() < 0.3:
            continue  # vacant
        holders[id(position)] = b.person(position)
        if rng.random() < 0.08:
            b.person(position)  # data with two holders: the lowest id carries the post
    staff_posts = []
    for boss in structural:
        for _ in range(rng.randint(0, 2)):
            post = b.position(rng.choice((PositionKind.PELAKSANA, PositionKind.FUNGSIONAL)), boss)
            staff_posts.append(post)
            for _ in range(rng.randint(0, 4)):
                b.person(post, active=rng.random() > 0.1)
    b.person(None)  # not placed yet
    db.session.flush()
    held = [p for p in structural if id(p) in holders]
    vacant = [p for p in structural if id(p) not in holders]
    everyone = [e for e in b.people if e.active and e.position is not None]
    for position in vacant:
        if rng.random() < 0.5:  # Plt; otherwise left vacant and skipped
            b.acting(rng.choice(everyone), position, ActingKind.PLT, ON - timedelta(days=rng.randint(0, 90)))
    for position in rng.sample(held, k=min(3, len(held))):  # Plh over a present holder
        b.acting(rng.choice(everyone), position, ActingKind.PLH, ON - timedelta(days=rng.randint(0, 10)),
                 ON + timedelta(days=rng.randint(0, 10)))
    # Someone acting in their own superior's post.
    staff = [e for e in everyone if e.position.reports_to is not None and e.position.kind not in STRUCTURAL]
    if staff:
        acting = rng.choice(staff)
        b.acting(acting, acting.position.reports_to, ActingKind.PLH, ON - timedelta(days=2), ON)
    # Two acting assignments on one post: the latest start wins.
    if len(structural) > 2:
        post = rng.choice(structural)
        first, second = rng.sample(everyone, 2)
        b.acting(first, post, ActingKind.PLT, ON - timedelta(days=30))
        b.acting(second, post, ActingKind.PLT, ON - timedelta(days=5))
    # Ended and future assignments change nothing.
    b.acting(rng.choice(everyone), rng.choice(structural), ActingKind.PLH, ON - timedelta(days=40),
             ON - timedelta(days=1))
    b.acting(rng.choice(everyone), rng.choice(structural), ActingKind.PLT, ON + timedelta(days=1))
    # An inactive Plt does not act.
    leaver = b.person(rng.choice(staff_posts) if staff_posts else top, active=False)
    db.session.flush()
    b.acting(leaver, rng.choice(structural), ActingKind.PLT, ON - timedelta(days=3))
    # The admin assigns another penilai to one plan: that changes the plan, not the team.
    year = Period(year=ON.year, kind=PeriodKind.YEAR, sequence=1, starts_on=date(ON.year, 1, 1),
                  ends_on=date(ON.year, 12, 31))
    db.session.add(year)
    someone, other = rng.sample(everyone, 2)
    db.session.add(m.Plan(employee=someone, period=year, status=m.PlanStatus.DRAFT, assigned_penilai=other))
    db.session.flush()
    return b


@pytest.mark.parametrize("seed", range(10))
def test_team_of_is_exactly_the_inverse_of_supervisor_of(app, app_context, seed):
    tenant = make_tenant("kota-a")
    with tenant_scope(tenant):
        built = _generate(random.Random(seed))
        people = built.people
        supervisor = {e.id: (s.id if (s := supervisor_of(e, ON)) is not None else None)
                      for e in people if e.active}
        assert any(s is not None for s in supervisor.values())
        for candidate in people:
            expected = {e for e, s in supervisor.items() if s == candidate.id}
            assert team_ids(candidate, ON) == expected, (seed, candidate.name)
            team = team_of(candidate, ON)
            assert [e.id for e in team] == sorted(expected, key=lambda i: db.session.get(Employee, i).name)


def _count_queries(fn) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_fifty_more_team_members_add_no_query(app, app_context):
    tenant = make_tenant("kota-a")
    with tenant_scope(tenant):
        b = _Builder(random.Random(0))
        head = b.position(PositionKind.ADMINISTRATOR, None)
        kasi = b.position(PositionKind.PENGAWAS, head)
        vacant = b.position(PositionKind.PENGAWAS, kasi)  # nobody acts: its staff come up to the kasi
        staff, deeper = b.position(PositionKind.PELAKSANA, kasi), b.position(PositionKind.PELAKSANA, vacant)
        b.person(head)
        penilai = b.person(kasi)
        b.person(staff)
        b.person(deeper)
        db.session.commit()

        def team() -> None:
            db.session.expire_all()
            assert len(team_of(penilai, ON)) == len(team_ids(penilai, ON))

        before = _count_queries(team)
        for number in range(50):
            b.person(staff if number % 2 else deeper)
        db.session.commit()
        after = _count_queries(team)
        assert len(team_of(penilai, ON)) == 52
        assert after == before, (before, after)


def test_a_cycle_of_vacant_posts_in_the_data_ends(app, app_context):
    tenant = make_tenant("kota-a")
    with tenant_scope(tenant):
        b = _Builder(random.Random(0))
        held = b.position(PositionKind.PENGAWAS, None)
        vacant = b.position(PositionKind.PENGAWAS, held)
        staff = b.position(PositionKind.PELAKSANA, vacant)
        db.session.flush()
        held.reports_to = vacant  # a cycle slipped into the data
        boss, member = b.person(held), b.person(staff)
        db.session.flush()
        assert supervisor_of(member, ON) == boss and supervisor_of(boss, ON) is None
        assert team_of(boss, ON) == [member]
        assert MAX_CHAIN > 2
