"""Benchmark: official documents (issue #10; targets: one document ≤ 1 s, a ZIP of 500).

Builds the hand-made appraisal year the document tests use (an agreed plan
and a final Triwulan I evaluation in the national rule set), then prints:

* one SKP PDF and one Dokumen Evaluasi PDF: p50 and p95 of 20 renders
  (gathering the data from the database + the region's WeasyPrint layout),
  next to a reference measured in the same run: WeasyPrint rendering a bare
  one-page HTML table of the same size (the library's own floor);
* a bundle of BENCH_BUNDLE (default 500) SKP documents issued into one ZIP
  through the real job (register entry, verification code, QR, hash, storage):
  seconds, documents per second and the ZIP's size.

Printed, never asserted.

    .venv/bin/python -m bench.documents
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python -m bench.documents
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

from flask_migrate import upgrade
from sqlalchemy import select
from weasyprint import HTML

from app import create_app
from app.auth.models import User
from app.config import normalise_database_url
from app.extensions import db
from app.org.models import Employee
from app.periods.models import Period, PeriodKind
from app.reports import bundles, issuing
from app.reports.documents import load_plan_for_document
from app.reports.evaluation_document import load_evaluation_for_document
from app.reports.models import DocumentBundle
from app.skp.planning.models import Plan, PlanBehaviour, PlanIndicator, PlanResult, PlanStatus
from app.tenancy import tenant_scope

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
BUNDLE = int(os.environ.get("BENCH_BUNDLE", "500"))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _time(label: str, fn) -> None:
    fn()  # warm-up: fonts, templates
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    print(f"  {label:<44} p50 {statistics.median(timings):7.0f} ms   p95 {_percentile(timings, 0.95):7.0f} ms")


def _bare_html() -> str:
    rows = "".join(f"<tr><td>{i}</td><td>Rencana hasil kerja {i}</td><td>Indikator {i}</td><td>12 dokumen</td></tr>"
                   for i in range(30))
    return f"<html><body><h1>SASARAN KINERJA PEGAWAI</h1><table>{rows}</table></body></html>"


def _clone_plans(plan_id: int, count: int) -> None:
    """``count`` more agreed plans like the sample one, each for a new employee."""
    source = load_plan_for_document(plan_id)
    template = source.employee
    for n in range(count):
        employee = Employee(nip=f"19800101{n:06d}1001"[:18], name=f"Pegawai Bench {n:04d}", sex=template.sex,
                            employee_type=template.employee_type, position_id=template.position_id,
                            rank_code="III/a")
        plan = Plan(employee=employee, period_id=source.period_id, status=PlanStatus.AGREED,
                    position_name=source.position_name, unit_name=source.unit_name, agreed_at=source.agreed_at,
                    resources=source.resources, accountability=source.accountability,
                    consequences=source.consequences)
        for r in source.results:
            result = PlanResult(plan=plan, kind=r.kind, description=r.description, position=r.position)
            for i in r.indicators:
                PlanIndicator(result=result, name=i.name, aspect=i.aspect, direction=i.direction, unit=i.unit,
                              target_lower=i.target_lower, target_upper=i.target_upper, position=i.position)
        for b in source.behaviours:
            plan.behaviours.append(PlanBehaviour(behaviour_code=b.behaviour_code, name=b.name,
                                                 expectation=b.expectation, position=b.position))
        db.session.add(plan)
    db.session.commit()


def main() -> None:
    from tests.reports_support import build_year  # the same hand-built year the tests read back

    url = os.environ.get("DATABASE_URL")
    tmp = tempfile.TemporaryDirectory()
    database = normalise_database_url(url) if url else f"sqlite:///{tmp.name}/bench.db"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "UPLOAD_ROOT": f"{tmp.name}/uploads"})
    with app.app_context(), app.test_request_context():
        upgrade(revision="heads")
        year = build_year("bench-dokumen", "nasional")
        print(f"database: {db.engine.dialect.name}")
        with tenant_scope(year.org.tenant):
            print(f"one document ({RUNS} renders each, data gathered from the database each time):")
            _time("reference: WeasyPrint, bare one-page table", lambda: HTML(string=_bare_html()).write_pdf())
            _time("SKP (skp), draft rendering path",
                  lambda: issuing.render("skp", issuing.document_data(load_plan_for_document(year.plan_id))))
            _time("Dokumen Evaluasi (dokumen-evaluasi)", lambda: issuing.render(
                "dokumen-evaluasi", issuing.document_data(load_evaluation_for_document(year.evaluation_id))))
            _time("Evaluasi Kinerja Pegawai (evaluasi-kinerja)", lambda: issuing.render(
                "evaluasi-kinerja", issuing.document_data(load_evaluation_for_document(year.evaluation_id))))

            _clone_plans(year.plan_id, BUNDLE - 1)
            admin = db.session.get(User, year.org.user_ids["admin"])
            period = db.session.scalar(select(Period).where(Period.kind == PeriodKind.YEAR))
            start = time.perf_counter()
            bundles.start_bundle("skp", period, None, admin)  # JOBS_INLINE in "testing": runs here
            seconds = time.perf_counter() - start
            bundle = db.session.scalars(select(DocumentBundle)).one()
            size = len(bundles.content(bundle))
            print(f"bundle of {bundle.total} SKP documents (issued, registered, zipped): {seconds:.1f} s, "
                  f"{bundle.total / seconds:.1f} documents/s, ZIP {size / 1e6:.1f} MB, status {bundle.status.value}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
