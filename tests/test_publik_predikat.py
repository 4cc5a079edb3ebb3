"""The predikat distribution from real FINAL evaluations, its publication
with small-group suppression, and the region's public report built from the
published aggregates only."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.publik import transparency
from app.publik.models import Publication, PublicationKind
from app.publik.periods import ReportingPeriod
from app.publik.suppression import ProtectedTable, leaks, protect_table
from app.regions.manager import RuleSetRuntime
from app.regions.reports import PublicReportData, ReportData, sample_report_data
from app.regions.types import ReportAudience, ReportFormat
from app.skp.evaluation.models import Evaluation
from app.skp.objections.models import Objection, ObjectionStatus
from app.tenancy import all_tenants, tenant_scope
from tests.conftest import login, make_cycle, make_org, make_tenant
from tests.publik_support import add_evaluations

YEAR = 2026

# Dinas Besar: 12 final (3 Sangat Baik, 8 Baik, 1 Butuh Perbaikan) + 2 drafts;
# Dinas Sedang: 9 final (6 Baik, 3 Butuh Perbaikan); Puskesmas Kecil: 3 final, all Baik.
UNITS = {
    "Dinas Besar": {"year": ["sangat_baik"] * 3 + ["baik"] * 8 + ["butuh_perbaikan"],
                    "drafts": ["sangat_kurang", "sangat_kurang"], "q1": ["baik"] * 6},
    "Dinas Sedang": {"year": ["baik"] * 6 + ["butuh_perbaikan"] * 3},
    "Puskesmas Kecil": {"year": ["baik"] * 3},
}


@pytest.fixture
def evaluated(app, monkeypatch):
    """Tenant A with the units above; tenant B with its own evaluations."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    with app.app_context():
        a = make_org(make_tenant("kota-a"))
        b = make_org(make_tenant("kota-b"), prefix="Beta ")
        built_a = add_evaluations(a.tenant, UNITS, YEAR)
        built_b = add_evaluations(b.tenant, {"Beta Dinas Rahasia": {"year": ["kurang"] * 7}}, YEAR, prefix="Beta ")
        db.session.remove()
    return a, b, built_a, built_b


def _admin(app, slug="kota-a"):
    client = app.test_client()
    assert login(client, slug, "admin").status_code == 302
    return client


def _publish(admin, slug, kind, quarter=0, year=YEAR):
    return admin.post(f"/{slug}/admin/publik/publikasi",
                      data={"terbit-kind": kind, "terbit-year": str(year), "terbit-quarter": str(quarter)})


def _leaks(table: dict) -> list:
    """Hidden cells of a published table a reader could derive by arithmetic."""
    cells = {(r, c): v for r, row in table["cells"].items() for c, v in row.items()}
    return leaks(ProtectedTable(tuple(table["rows"]), tuple(table["columns"]), cells, table["threshold"]))


def _counts(app, org, period):
    with app.app_context(), tenant_scope(org.tenant):
        return transparency.predikat_counts(period)


def test_counts_come_from_final_evaluations_of_the_period(app, evaluated):
    a, b, _, _ = evaluated
    assert _counts(app, a, ReportingPeriod.calendar_year(YEAR)) == {
        "Dinas Besar": {"sangat_baik": 3, "baik": 8, "butuh_perbaikan": 1},  # the two drafts do not count
        "Dinas Sedang": {"baik": 6, "butuh_perbaikan": 3},
        "Puskesmas Kecil": {"baik": 3},
    }
    # A quarter counts the evaluations of that quarter's Period row only.
    assert _counts(app, a, ReportingPeriod.calendar_quarter(YEAR, 1)) == {"Dinas Besar": {"baik": 6}}
    assert _counts(app, a, ReportingPeriod.calendar_quarter(YEAR, 2)) == {}
    assert _counts(app, a, ReportingPeriod.calendar_year(YEAR - 1)) == {}
    # Tenant B sees only its own, and A's never.
    assert _counts(app, b, ReportingPeriod.calendar_year(YEAR)) == {"Beta Dinas Rahasia": {"kurang": 7}}


