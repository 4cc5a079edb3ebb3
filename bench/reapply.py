"""Benchmark: "terapkan ulang aturan" on a period's drafts (issue #13; target 10,000 drafts ≤ 10 s).

Builds a generated tenant (bench/tenant.py) with about BENCH_DRAFTS (default
10,000) draft evaluations in the current quarter, then times, in one run:

* the re-apply job (``reapply.start_reapply``, run inline as in the tests):
  the period's drafts recomputed in batches, their results stored, one audit
  entry each, committed batch by batch;
* the scoring alone for the same drafts: the region rule set's
  ``period_result`` on inputs built beforehand (the floor the job's input
  loading and writing add to).

Prints both as seconds per 10,000 drafts and their ratio. Printed, never asserted.
``measure(database_url, drafts)`` returns the same figures as a dict (``bench/run.py``).

    .venv/bin/python -m bench.reapply                                          # SQLite
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python -m bench.reapply
    BENCH_DRAFTS=2000 .venv/bin/python -m bench.reapply                        # a quicker run
    BENCH_KEEP_DATABASE=kinerja_bench_reapply DATABASE_URL=... .venv/bin/python -m bench.reapply
        # PostgreSQL: build the tenant once in that database, keep it, and reuse it next time
"""

from __future__ import annotations

import math
import os
import tempfile
import time

from flask_migrate import upgrade
from sqlalchemy import create_engine, func, make_url, pool, select, text, update

from app import create_app
from app.auth.models import User
from app.config import normalise_database_url
from app.extensions import db
from app.periods.models import Period
from app.settings.services import rules_for_period
from app.skp.evaluation import reapply
from app.skp.evaluation.inputs import build_input
from app.skp.evaluation.models import Evaluation, EvaluationStatus, RuleJob
from app.skp.evaluation.staleness import loading
from app.tenancy import tenant_scope
from app.tenancy.models import Tenant
from bench.tenant import build

RATED = {"hasil_kerja_rating": "sesuai", "perilaku_rating": "di_atas"}
AGREED_SHARE = 0.7  # bench/tenant.py: 7 plans in 10 are agreed, each with a draft for the current quarter


