"""Key pages stay flat as the tenant grows (issue #13): the same number of SQL
statements for a small and a larger tenant, and no lazy load while a page renders.

The lazy-load guard listens to the ORM's ``do_orm_execute`` event: SQLAlchemy
marks a lazy load's execution with ``lazy_loaded_from`` (the instance whose
attribute was touched), so any lazy load during a request is caught by name,
whatever template or service touched it. Eager loads (joinedload/selectinload)
are not lazy loads and stay allowed.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from app import models as m
from app.extensions import db
from app.org.models import Employee
from app.periods.models import Period, PeriodKind
from app.tenancy import tenant_scope
from tests.conftest import login
from tests.cycle_support import cycle_under_way


@pytest.fixture
def cycle(app, two_tenants):
    yield from cycle_under_way(app, two_tenants[0])


KNOWN_LAZY = {"plan": ("Employee -> Position",)}


@contextmanager
def watching(app):
    """Counts the statements and lists the lazy loads of whatever runs inside."""
    statements: list[str] = []
    lazy: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    def orm_execute(state):
        if state.lazy_loaded_from is not None:
            target = state.statement.column_descriptions[0].get("name", "?")
            lazy.append(f"{state.lazy_loaded_from.class_.__name__} -> {target}")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    event.listen(Session, "do_orm_execute", orm_execute)
    try:
        yield statements, lazy
    finally:
        event.remove(engine, "before_cursor_execute", record)
        event.remove(Session, "do_orm_execute", orm_execute)


def _grow(app, org, n: int) -> None:
    """``n`` more people in the penilai's team, each with an agreed plan, an indicator,
    realisations with evidence and evaluations (a final Q1, a draft Q2)."""
    with app.app_context(), tenant_scope(org.tenant):
        tenant_id = org.tenant.id
        start = db.session.scalar(select(db.func.count()).select_from(Employee))
        periods = dict(db.session.execute(select(Period.sequence, Period.id)
                                          .where(Period.kind == PeriodKind.QUARTER)).all())
        year_id = db.session.scalar(select(Period.id).where(Period.kind == PeriodKind.YEAR))
        for i in range(start, start + n):
            person = Employee(nip=f"19900101201501{i:04d}", name=f"Staf Pratama {i}", sex="L", employee_type="PNS",
                              position_id=org.position_ids["STAF"])
            db.session.add(person)
            db.session.flush()
            plan = m.Plan(employee_id=person.id, period_id=year_id, status=m.PlanStatus.AGREED,
                          position_name="Pengadministrasi", unit_name="Dinas")
            db.session.add(plan)
            db.session.flush()
            result = m.PlanResult(plan_id=plan.id, description="Layanan tertib")
            db.session.add(result)
            db.session.flush()
            indicator = m.PlanIndicator(result_id=result.id, name="Dokumen", aspect="kuantitas", unit="dokumen",
                                        target_lower=12, target_upper=12)
            db.session.add(indicator)
            db.session.flush()
            for sequence in (1, 2):
                realisation = m.Realisation(indicator_id=indicator.id, period_id=periods[sequence], value=3)
                db.session.add(realisation)
                db.session.flush()
                db.session.add(m.Evidence(realisation_id=realisation.id, kind=m.EvidenceKind.LINK,
                                          url="https://contoh.go.id/bukti"))
            db.session.execute(insert(m.Evaluation), [
                {"tenant_id": tenant_id, "plan_id": plan.id, "period_id": periods[1], "status": "final",
                 "evaluator_id": org.penilai_id, "predikat_code": "baik", "predikat_label": "Baik",
                 "delivered_on": date(2026, 4, 5), "inputs": {}, "result": {}, "version": 1},
                {"tenant_id": tenant_id, "plan_id": plan.id, "period_id": periods[2], "status": "draft",
                 "evaluator_id": org.penilai_id, "inputs": {}, "result": {}, "version": 1}])
        db.session.commit()


def _pages(org) -> dict[str, tuple[str | None, str]]:
    return {
        "plan": ("pegawai", f"/kota-a/skp/{org.cycle.plan_id}"),
        "evaluation": ("penilai", f"/kota-a/penilaian/{org.cycle.evaluation_id}"),
        "evaluation list": ("penilai", "/kota-a/penilaian/"),
        "team": ("penilai", "/kota-a/skp/tim"),
        "home penilai": ("penilai", "/kota-a/"),
        "home pegawai": ("pegawai", "/kota-a/"),
        "employee list": ("admin", "/kota-a/admin/pegawai"),
        "employee search": ("admin", "/kota-a/admin/pegawai?q=pratama"),
        "employee list page 2": ("admin", "/kota-a/admin/pegawai?page=2"),
        "recap page": ("admin", "/kota-a/admin/rekap/pegawai"),
        "public page": (None, "/kota-a/publik/"),
        "login page": (None, "/kota-a/login"),
    }


def _measure(app, org) -> tuple[dict[str, int], dict[str, list[str]]]:
    counts, lazy_loads = {}, {}
    clients = {}
    for name, (role, url) in _pages(org).items():
        if role not in clients:
            clients[role] = app.test_client()
            if role:
                login(clients[role], "kota-a", role)
        clients[role].get(url)  # warm: per-process caches are not what is measured
        with watching(app) as (statements, lazy):
            response = clients[role].get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name], lazy_loads[name] = len(statements), lazy
    return counts, lazy_loads


def test_key_pages_run_the_same_statements_for_a_larger_tenant_and_load_nothing_lazily(app, cycle):
    _grow(app, cycle, 3)
    small, lazy_small = _measure(app, cycle)
    _grow(app, cycle, 40)  # past a page of the employee list
    large, lazy_large = _measure(app, cycle)
    assert small == large
    # Lazy loads do not grow with the tenant. The ones left are the signed-in
    # person's own record chain (user → employee → position → unit), one each per
    # request; KNOWN lists them so that any new lazy load fails here.
    assert lazy_small == lazy_large
    found = {name: [load for load in loads if load not in KNOWN_LAZY.get(name, ())]
             for name, loads in lazy_large.items()}
    found = {name: loads for name, loads in found.items() if loads}
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
    client = app.test_client()
    login(client, "kota-a", "penilai")
    assert client.get("/kota-a/penilaian/").get_data(as_text=True).count("Staf Pratama") >= 40


def test_the_evaluation_page_shows_the_stored_result_of_a_draft(app, cycle, monkeypatch):
    """A draft's result is stored when its inputs change (tests/test_evaluation_stored.py);
    the page reads it and computes nothing."""
    from app.skp.evaluation import compute

    computed: list[int] = []
    original = compute.compute
    monkeypatch.setattr(compute, "compute", lambda evaluation, rt=None: computed.append(evaluation.id)
                        or original(evaluation, rt))
    client = app.test_client()
    login(client, "kota-a", "penilai")
    url = _pages(cycle)["evaluation"][1]
    client.get(url)  # warm
    with watching(app) as (statements, _lazy):
        assert client.get(url).status_code == 200
    assert computed == []
    # Measured on SQLite: 25 while the draft was computed on every view (twice: the result and
    # the readiness list), 20 with the stored result (3 of them check the figures from the stages
    # above). PostgreSQL adds the two set_config statements of row-level security.
    with app.app_context():
        rls = 2 if db.engine.dialect.name == "postgresql" else 0
    assert len(statements) <= 20 + rls, len(statements)
