"""Benchmark: the BKPSDM recap XLSX of 10,000 employees (issue #10; target ≤ 5 s, ≤ 200 MB).

Builds a tenant of 10,000 employees in 20 OPD with 5 units each, a plan for
every employee and a final Q1 evaluation for nine in ten, then downloads the
roster, the predikat recap and the SKP status recap as XLSX (and the roster
as CSV) through the real admin pages. Prints seconds (median of 3) and peak
memory: the Python heap during one request (tracemalloc) and the process's
peak resident size. Printed, never asserted.

    .venv/bin/python -m bench.documents_recap
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python -m bench.documents_recap
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date

from flask_migrate import upgrade
from sqlalchemy import insert, select

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.periods.models import Period, PeriodKind
from app.platform.services import TenantSpec, onboard
from app.skp.evaluation.models import Evaluation
from app.skp.planning.models import Plan
from app.tenancy import tenant_scope

EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "10000"))
OPD, UNITS_PER_OPD, POSITIONS_PER_UNIT = 20, 5, 5
PASSWORD = "Bench-Sandi-2026"  # noqa: S105 - throw-away database
PREDIKAT = (("sangat_baik", "Sangat Baik"), ("baik", "Baik"), ("baik", "Baik"), ("baik", "Baik"),
            ("butuh_perbaikan", "Butuh Perbaikan"), ("kurang", "Kurang"))
RANKS = ("II/c", "III/a", "III/b", "III/c", "III/d", "IV/a")


def _build(tenant) -> tuple[int, int]:
    """The organisation, employees, plans and Q1 evaluations, inserted in bulk."""
    with tenant_scope(tenant):
        year = Period(year=2026, kind=PeriodKind.YEAR, sequence=1, starts_on=date(2026, 1, 1),
                      ends_on=date(2026, 12, 31))
        q1 = Period(year=2026, kind=PeriodKind.QUARTER, sequence=1, parent=year, starts_on=date(2026, 1, 1),
                    ends_on=date(2026, 3, 31))
        db.session.add_all([year, q1])
        positions = []
        for o in range(OPD):
            opd = Unit(code=f"OPD{o}", name=f"Dinas {o:02d}", kind="dinas")
            db.session.add(opd)
            db.session.flush()
            for u in range(UNITS_PER_OPD):
                unit = opd if u == 0 else Unit(code=f"OPD{o}-U{u}", name=f"Bidang {o:02d}.{u}", kind="bidang",
                                               parent_id=opd.id)
                db.session.add(unit)
                db.session.flush()
                for p in range(POSITIONS_PER_UNIT):
                    position = Position(code=f"P{o}-{u}-{p}", name=f"Jabatan {o}.{u}.{p}",
                                        kind="pelaksana" if p else "pengawas", unit_id=unit.id,
                                        grade=None if p else "ahli_muda")
                    db.session.add(position)
                    positions.append(position)
        db.session.flush()
        position_ids = [p.id for p in positions]
        db.session.execute(insert(Employee), [
            {"tenant_id": tenant.id, "nip": f"1980010120050{i:05d}", "name": f"Pegawai {i:05d}",
             "sex": "L" if i % 2 else "P", "employee_type": "PNS", "position_id": position_ids[i % len(position_ids)],
             "rank_code": RANKS[i % len(RANKS)], "rank_tmt": date(2020, 4, 1), "active": True, "version": 1}
            for i in range(EMPLOYEES)])
        employee_ids = db.session.scalars(select(Employee.id).order_by(Employee.id)).all()
        statuses = ("agreed",) * 7 + ("submitted", "draft", "returned")
        db.session.execute(insert(Plan), [
            {"tenant_id": tenant.id, "employee_id": e, "period_id": year.id, "status": statuses[i % len(statuses)],
             "position_name": "", "unit_name": "", "version": 1}
            for i, e in enumerate(employee_ids) if i % 20])
        plans = db.session.execute(select(Plan.id, Plan.employee_id)).all()
        db.session.execute(insert(Evaluation), [
            {"tenant_id": tenant.id, "plan_id": plan_id, "period_id": q1.id, "status": "final",
             "predikat_code": PREDIKAT[i % len(PREDIKAT)][0], "predikat_label": PREDIKAT[i % len(PREDIKAT)][1],
             "inputs": {"organisation_predikat": "baik"}, "result": {}, "version": 1}
            for i, (plan_id, _employee) in enumerate(plans) if i % 10])
        db.session.commit()
        return year.id, q1.id


def _time(client, url: str, runs: int = 3) -> tuple[float, int]:
    timings, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    return statistics.median(timings), size


def _peak(client, url: str) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    client.get(url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def _measure(database: str, year_id: int, q1_id: int) -> None:
    """Runs in a fresh process, so its peak resident size is the app's and the downloads', not the set-up's."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        client = app.test_client()
        client.post("/bench/login", data={"username": "admin", "password": PASSWORD})
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        pages = (
            ("roster XLSX", "/bench/admin/rekap/pegawai/unduh.xlsx"),
            ("roster CSV", "/bench/admin/rekap/pegawai/unduh.csv"),
            ("predikat XLSX", f"/bench/admin/rekap/predikat/unduh.xlsx?periode={q1_id}"),
            ("SKP status XLSX", f"/bench/admin/rekap/status-skp/unduh.xlsx?periode={year_id}"),
            ("roster page", "/bench/admin/rekap/pegawai"),
        )
        print(f"{'recap':<18} {'median s':>9} {'bytes':>10} {'heap peak MB':>13}")
        for label, path in pages:
            seconds, size = _time(client, path)
            print(f"{label:<18} {seconds:>9.2f} {size:>10} {_peak(client, path):>13.1f}")
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak resident size: {peak_rss:.0f} MB (after start-up and sign-in: {baseline:.0f} MB)")


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        _measure(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    url = os.environ.get("DATABASE_URL")
    tmp = tempfile.TemporaryDirectory()
    database = normalise_database_url(url) if url else f"sqlite:///{tmp.name}/bench.db"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        tenant, _ = onboard(TenantSpec(slug="bench", name="Kota Bench", level="kota", province="Bench",
                                       rule_set="nasional", admin_password=PASSWORD))
        start = time.perf_counter()
        year_id, q1_id = _build(tenant)
        print(f"database: {db.engine.dialect.name}; {EMPLOYEES} employees built in "
              f"{time.perf_counter() - start:.1f} s", flush=True)
        db.session.remove()
        db.engine.dispose()
    command = [sys.executable, "-m", "bench.documents_recap", "--measure", database, str(year_id), str(q1_id)]
    subprocess.run(command, check=True)  # noqa: S603 - our own module, our own arguments
    tmp.cleanup()


if __name__ == "__main__":
    main()
