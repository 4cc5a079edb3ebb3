"""Plans of the demo year: the demo chain's (atasan → penilai → the team with
``pegawai``) worked out in full, and everyone else's in a state drawn by
weight — written, submitted, agreed or returned through the planning
services by the people the rules name."""

from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.demo import texts
from app.demo.accounts import account_employee
from app.demo.context import DemoSeedError, DemoYear, Member
from app.extensions import db
from app.org.hierarchy import supervisor_of, team_of
from app.org.models import Employee
from app.periods.models import Period
from app.regions.types import Direction, Indicator
from app.skp.planning import services as planning
from app.skp.planning.access import penilai_of
from app.skp.planning.indicators import accumulates
from app.skp.planning.models import Plan, ResultKind

# Share of the organisation (outside the demo chain) in each plan state.
STATE_WEIGHTS = (("agreed", 55), ("submitted", 15), ("returned", 10), ("draft", 12), ("none", 8))


def demo_chain(seed: DemoYear) -> dict:
    pegawai = account_employee("pegawai")
    penilai = account_employee("penilai")
    atasan = account_employee("atasan")
    others = sorted((e for e in team_of(penilai) if e.id != pegawai.id), key=lambda e: e.id)
    roles = ["objector", "draft", "submitted"] if len(others) >= 3 else ["objector", "submitted"]
    team = [Member(pegawai, seed.user(pegawai), "pegawai", 1.03)]
    for employee, role in zip(others, roles, strict=False):
        factor = {"objector": 0.88, "draft": 1.0}.get(role, 1.0) + seed.rng.uniform(-0.02, 0.02)
        team.append(Member(employee, seed.user(employee), role, factor))
    for employee in others[len(roles):]:
        team.append(Member(employee, seed.user(employee), "agreed", 1.0 + seed.rng.uniform(-0.05, 0.05)))
    kadis = supervisor_of(atasan)
    return {"pegawai": pegawai, "penilai": penilai, "atasan": atasan, "kadis": kadis, "team": team,
            "all": [pegawai, penilai, atasan, *others]}


def demo_plans(seed: DemoYear, chain: dict, year: Period) -> None:
    """The atasan's and penilai's plans agreed, then the team's (supporting the penilai's RHK)."""
    atasan_plan = _write(seed, chain["atasan"], year)
    _move(seed, atasan_plan, "agreed" if chain["kadis"] is not None else "submitted")
    penilai_plan = _write(seed, chain["penilai"], year, supports=atasan_plan)
    _move(seed, penilai_plan, "agreed")
    for member in chain["team"]:
        demo = member.role == "pegawai"
        plan = _write(seed, member.employee, year, demo=demo, supports=penilai_plan)
        state = "submitted" if member.role == "submitted" and year.year == seed.today.year else "agreed"
        _move(seed, plan, state, _expectations(seed, plan) if demo else None)
        member.plan = plan


def demo_plans_this_year(seed: DemoYear, chain: dict, year: Period) -> None:
    """Early in the year: this year's plans of the demo chain; the pegawai copies last year's."""
    atasan_plan = _write(seed, chain["atasan"], year)
    _move(seed, atasan_plan, "agreed" if chain["kadis"] is not None else "submitted")
    penilai_plan = _write(seed, chain["penilai"], year)
    _move(seed, penilai_plan, "agreed")
    for member in chain["team"]:
        demo = member.role == "pegawai"
        plan = _write(seed, member.employee, year, demo=demo, copy=demo)
        state = {"pegawai": "agreed", "submitted": "submitted", "objector": "returned"}.get(member.role, "draft")
        _move(seed, plan, state, _expectations(seed, plan) if demo else None)


def organisation_plans(seed: DemoYear, year: Period, skip: set[int], agreed: set[int] = frozenset()) -> None:
    """Everyone else: a plan in a state drawn by weight (``agreed``: agreed);
    every state at least once."""
    people = [e for e in db.session.scalars(select(Employee).where(Employee.active).order_by(Employee.id))
              if e.id not in skip]
    states, weights = zip(*STATE_WEIGHTS, strict=True)
    drawn = [seed.rng.choices(states, weights)[0] for _ in people]
    drawn = ["agreed" if e.id in agreed else state for e, state in zip(people, drawn, strict=True)]
    has_boss = [supervisor_of(e) is not None for e in people]
    for state in ("returned", "draft", "submitted"):
        if state not in drawn:
            index = next(i for i, ok in enumerate(has_boss) if ok and drawn[i] == "agreed")
            drawn[index] = state
    for employee, state, ok in zip(people, drawn, has_boss, strict=True):
        if state == "none":
            continue
        if not ok:
            state = "draft"  # the top of the organisation has no pejabat penilai
        plan = _write(seed, employee, year, empty=state == "draft" and seed.rng.random() < 0.4)
        _move(seed, plan, state)