def test_a_changed_objection_counts_with_the_new_predikat(app, evaluated):
    a, _, built, _ = evaluated
    with app.app_context(), tenant_scope(a.tenant):
        evaluation = db.session.scalar(select(Evaluation).where(Evaluation.predikat_code == "butuh_perbaikan")
                                       .where(Evaluation.id.in_(built["evaluation_ids"][:12])))
        # What the objection decision does: the evaluation carries the new predikat.
        db.session.add(Objection(evaluation_id=evaluation.id, lodged_by_id=a.user_ids["pegawai"],
                                 deadline=date(YEAR, 12, 31), reasons="-", status=ObjectionStatus.CHANGED,
                                 original_predikat_code="butuh_perbaikan", new_predikat_code="baik"))
        evaluation.predikat_code, evaluation.predikat_label = "baik", "Baik"
        db.session.commit()
    assert _counts(app, a, ReportingPeriod.calendar_year(YEAR))["Dinas Besar"] == {"sangat_baik": 3, "baik": 9}


def test_make_cycle_final_evaluation_is_counted_and_its_draft_is_not(app):
    with app.app_context():
        org = make_org(make_tenant("kota-c"))
        make_cycle(org, YEAR)
        with tenant_scope(org.tenant):
            # make_cycle: a FINAL Triwulan I evaluation ("baik") and a DRAFT for Triwulan II.
            assert transparency.predikat_counts(ReportingPeriod.calendar_quarter(YEAR, 1)) == {
                "Dinas Kesehatan": {"baik": 1}}
            assert transparency.predikat_counts(ReportingPeriod.calendar_quarter(YEAR, 2)) == {}
            assert [p.label for p in transparency.evaluated_periods()] == [f"Triwulan I {YEAR}"]
        db.session.remove()


def test_an_employee_without_a_position_counts_in_the_unit_their_plan_recorded(app, evaluated):
    a, _, built, _ = evaluated
    from app.org.models import Employee
    from app.skp.planning.models import Plan

    with app.app_context(), tenant_scope(a.tenant):
        moved = db.session.scalar(select(Employee).join(Plan, Plan.employee_id == Employee.id)
                                  .where(Plan.unit_name == "Dinas Sedang").limit(1))
        moved.position_id = None  # retired after the evaluation
        db.session.commit()
        counts = transparency.predikat_counts(ReportingPeriod.calendar_year(YEAR))
    assert sum(counts["Dinas Sedang"].values()) == 9


def test_the_admin_publishes_the_distribution_with_suppression(app, evaluated):
    a, _, built, built_b = evaluated
    admin = _admin(app)
    page = admin.get("/kota-a/admin/publik/publikasi").get_data(as_text=True)
    assert f"Tahun {YEAR}" in page and f"Triwulan I {YEAR}" in page  # periods with final results
    assert _publish(admin, "kota-a", "predikat").status_code == 302

    with app.app_context(), all_tenants("test"):
        publication = db.session.scalar(select(Publication).where(Publication.kind == PublicationKind.PREDIKAT))
        data = publication.data
    cells = data["table"]["cells"]
    # Shown: the large groups.
    assert cells["Dinas Besar"]["baik"] == 8 and cells["Dinas Besar"]["__total__"] == 12
    assert cells["__total__"]["baik"] == 17 and cells["__total__"]["__total__"] == 24
    # Hidden: a single Butuh Perbaikan and the 3 Sangat Baik (below 5), and the whole small unit.
    assert cells["Dinas Besar"]["butuh_perbaikan"] is None and cells["Dinas Besar"]["sangat_baik"] is None
    assert all(v is None for v in cells["Puskesmas Kecil"].values())
    # Complementary suppression: nothing hidden follows from what is shown.
    rebuilt = protect_table(_counts(app, a, ReportingPeriod.calendar_year(YEAR)),
                            data["table"]["columns"], data["threshold"])
    assert rebuilt.to_dict() == data["table"] and _leaks(data["table"]) == []

    public = app.test_client().get("/kota-a/publik/").get_data(as_text=True)
    assert "Sebaran predikat pegawai per unit" in public
    assert "Dinas Besar" in public and "Puskesmas Kecil" in public and "&lt;5" in public
    csv_link = f"/kota-a/publik/unduh/{publication.id}"
    rows = list(csv.reader(io.StringIO(app.test_client().get(csv_link).get_data(as_text=True))))
    assert rows[0][:3] == ["Unit", "Sangat Baik", "Baik"]
    assert ["Puskesmas Kecil", "<5", "<5", "<5", "<5", "<5", "<5"] in rows
    # No names, no NIPs anywhere: page, CSV, stored snapshot; nothing of tenant B.
    stored = json.dumps(data)
    for text in (public, "\n".join(map(",".join, rows)), stored):
        for secret in [*built["names"], *built["nips"], *built_b["names"], "Beta Dinas Rahasia"]:
            assert secret not in text
        assert "Pegawai Rahasia" not in text and "Pegawai Kota-A" not in text


