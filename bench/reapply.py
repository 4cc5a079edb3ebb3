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

    .venv/bin/python -m bench.reapply                                          # SQLite
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python -m bench.reapply
    BENCH_DRAFTS=2000 .venv/bin/python -m bench.reapply                        # a quicker run
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


def _database(tmp: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp}/reapply.db"
    url = normalise_database_url(url)
    name = f"kinerja_bench_reapply_{int(time.time())}"
    admin = create_engine(url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
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


def main() -> None:
    drafts = int(os.environ.get("BENCH_DRAFTS", "10000"))
    tmp = tempfile.TemporaryDirectory()
    database = _database(tmp.name)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "UPLOAD_ROOT": f"{tmp.name}/uploads"})
    try:
        with app.app_context(), app.test_request_context():
            upgrade(revision="heads")
            print(f"database: {db.engine.dialect.name}")
            started = time.perf_counter()
            built = build("bench-reapply", math.ceil(drafts / AGREED_SHARE))
            print(f"tenant of {built.employees} employees built in {time.perf_counter() - started:.1f} s")
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
                started = time.perf_counter()
                job = reapply.start_reapply(admin, period, "bench")  # JOBS_INLINE in "testing": runs here
                job_seconds = time.perf_counter() - started
                job = db.session.get(RuleJob, job.id)
                stored = db.session.scalar(select(func.count(Evaluation.id)).where(
                    Evaluation.id.in_(ids), Evaluation.predikat_code.is_not(None)))
                print(f"re-apply job: {job.processed} of {job.total} drafts, status {job.status.value}, "
                      f"{stored} with a stored predikat")
                scoring = _scoring_only(ids, period)
        count = len(ids) or 1
        per = 10_000 / count
        print(f"re-apply job ({count} drafts):      {job_seconds:7.2f} s  = {job_seconds * per:7.2f} s per 10,000 "
              "(target ≤ 10 s)")
        print(f"scoring only (same drafts):     {scoring:7.2f} s  = {scoring * per:7.2f} s per 10,000")
        print(f"job ÷ scoring:                  {job_seconds / scoring:7.1f}×")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        _drop(database)
        tmp.cleanup()


if __name__ == "__main__":
    main()