def _database(server: str | None, tmp: str, name: str | None) -> str:
    """A new SQLite file, or a database of its own on the PostgreSQL server of
    ``server`` — the one named ``name`` when given (created once, then reused)."""
    if not server or not normalise_database_url(server).startswith("postgresql"):
        return f"sqlite:///{tmp}/reapply.db"
    url = normalise_database_url(server)
    name = name or f"kinerja_bench_reapply_{int(time.time())}"
    admin = create_engine(url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _analyze(database: str) -> None:
    """Bulk-inserted rows: give PostgreSQL's planner their statistics (as the table
    owner; the app's own connections run as a role that may not analyze)."""
    if not database.startswith("postgresql"):
        return
    owner = create_engine(database, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text("ANALYZE"))
    owner.dispose()


def _drop(database: str) -> None:
    if not database.startswith("postgresql"):
        return
    url = make_url(database)
    admin = create_engine(url.set(database="postgres"), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


def _scoring_only(ids: list[int], period: Period) -> float:
    """Seconds the rule set's scoring takes for these drafts, their inputs built beforehand."""
    rt = rules_for_period(period)
    prepared = []
    for start in range(0, len(ids), reapply.BATCH):
        drafts = db.session.scalars(select(Evaluation).where(Evaluation.id.in_(ids[start:start + reapply.BATCH]))
                                    .options(*loading())).unique().all()
        prepared.extend(build_input(e, rt) for e in drafts)
    started = time.perf_counter()
    for p in prepared:
        p.runtime.period_result(p.input)
    return time.perf_counter() - started


def measure(database_url: str | None, drafts: int = 10_000, keep: str | None = None) -> dict:
    """Time the re-apply job and the scoring floor for about ``drafts`` drafts.

    ``database_url``: a PostgreSQL URL (a database of its own is created on that
    server and dropped afterwards) or anything else / None for a new SQLite file.
    ``keep``: the name of a PostgreSQL database to build once and reuse (not dropped).
    Returns the drafts recomputed, the seconds of both and both per 10,000 drafts."""
    tmp = tempfile.TemporaryDirectory()
    database = _database(database_url, tmp.name, keep)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "UPLOAD_ROOT": f"{tmp.name}/uploads"})
    try:
        with app.app_context(), app.test_request_context():
            upgrade(revision="heads")
            started = time.perf_counter()
            built = build("bench-reapply", math.ceil(drafts / AGREED_SHARE))
            build_seconds = time.perf_counter() - started
            _analyze(database)
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == built.slug))
            with tenant_scope(tenant):
                period_id = db.session.scalar(select(Evaluation.period_id)
                                              .where(Evaluation.id == built.evaluation_id))
                period = db.session.get(Period, period_id)
                ids = list(db.session.scalars(select(Evaluation.id).where(
                    Evaluation.period_id == period.id, Evaluation.status == EvaluationStatus.DRAFT)
                    .order_by(Evaluation.id)))
                # The penilai has rated every draft (the generated ones carry no entries yet).
                db.session.execute(update(Evaluation).where(Evaluation.id.in_(ids)).values(inputs=RATED))
                db.session.commit()
                admin = db.session.scalar(select(User).where(User.username == "admin"))
                started, cpu_started = time.perf_counter(), time.process_time()
                job = reapply.start_reapply(admin, period, "bench")  # JOBS_INLINE in "testing": runs here
                job_seconds = time.perf_counter() - started
                job_cpu_seconds = time.process_time() - cpu_started
                job = db.session.get(RuleJob, job.id)
                stored = db.session.scalar(select(func.count(Evaluation.id)).where(
                    Evaluation.id.in_(ids), Evaluation.predikat_code.is_not(None)))
                outcome = {"processed": job.processed, "total": job.total, "status": job.status.value,
                           "stored_predikat": stored}
                scoring = _scoring_only(ids, period)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if keep is None:
            _drop(database)
        tmp.cleanup()
    count = len(ids) or 1
    per = 10_000 / count
    return {"database": make_url(database).get_backend_name(), "drafts": len(ids), "build_seconds": build_seconds,
            "job_seconds": job_seconds, "scoring_seconds": scoring, "job_per_10000": job_seconds * per,
            "job_cpu_seconds": job_cpu_seconds, "job_cpu_per_10000": job_cpu_seconds * per,
            "scoring_per_10000": scoring * per, **outcome}


def main() -> None:
    figures = measure(os.environ.get("DATABASE_URL"), int(os.environ.get("BENCH_DRAFTS", "10000")),
                      os.environ.get("BENCH_KEEP_DATABASE") or None)
    count, per = figures["drafts"] or 1, figures["job_per_10000"]
    print(f"database: {figures['database']}; tenant built (or reused) in {figures['build_seconds']:.1f} s")
    print(f"re-apply job: {figures['processed']} of {figures['total']} drafts, status {figures['status']}, "
          f"{figures['stored_predikat']} with a stored predikat")
    print(f"re-apply job ({count} drafts):      {figures['job_seconds']:7.2f} s  = {per:7.2f} s per 10,000 "
          "(target ≤ 10 s)")
    print(f"  of which this process's CPU:  {figures['job_cpu_seconds']:7.2f} s  = "
          f"{figures['job_cpu_per_10000']:7.2f} s per 10,000 (the rest: the database, waiting for a core)")
    print(f"scoring only (same drafts):     {figures['scoring_seconds']:7.2f} s  = "
          f"{figures['scoring_per_10000']:7.2f} s per 10,000")
    print(f"job ÷ scoring:                  {figures['job_seconds'] / figures['scoring_seconds']:7.1f}×")


if __name__ == "__main__":
    main()