def test_a_group_below_the_threshold_is_hidden_and_shown_above_it(app, evaluated):
    admin = _admin(app)
    admin.post("/kota-a/admin/publik/publikasi/pengaturan",
               data={"atur-min_group_size": "3", "atur-contact_retention_days": "365"})
    _publish(admin, "kota-a", "predikat")
    with app.app_context(), all_tenants("test"):
        table = db.session.scalar(select(Publication)).data["table"]
    cells = table["cells"]
    # With a threshold of 3 the small unit (3 people, all Baik) is shown, the single Butuh Perbaikan is not.
    assert cells["Puskesmas Kecil"]["baik"] == 3 and cells["Puskesmas Kecil"]["__total__"] == 3
    assert cells["Dinas Besar"]["butuh_perbaikan"] is None  # 1 < 3
    assert _leaks(table) == []


def test_drafts_alone_cannot_be_published(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    with app.app_context():
        org = make_org(make_tenant("kota-d"))
        add_evaluations(org.tenant, {"Dinas Draf": {"drafts": ["baik"] * 9}}, YEAR)
    refused = _publish(_admin(app, "kota-d"), "kota-d", "predikat")
    assert refused.status_code == 200 and "Belum ada hasil evaluasi kinerja pegawai" in refused.get_data(as_text=True)


# --- the region's public report -------------------------------------------------------------

@pytest.fixture
def walesi(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    with app.app_context():
        org = make_org(make_tenant("walesi", rule_set="walesi"))
        built = add_evaluations(org.tenant, UNITS, YEAR)
        db.session.remove()
    return org, built


def test_the_report_needs_published_aggregates_first(app, walesi):
    admin = _admin(app, "walesi")
    refused = _publish(admin, "walesi", "laporan")
    assert refused.status_code == 200
    assert "terbitkan dulu IKM, statistik pengaduan atau sebaran predikat" in refused.get_data(as_text=True)


def test_the_walesi_report_downloaded_from_the_public_page_holds_only_aggregates(app, walesi):
    org, built = walesi
    admin = _admin(app, "walesi")
    for kind in ("predikat", "pengaduan", "laporan"):
        assert _publish(admin, "walesi", kind).status_code == 302, kind
    page = app.test_client().get("/walesi/publik/").get_data(as_text=True)
    assert "Laporan Kinerja untuk Publik" in page
    with app.app_context(), all_tenants("test"):
        report_id = db.session.scalar(select(Publication.id).where(Publication.kind == PublicationKind.LAPORAN))
    assert f"/walesi/publik/unduh/{report_id}" in page
    response = app.test_client().get(f"/walesi/publik/unduh/{report_id}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert f'filename="walesi-laporan-{YEAR}.html"' in response.headers["Content-Disposition"]
    html = response.get_data(as_text=True)
    assert "Laporan Kinerja untuk Publik" in html and f"Tahun {YEAR}" in html
    assert "Sebaran predikat pegawai per unit kerja" in html and "Statistik pengaduan" in html
    assert "Dinas Besar" in html and "<td class=\"n\">8</td>" in html  # Dinas Besar's 8 Baik
    assert "&lt;5" in html  # the suppressed cells stay suppressed
    for secret in [*built["names"], *built["nips"], "Pegawai Walesi", "Penilai Walesi"]:
        assert secret not in html
    # Withdrawing the distribution takes it out of the report as well.
    with app.app_context(), all_tenants("test"):
        predikat_id = db.session.scalar(select(Publication.id).where(Publication.kind == PublicationKind.PREDIKAT))
    admin.post(f"/walesi/admin/publik/publikasi/{predikat_id}/tarik")
    html = app.test_client().get(f"/walesi/publik/unduh/{report_id}").get_data(as_text=True)
    assert "Sebaran predikat" not in html and "Statistik pengaduan" in html


def test_the_report_renderer_receives_published_aggregates_only(app, walesi, monkeypatch):
    """Spy on what the region's public format is handed."""
    received = []
    runtime_render = RuleSetRuntime.render_report

    def spy(self, format_code, data):
        fmt = self.rule_set.report_format(format_code)
        spied = replace(fmt, render=lambda d: received.append(d) or fmt.render(d))
        self.rule_set = replace(self.rule_set, report_formats=(spied,))
        return runtime_render(self, format_code, data)

    monkeypatch.setattr(RuleSetRuntime, "render_report", spy)
    admin = _admin(app, "walesi")
    _publish(admin, "walesi", "predikat")
    _publish(admin, "walesi", "laporan")
    with app.app_context(), all_tenants("test"):
        report_id = db.session.scalar(select(Publication.id).where(Publication.kind == PublicationKind.LAPORAN))
    assert app.test_client().get(f"/walesi/publik/unduh/{report_id}").status_code == 200
    (data,) = received
    assert isinstance(data, PublicReportData) and not hasattr(data, "evaluations")
    by_unit = {row.unit: row for row in data.predikat.rows}
    assert by_unit["Puskesmas Kecil"].total is None and by_unit["Dinas Besar"].counts[1] == 8
    assert data.complaints is None and data.satisfaction == ()


def test_a_public_format_never_sees_per_employee_records():
    """Handed a ReportData, the runtime gives a public format its aggregates only."""
    from app.regions.manager import build_registry

    registry = build_registry()
    seen = []
    fmt = ReportFormat("spy", "Spy", "text/html", lambda d: seen.append(d) or "ok", audience=ReportAudience.PUBLIC)
    rule_set = replace(registry.get("walesi"), report_formats=(fmt,))
    runtime = RuleSetRuntime(registry, rule_set, None)
    assert runtime.render_report("spy", sample_report_data()) == "ok"
    assert isinstance(seen[0], PublicReportData) and not isinstance(seen[0], ReportData)
    assert seen[0].programmes == sample_report_data().programmes and seen[0].predikat is None
    html = registry.for_rule_set("walesi").render_report("laporan-publik", sample_report_data())
    assert "Siti Aminah" not in html and "198004112005012001" not in html and "Budi Santoso" not in html


def test_the_conformance_kit_gives_public_formats_public_data_and_catches_leaks():
    from app.regions.api import (
        baseline_rule_set,
        matrix_predikat_labels,
        public_report_format,
        standard_report_formats,
    )
    from app.regions.conformance import check_rule_set

    seen = []

    def careful(data):
        seen.append(data)
        return f"{data.tenant_name}: {data.predikat.rows[0].unit}"

    base = standard_report_formats(matrix_predikat_labels())
    fine = (public_report_format(), ReportFormat("ringkas", "R", "text/plain", careful, audience=ReportAudience.PUBLIC))
    assert check_rule_set(baseline_rule_set("contoh", "Contoh", "1", report_formats=base + fine)) == []
    assert all(isinstance(d, PublicReportData) for d in seen)
    leaky = ReportFormat("bocor", "B", "text/html", lambda d: "Siti Aminah 198004112005012001",
                         audience=ReportAudience.PUBLIC)
    assert check_rule_set(baseline_rule_set("contoh", "Contoh", "1", report_formats=base + (leaky,))) == [
        "public report 'bocor' shows a name or NIP"]