def _ranked_library(seed: DemoYear, employee: Employee) -> list[Indicator]:
    """The region's indicators for the employee's unit: its sector's first,
    then region-specific ones, then the national general ones."""
    unit = employee.position.unit if employee.position is not None else None
    own, _rest = planning.library_for(unit, seed.rule_set)
    return sorted(own, key=lambda i: (i.sector == "umum", i.code.startswith("UMUM-")))


def _target(seed: DemoYear, indicator: Indicator, scale: bool) -> tuple[float, float]:
    target = indicator.target
    lower, upper = (target.lower, target.upper) if target is not None else (100.0, 100.0)
    if scale and accumulates(indicator.aspect.value, indicator.unit) and lower == upper:
        value = lower * seed.rng.choice((0.8, 1.0, 1.0, 1.2))
        step = 10 if value >= 100 else 1
        lower = upper = max(step, round(value / step) * step)
    return float(lower), float(upper)


def _contents(seed: DemoYear, employee: Employee, demo: bool) -> list[tuple[ResultKind, str, Indicator]]:
    ranked = _ranked_library(seed, employee)
    if demo:
        chosen = ranked[:3]
        if not any(_is_range_or_lower(i) for i in chosen):
            chosen.append(next(i for i in ranked if _is_range_or_lower(i)))
    else:
        chosen = ranked[:1] + seed.rng.sample(ranked[1:], k=min(1, len(ranked[1:])))
    rows = [(ResultKind.UTAMA, texts.RHK_FOR_INDICATOR.get(i.code, f"Tercapainya {i.name[0].lower()}{i.name[1:]}"),
             i) for i in chosen]
    extra = [i for i in ranked if i not in chosen and i.code.startswith("UMUM-")]
    if demo and extra:
        rows.append((ResultKind.TAMBAHAN, seed.rng.choice(texts.TAMBAHAN_RHK), extra[0]))
    return rows


def _write(seed: DemoYear, employee: Employee, year: Period, *, demo: bool = False, supports: Plan | None = None,
           copy: bool = False, empty: bool = False) -> Plan:
    owner = seed.user(employee)
    with audit.acting_as(owner):
        plan = planning.create_plan(owner, year, copy_last_year=copy)
        if not copy and not empty:
            parents = [r.id for r in supports.results if r.kind is ResultKind.UTAMA] if supports else []
            for index, (kind, description, indicator) in enumerate(_contents(seed, employee, demo)):
                link = parents[index % len(parents)] if parents and kind is ResultKind.UTAMA else None
                result = planning.add_result(owner, plan, None, planning.ResultData(kind.value, description, link))
                lower, upper = _target(seed, indicator, scale=not demo)
                planning.add_indicator(owner, result, None, planning.IndicatorData(
                    indicator.code, "", "", "", "", lower, upper))
        if demo:
            planning.update_attachments(owner, plan, None, texts.RESOURCES, texts.ACCOUNTABILITY,
                                        texts.CONSEQUENCES)
    return plan


def _reviewer(seed: DemoYear, plan: Plan) -> User:
    penilai = penilai_of(plan)
    if penilai is None:
        raise DemoSeedError(f"plan #{plan.id} has no pejabat penilai")
    return seed.user(penilai)


def _move(seed: DemoYear, plan: Plan, state: str, expectations: dict[int, str] | None = None) -> None:
    """Take a written plan to ``state`` through submit / agree / return."""
    if state in ("draft", "none"):
        return
    owner = seed.user(plan.employee)
    with audit.acting_as(owner):
        planning.submit(owner, plan, None)
    if state == "submitted":
        return
    reviewer = _reviewer(seed, plan)
    with audit.acting_as(reviewer):
        if state == "agreed":
            planning.agree(reviewer, plan, None, expectations or {})
        elif state == "returned":
            planning.return_plan(reviewer, plan, None, seed.rng.choice(texts.RETURN_NOTES), {})
        else:
            raise DemoSeedError(f"unknown plan state {state}")


def _expectations(seed: DemoYear, plan: Plan) -> dict[int, str]:
    return {b.id: texts.EXPECTATIONS[b.behaviour_code] for b in plan.behaviours
            if b.behaviour_code in texts.EXPECTATIONS}


def _is_range_or_lower(indicator: Indicator) -> bool:
    target = indicator.target
    return indicator.direction is Direction.LOWER_IS_BETTER or (target is not None and target.lower != target.upper)
