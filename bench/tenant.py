"""A generated tenant for `make bench`: a realistic hierarchy built with bulk inserts.

Each OPD (a dinas) has a kepala dinas, four kepala bidang (each with a bidang
unit) and under each kabid four kepala seksi, each heading a team of 5–15
pelaksana; OPDs are added until the tenant has the asked number of employees.
Everyone has a plan for the current year (70% agreed, the rest submitted, draft
or returned) with two results of one indicator each; agreed plans have a
realisation per quarter up to the current one, a pending link as evidence in
the current quarter, final evaluations for the past quarters and a draft for
the current one. Four people sign in: ``admin`` (made by onboarding),
``atasan`` (the first kabid), ``penilai`` (the first kasi, whose team holds
``pegawai``).

Benchmark rows need distinct NIPs and a working organisation chart, not valid
NIP dates: they bypass the form rules, so that 10,000 employees take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import create_engine, insert, pool, select, text

from app.auth.accounts import UserData, save_user
from app.auth.models import User
from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.periods.models import Period, PeriodKind
from app.platform.services import TenantSpec, onboard
from app.skp.evaluation.models import Evaluation
from app.skp.evaluation.staleness import refresh_drafts
from app.skp.planning.models import Plan, PlanIndicator, PlanResult
from app.skp.realisation.models import Evidence, Realisation
from app.tenancy import tenant_scope
from app.tenancy.current import tenant_today
from app.tenancy.models import Tenant

PASSWORD = "Bench-Sandi-2026"  # noqa: S105 - throw-away database
KABID_PER_OPD, KASI_PER_KABID = 4, 4
PLAN_STATES = ("agreed",) * 7 + ("submitted", "draft", "returned")
PREDIKAT = (("baik", "Baik"), ("baik", "Baik"), ("sangat_baik", "Sangat Baik"), ("butuh_perbaikan", "Butuh Perbaikan"))


@dataclass
class Built:
    slug: str
    employees: int
    plan_id: int  # the pegawai's plan
    evaluation_id: int  # the pegawai's draft evaluation of the current quarter


def _ids(model, column, prefix: str) -> dict[str, int]:
    return dict(db.session.execute(select(column, model.id).where(column.startswith(prefix))).all())


def _org(tenant_id: int, size: int) -> list[tuple[str, int]]:
    """Units and positions; answers (position code, team size marker) in hierarchy order."""
    opds, positions, count, o = [], [], 0, 0
    while count < size:
        opds.append(o)
        kadis = (f"K{o}", "jpt", None, f"OPD{o}")
        positions.append(kadis)
        count += 1
        for b in range(KABID_PER_OPD):
            positions.append((f"B{o}.{b}", "administrator", f"K{o}", f"OPD{o}.{b}"))
            count += 1
            for s in range(KASI_PER_KABID):
                positions.append((f"S{o}.{b}.{s}", "pengawas", f"B{o}.{b}", f"OPD{o}.{b}"))
                team = 5 + (o * 16 + b * 4 + s) % 11  # 5..15
                positions.extend((f"T{o}.{b}.{s}.{k}", "pelaksana", f"S{o}.{b}.{s}", f"OPD{o}.{b}")
                                 for k in range(team))
                count += 1 + team
        o += 1
    positions = positions[:size]
    db.session.execute(insert(Unit), [{"tenant_id": tenant_id, "code": f"OPD{o}", "name": f"Dinas {o:03d}",
                                       "kind": "dinas", "active": True, "version": 1} for o in opds])
    units = _ids(Unit, Unit.code, "OPD")
    db.session.execute(insert(Unit), [
        {"tenant_id": tenant_id, "code": f"OPD{o}.{b}", "name": f"Bidang {o:03d}.{b}", "kind": "bidang",
         "parent_id": units[f"OPD{o}"], "active": True, "version": 1}
        for o in opds for b in range(KABID_PER_OPD)])
    units = _ids(Unit, Unit.code, "OPD")
    names = {"jpt": "Kepala Dinas", "administrator": "Kepala Bidang", "pengawas": "Kepala Seksi",
             "pelaksana": "Pengadministrasi Umum"}
    codes: dict[str, int] = {}
    for level in ("jpt", "administrator", "pengawas", "pelaksana"):
        rows = [{"tenant_id": tenant_id, "code": code, "name": f"{names[kind]} {code}", "kind": kind,
                 "unit_id": units[unit], "reports_to_id": codes.get(boss) if boss else None,
                 "active": True, "version": 1}
                for code, kind, boss, unit in positions if kind == level]
        if rows:
            db.session.execute(insert(Position), rows)
            codes.update(dict(db.session.execute(select(Position.code, Position.id)).all()))
    return [(code, codes[code]) for code, *_ in positions]


def _periods(year: int) -> tuple[Period, list[Period]]:
    year_period = Period(year=year, kind=PeriodKind.YEAR, sequence=1, starts_on=date(year, 1, 1),
                         ends_on=date(year, 12, 31))
    quarters = [Period(year=year, kind=PeriodKind.QUARTER, sequence=q, parent=year_period,
                       starts_on=date(year, 3 * q - 2, 1), ends_on=date(year, 3 * q, 31 if q in (1, 4) else 30))
                for q in range(1, 5)]
    db.session.add_all([year_period, *quarters])
    db.session.flush()
    return year_period, quarters


def build(slug: str, size: int) -> Built:
    """The tenant ``slug`` with ``size`` employees; reused when it already exists."""
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        tenant, _ = onboard(TenantSpec(slug=slug, name=f"Kota Bench {size}", level="kota", province="Bench",
                                       rule_set="nasional", admin_password=PASSWORD))
        with tenant_scope(tenant):
            _fill(tenant.id, size)
    with tenant_scope(tenant):
        employees = db.session.scalar(select(db.func.count()).select_from(Employee))
        pegawai = db.session.scalar(select(User.employee_id).where(User.username == "pegawai"))
        plan_id = db.session.scalar(select(Plan.id).where(Plan.employee_id == pegawai))
        evaluation_id = db.session.scalar(select(Evaluation.id).where(Evaluation.plan_id == plan_id,
                                                                      Evaluation.status == "draft"))
        db.session.rollback()
    return Built(slug, employees, plan_id, evaluation_id)


def _fill(tenant_id: int, size: int) -> None:
    today = tenant_today()
    current = (today.month - 1) // 3  # index of the current quarter
    year_period, quarters = _periods(today.year)
    positions = _org(tenant_id, size)
    db.session.execute(insert(Employee), [
        {"tenant_id": tenant_id, "nip": f"1980010120050{i:05d}",
         "name": f"Pegawai {i:05d} {'Pratama' if i % 7 == 0 else 'Lestari'}", "sex": "L" if i % 2 else "P",
         "employee_type": "PNS", "position_id": position_id, "rank_code": "III/a", "active": True, "version": 1}
        for i, (_code, position_id) in enumerate(positions)])
    by_position = dict(db.session.execute(select(Employee.position_id, Employee.id)).all())
    holder = {code: by_position[pid] for code, pid in positions}
    # The first kasi's first pelaksana is "pegawai" and always has an agreed plan.
    pegawai_code = next(code for code, _ in positions if code.startswith("T"))
    plan_rows = []
    for i, (code, _pid) in enumerate(positions):
        status = "agreed" if code == pegawai_code else PLAN_STATES[i % len(PLAN_STATES)]
        plan_rows.append({"tenant_id": tenant_id, "employee_id": holder[code], "period_id": year_period.id,
                          "status": status, "position_name": "Jabatan", "unit_name": "Unit", "version": 1})
    db.session.execute(insert(Plan), plan_rows)
    plans = db.session.execute(select(Plan.id, Plan.status, Plan.employee_id)).all()
    evaluator = _evaluators(positions, holder)
    db.session.execute(insert(PlanResult), [
        {"tenant_id": tenant_id, "plan_id": plan_id, "kind": "utama", "description": f"Hasil kerja {r + 1}",
         "position": r} for plan_id, _s, _e in plans for r in range(2)])
    results = db.session.execute(select(PlanResult.id, PlanResult.plan_id)).all()
    db.session.execute(insert(PlanIndicator), [
        {"tenant_id": tenant_id, "result_id": result_id, "name": "Dokumen diproses", "aspect": "kuantitas",
         "direction": "higher", "unit": "dokumen", "target_lower": 12, "target_upper": 12, "position": 0}
        for result_id, _plan in results])
    agreed = {plan_id for plan_id, status, _e in plans if status == "agreed"}
    plan_of_result = dict(results)
    # Read back table by table (no join): the fresh tables have no statistics yet.
    indicators = [(indicator_id, plan_of_result[result_id]) for indicator_id, result_id
                  in db.session.execute(select(PlanIndicator.id, PlanIndicator.result_id)).all()]
    db.session.execute(insert(Realisation), [
        {"tenant_id": tenant_id, "indicator_id": indicator_id, "period_id": quarters[q].id, "value": 3,
         "version": 1}
        for indicator_id, plan_id in indicators if plan_id in agreed for q in range(current + 1)])
    latest = db.session.execute(select(Realisation.id).where(Realisation.period_id == quarters[current].id)).all()
    db.session.execute(insert(Evidence), [
        {"tenant_id": tenant_id, "realisation_id": rid, "kind": "link", "url": "https://contoh.go.id/laporan",
         "review": "pending"} for (rid,) in latest])
    evaluations = []
    for i, (plan_id, status, employee_id) in enumerate(plans):
        if status != "agreed":
            continue
        for q in range(current + 1):
            final = q < current
            code, label = PREDIKAT[(i + q) % len(PREDIKAT)]
            evaluations.append({"tenant_id": tenant_id, "plan_id": plan_id, "period_id": quarters[q].id,
                                "status": "final" if final else "draft",
                                "evaluator_id": evaluator.get(employee_id),
                                "predikat_code": code if final else None, "predikat_label": label if final else None,
                                "rule_set_code": "nasional" if final else None,
                                "delivered_on": quarters[q].ends_on if final else None,
                                "inputs": {}, "result": {}, "version": 1})
    db.session.execute(insert(Evaluation), evaluations)
    db.session.commit()
    _analyze()
    # Drafts keep their result as the app does once their inputs were saved (inserted in
    # bulk, they have none yet): compute it once, so the evaluation page shows what users get.
    refresh_drafts(evaluation=set(db.session.scalars(select(Evaluation.id).where(Evaluation.status == "draft"))))
    db.session.commit()
    kasi, kabid = "S0.0.0", "B0.0"
    nips = dict(db.session.execute(select(Employee.id, Employee.nip)).all())
    for username, code in (("atasan", kabid), ("penilai", kasi), ("pegawai", pegawai_code)):
        save_user(UserData(username, nips[holder[code]], False, PASSWORD))
    db.session.commit()


def _analyze() -> None:
    """Statistics for the bulk-loaded tables, as autovacuum would gather soon after (the drafts'
    refresh below joins them); as the tables' owner, on a connection of its own."""
    if db.engine.dialect.name != "postgresql":
        return
    owner = create_engine(db.engine.url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text("ANALYZE"))
    owner.dispose()


def _evaluators(positions: list[tuple[str, int]], holder: dict[str, int]) -> dict[int, int]:
    """Each employee's penilai: the holder of the position they report to (by code)."""
    answer = {}
    for code, _pid in positions:
        boss = code.rsplit(".", 1)[0] if code.count(".") else None
        if code.startswith("T"):
            boss = "S" + code[1:].rsplit(".", 1)[0]
        elif code.startswith("S"):
            boss = "B" + code[1:].rsplit(".", 1)[0]
        elif code.startswith("B"):
            boss = "K" + code[1:].rsplit(".", 1)[0]
        if boss in holder:
            answer[holder[code]] = holder[boss]
    return answer
