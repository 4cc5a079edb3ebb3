"""Everyday work of a BKPSDM and a supervisor (issue #12, item 5): pickers
with search, the IKI library filtered for the plan owner, evidence previewed
in the page and accepted in bulk, bulk agreement of plans, bulk start and
finalisation of a team's evaluations (each through its service and its
blockers), links from every work list and history row, the scrolling
realisation grid and the confirmation step before a plan is submitted."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app import models as m
from app.audit.models import AuditEntry
from app.extensions import db
from app.org.models import Employee, Position
from app.org.pickers import LIMIT
from app.periods.models import Period, PeriodKind
from app.tenancy import tenant_scope
from tests.conftest import assert_guarded_preview, csrf_token, login, make_org, make_tenant
from tests.test_skp_realisation import build_world, cell_url, in_a, post, signed_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def world(app, two_tenants, tmp_path, monkeypatch):
    return build_world(app, two_tenants, tmp_path, monkeypatch)


def _json(client, url: str):
    response = client.get(url)
    return response.status_code, (response.get_json() if response.is_json else None)


def _audit_count(app, action: str) -> int:
    return in_a(app, lambda: db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)))


# --- pickers ------------------------------------------------------------------------------

def test_employee_picker_finds_by_name_or_nip_prefix_within_the_tenant(app, world):
    client = signed_in(app, "admin")
    status, answer = _json(client, "/kota-a/cari/pegawai?q=pegawai")
    assert status == 200
    labels = [r["label"] for r in answer["results"]]
    assert any(label.startswith("Pegawai Kota-A") for label in labels)
    assert not any("Beta" in label for label in labels)  # B has a "Beta Pegawai Kota-B"
    nip = in_a(app, lambda: db.session.get(Employee, world.a.pegawai_id).nip)
    _, by_nip = _json(client, f"/kota-a/cari/pegawai?q={nip[:12]}")
    assert nip in [r["value"] for r in by_nip["results"]]
    _, exact = _json(client, f"/kota-a/cari/pegawai?q={nip}")
    assert [r["value"] for r in exact["results"]] == [nip]
    # B's NIP is not found in A, even typed in full.
    b_nip = in_b_nip(app, world)
    _, none = _json(client, f"/kota-a/cari/pegawai?q={b_nip}")
    assert b_nip != nip and none["results"] == []


def in_b_nip(app, world) -> str:
    with app.app_context():
        from app.tenancy import all_tenants
        with all_tenants("test lookup"):
            nip = db.session.get(Employee, world.b.pegawai_id).nip
        db.session.remove()
    return nip


def test_picker_limits_and_ignores_short_or_wild_terms(app, world):
    def add_many():
        position_id = world.a.position_ids["STAF"]
        for n in range(LIMIT + 5):
            db.session.add(Employee(nip=f"19900101201501{(n % 2) + 1}{n:03d}", name=f"Staf Banyak {n:02d}",
                                    sex="L" if n % 2 == 0 else "P", employee_type="PNS", position_id=position_id))
        db.session.commit()
    in_a(app, add_many)
    client = signed_in(app, "admin")
    _, answer = _json(client, "/kota-a/cari/pegawai?q=banyak")
    assert len(answer["results"]) == LIMIT == answer["limit"]
    assert _json(client, "/kota-a/cari/pegawai?q=b")[1]["results"] == []  # too short
    assert _json(client, "/kota-a/cari/pegawai?q=%25%25")[1]["results"] == []  # "%" is no wildcard
    assert _json(client, "/kota-a/cari/pegawai?q=_a")[1]["results"] == []


def test_position_and_unit_pickers(app, world):
    client = signed_in(app, "admin")
    _, positions = _json(client, "/kota-a/cari/jabatan?q=seksi")
    assert [r["label"] for r in positions["results"]] == ["Kepala Seksi Pelayanan Primer — Dinas Kesehatan"]
    assert positions["results"][0]["value"] == str(world.a.position_ids["KASI"])
    _, units = _json(client, "/kota-a/cari/unit?q=kesehatan")
    assert units["results"] == [{"value": str(world.a.unit_id), "label": "Dinas Kesehatan (DINKES)"}]
    assert client.get("/kota-a/cari/rahasia?q=ab").status_code == 404


@pytest.mark.parametrize("role", ["pegawai", "penilai"])
def test_pickers_are_for_the_admin(app, world, role):
    client = signed_in(app, role)
    assert client.get("/kota-a/cari/pegawai?q=pegawai").status_code == 403


def test_forms_with_pickers_still_validate_a_typed_nip(app, world):
    client = signed_in(app, "admin")
    page = client.get(f"/kota-a/admin/jabatan/{world.a.position_ids['KABID']}").get_data(as_text=True)
    assert 'data-picker="/kota-a/cari/pegawai"' in page and "picker.js" in page
    response = post(client, f"/kota-a/admin/jabatan/{world.a.position_ids['KABID']}/plt",
                    {"employee_nip": "199001012015011999", "kind": "plt", "starts_on": "2026-01-01"},
                    follow_redirects=True)
    assert "Tidak ada pegawai aktif dengan NIP itu." in response.get_data(as_text=True)
    reassign = client.get(f"/kota-a/skp/admin/{world.a.cycle.plan_id}/penilai").get_data(as_text=True)
    assert 'data-picker="/kota-a/cari/pegawai"' in reassign


# --- the IKI library for the plan owner -----------------------------------------------------

@pytest.fixture
def sawahlunto(app):
    """A Sawahlunto health office (sector "kesehatan"), the pegawai's draft plan with one RHK,
    and an indicator set giving the STAF position a population indicator (DUK-01)."""
    with app.app_context():
        org = make_org(make_tenant("sawahlunto", rule_set="sawahlunto"))
        with tenant_scope(org.tenant):
            year = Period(year=2026, kind=PeriodKind.YEAR, sequence=1,
                          starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
            plan = m.Plan(employee_id=org.pegawai_id, period=year, position_name="Staf", unit_name="Dinkes")
            result = m.PlanResult(plan=plan, description="Layanan kesehatan tertib")
            db.session.add_all([year, plan, result])
            db.session.flush()
            db.session.add(m.IndicatorAssignment(period_id=year.id, position_id=org.position_ids["STAF"],
                                                 indicator_codes=["DUK-01"]))
            db.session.commit()
            org.plan_id, org.result_id = plan.id, result.id
        db.session.remove()
    return org


def _options(html: str) -> dict[str, list[str]]:
    """The indicator select's option values by optgroup label ("" for none)."""
    select_html = re.search(r'<select[^>]*name="indicator_code".*?</select>', html, re.S).group(0)
    groups: dict[str, list[str]] = {}
    current = ""
    for match in re.finditer(r'<optgroup label="([^"]*)">|</optgroup>|<option[^>]*value="([^"]*)"', select_html):
        if match.group(1) is not None:
            current = match.group(1)
        elif match.group(0) == "</optgroup>":
            current = ""
        else:
            groups.setdefault(current, []).append(match.group(2))
    return groups


def test_library_is_filtered_by_position_and_unit(app, sawahlunto):
    client = app.test_client()
    login(client, "sawahlunto", "pegawai")
    url = f"/sawahlunto/skp/rhk/{sawahlunto.result_id}/iki/baru"
    html = client.get(url).get_data(as_text=True)
    groups = _options(html)
    assert groups["Ditetapkan untuk jabatan atau unit Anda"] == ["DUK-01"]
    assert {"KES-01", "KES-02", "KES-03", "UMUM-01"} <= set(groups["Sektor unit Anda dan umum"])
    assert "Sektor lain" not in groups and "DIK-01" not in str(groups)
    assert 'name="source" type="radio" value="pustaka" checked' in html or \
        re.search(r'checked[^>]*value="pustaka"|value="pustaka"[^>]*checked', html)
    everything = _options(client.get(url + "?semua=1").get_data(as_text=True))
    assert {"DIK-01", "PAR-01", "DUK-02"} <= set(everything["Sektor lain"])


def _post_indicator(client, url: str, data: dict):
    token = csrf_token(client, url)
    version = re.search(r'name="version" type="hidden" value="(\d+)"',
                        client.get(url).get_data(as_text=True)).group(1)
    return client.post(url, data={"csrf_token": token, "version": version, **data})


def test_one_clear_choice_between_library_and_own(app, sawahlunto):
    client = app.test_client()
    login(client, "sawahlunto", "pegawai")
    url = f"/sawahlunto/skp/rhk/{sawahlunto.result_id}/iki/baru"
    # "From the library" without a choice: told what to do, nothing saved.
    response = _post_indicator(client, url, {"source": "pustaka", "indicator_code": ""})
    assert response.status_code == 422
    assert "Pilih satu indikator dari pustaka" in response.get_data(as_text=True)
    # "Write my own" wins over a library code left selected.
    response = _post_indicator(client, url, {"source": "sendiri", "indicator_code": "KES-01",
                                             "name": "Laporan posyandu tersusun", "aspect": "kuantitas",
                                             "direction": "higher", "unit": "laporan", "target_lower": "12"})
    assert response.status_code == 302
    # The library choice fills name and target from the library.
    response = _post_indicator(client, url, {"source": "pustaka", "indicator_code": "DUK-01"})
    assert response.status_code == 302

    def saved():
        return {i.indicator_code: i.name for i in db.session.scalars(select(m.PlanIndicator))}
    with app.app_context():
        from app.tenancy.models import Tenant
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "sawahlunto"))
        with tenant_scope(tenant):
            rows = saved()
            library_name = next(i.name for i in tenant_rules_indicators() if i.code == "DUK-01")
        db.session.remove()
    assert rows == {None: "Laporan posyandu tersusun", "DUK-01": library_name}


def tenant_rules_indicators():
    from app.tenancy import tenant_rules
    return tenant_rules().rule_set.indicators


# --- evidence: preview and bulk acceptance ----------------------------------------------

def _upload(client, w, name: str, data: bytes, period_index: int = 1):
    return post(client, cell_url(w, w.a.quarters[period_index]) + "/berkas",
                {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _evidence_ids(app) -> list[int]:
    return in_a(app, lambda: list(db.session.scalars(
        select(m.Evidence.id).where(m.Evidence.kind == m.EvidenceKind.FILE).order_by(m.Evidence.id))))


def test_evidence_is_previewed_in_the_page_with_the_sandboxing_headers(app, world):
    pegawai = signed_in(app, "pegawai")
    assert _upload(pegawai, world, "laporan.pdf", PDF).status_code == 302
    assert _upload(pegawai, world, "foto.png", PNG).status_code == 302
    assert _upload(pegawai, world, "catatan.txt", b"catatan kegiatan").status_code == 302
    pdf_id, png_id, txt_id = _evidence_ids(app)
    cell = pegawai.get(cell_url(world, world.a.quarters[1])).get_data(as_text=True)
    # PDFs are shown as page images (tests/test_evidence_preview.py); this one is damaged.
    assert "<iframe" not in cell and "Pratinjau tidak tersedia" in cell
    assert f'<img src="/kota-a/skp/bukti/{png_id}/pratinjau"' in cell
    assert f"/kota-a/skp/bukti/{txt_id}/pratinjau" not in cell
    for evidence_id, content_type, body in ((png_id, "image/png", PNG),):
        response = pegawai.get(f"/kota-a/skp/bukti/{evidence_id}/pratinjau")
        assert response.status_code == 200 and response.data == body
        assert response.mimetype == content_type
        assert_guarded_preview(response)
    assert pegawai.get(f"/kota-a/skp/bukti/{txt_id}/pratinjau").status_code == 404  # downloaded, never shown
    assert pegawai.get(f"/kota-a/skp/bukti/{pdf_id}/pratinjau").status_code == 404  # shown through its pages
    peer = signed_in(app, "peer")
    assert peer.get(f"/kota-a/skp/bukti/{png_id}/pratinjau").status_code == 403
    assert signed_in(app, "penilai").get(f"/kota-a/skp/bukti/{png_id}/pratinjau").status_code == 200


def test_penilai_accepts_every_checked_evidence_through_the_review(app, world):
    pegawai = signed_in(app, "pegawai")
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        _upload(pegawai, world, name, PDF)
    first, second, third = _evidence_ids(app)
    penilai = signed_in(app, "penilai")
    page = penilai.get(f"/kota-a/skp/{world.a.cycle.plan_id}/bukti").get_data(as_text=True)
    assert page.count('name="evidence"') == 3  # make_cycle's link is in Q1, final: not listed
    before = _audit_count(app, "evidence.review")
    response = post(penilai, f"/kota-a/skp/{world.a.cycle.plan_id}/bukti/terima",
                    {"evidence": [str(first), str(third), "999999"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('class="done"') == 2 and html.count('class="refused"') == 1
    reviews = in_a(app, lambda: {e.id: e.review for e in db.session.scalars(select(m.Evidence))})
    assert reviews[first] is reviews[third] is m.EvidenceReview.ACCEPTED
    assert reviews[second] is m.EvidenceReview.PENDING
    assert _audit_count(app, "evidence.review") == before + 2
    # Nothing ticked: a message, nothing changes.
    response = post(penilai, f"/kota-a/skp/{world.a.cycle.plan_id}/bukti/terima", {})
    assert response.status_code == 422 and "Centang dulu" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["pegawai", "admin"])
def test_only_the_penilai_reviews_in_bulk(app, world, role):
    client = signed_in(app, role)
    assert client.get(f"/kota-a/skp/{world.a.cycle.plan_id}/bukti").status_code == 403
    response = post(client, f"/kota-a/skp/{world.a.cycle.plan_id}/bukti/terima",
                    {"evidence": [str(world.a.cycle.evidence_id)]})
    assert response.status_code == 403


# --- bulk agreement of plans -------------------------------------------------------------

def _submitted_plans(app, world) -> list[int]:
    """The peer's 2026 plan and the pegawai's 2027 plan, both awaiting the penilai."""
    def run():
        year_2027 = Period(year=2027, kind=PeriodKind.YEAR, sequence=1,
                           starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31))
        plans = [m.Plan(employee_id=world.a.peer_id, period_id=world.a.cycle.year_period_id,
                        status=m.PlanStatus.SUBMITTED, position_name="Staf", unit_name="Dinas"),
                 m.Plan(employee_id=world.a.pegawai_id, period=year_2027, status=m.PlanStatus.SUBMITTED,
                        position_name="Staf", unit_name="Dinas")]
        db.session.add_all([year_2027, *plans])
        db.session.commit()
        return [p.id for p in plans]
    return in_a(app, run)


def test_penilai_agrees_several_plans_each_through_the_review(app, world):
    first, second = _submitted_plans(app, world)
    penilai = signed_in(app, "penilai")
    team = penilai.get("/kota-a/skp/tim").get_data(as_text=True)
    assert f'name="plan" value="{first}"' in team and f'name="plan" value="{second}"' in team
    assert f'name="version-{first}" value="1"' in team
    response = post(penilai, "/kota-a/skp/tim/setujui",
                    {"plan": [str(first), str(second), str(world.a.cycle.plan_id)],  # the last is agreed already
                     f"version-{first}": "1", f"version-{second}": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('class="done"') == 2 and html.count('class="refused"') == 1
    assert f'href="/kota-a/skp/{first}"' in html
    statuses = in_a(app, lambda: {p.id: p.status for p in db.session.scalars(select(m.Plan))})
    assert statuses[first] is statuses[second] is m.PlanStatus.AGREED
    assert _audit_count(app, "plan.agree") == 2
    notified = in_a(app, lambda: db.session.scalar(select(func.count()).select_from(m.Notification)
                                                   .where(m.Notification.kind == "plan.agreed")))
    assert notified >= 2


def test_bulk_agreement_refuses_a_plan_changed_since_the_page_was_shown(app, world):
    first, second = _submitted_plans(app, world)
    penilai = signed_in(app, "penilai")
    # The second plan's version moved on (withdrawn, edited, resubmitted) after the page showed 1;
    # the first carries no version at all: neither is agreed unseen.
    in_a(app, lambda: (setattr(db.session.get(m.Plan, second), "resources", "diubah"), db.session.commit()))
    response = post(penilai, "/kota-a/skp/tim/setujui", {"plan": [str(first), str(second)], f"version-{second}": "1"})
    assert response.get_data(as_text=True).count('class="refused"') == 2
    statuses = in_a(app, lambda: {p.id: p.status for p in db.session.scalars(select(m.Plan))})
    assert statuses[first] is statuses[second] is m.PlanStatus.SUBMITTED


def test_bulk_agreement_by_someone_else_agrees_nothing(app, world):
    first, _second = _submitted_plans(app, world)
    atasan = signed_in(app, "atasan")  # the penilai's own supervisor: not these plans' penilai
    response = post(atasan, "/kota-a/skp/tim/setujui", {"plan": [str(first)]})
    assert 'class="refused"' in response.get_data(as_text=True)
    assert in_a(app, lambda: db.session.get(m.Plan, first).status) is m.PlanStatus.SUBMITTED
    assert post(atasan, "/kota-a/skp/tim/setujui", {}).status_code == 422


# --- a team's evaluations started or finalised together ----------------------------------

def test_penilai_starts_a_teams_evaluations_for_a_period(app, world):
    penilai = signed_in(app, "penilai")
    q3 = world.a.quarters[2]
    page = penilai.get(f"/kota-a/penilaian/massal/?periode={q3}").get_data(as_text=True)
    assert f'name="plan" value="{world.a.cycle.plan_id}"' in page
    response = post(penilai, f"/kota-a/penilaian/massal/{q3}", {"aksi": "mulai", "plan": [str(world.a.cycle.plan_id)]})
    assert response.status_code == 200 and 'class="done"' in response.get_data(as_text=True)
    started = in_a(app, lambda: db.session.scalar(select(m.Evaluation).where(
        m.Evaluation.plan_id == world.a.cycle.plan_id, m.Evaluation.period_id == q3)))
    assert started is not None and started.status is m.EvaluationStatus.DRAFT
    assert _audit_count(app, "evaluation.create") == 1
    # Starting again is harmless and says so.
    again = post(penilai, f"/kota-a/penilaian/massal/{q3}", {"aksi": "mulai", "plan": [str(world.a.cycle.plan_id)]})
    assert "Sudah dimulai sebelumnya." in again.get_data(as_text=True)


def test_bulk_finalisation_passes_every_blocker_and_reports_it_per_row(app, world):
    penilai = signed_in(app, "penilai")
    q2 = world.a.quarters[1]  # make_cycle's draft: no realisation for Q2, so a blocker stands
    plan = world.a.cycle.plan_id
    shown = in_a(app, lambda: db.session.get(m.Evaluation, world.a.cycle.evaluation_id).version)
    assert f'name="version-{plan}" value="{shown}"' in penilai.get(f"/kota-a/penilaian/massal/?periode={q2}").get_data(
        as_text=True)
    response = post(penilai, f"/kota-a/penilaian/massal/{q2}", {"aksi": "finalkan", "plan": [str(plan)],
                                                                 f"version-{plan}": str(shown)})
    html = response.get_data(as_text=True)
    assert 'class="refused"' in html and "Belum dapat difinalkan" in html
    # A draft changed since the page showed it (or no version sent) is refused as stale, never finalised unseen.
    for stale in ({f"version-{plan}": str(shown - 1)}, {}):
        html = post(penilai, f"/kota-a/penilaian/massal/{q2}", {"aksi": "finalkan", "plan": [str(plan)], **stale}
                    ).get_data(as_text=True)
        assert 'class="refused"' in html and "sudah diubah orang lain" in html
    draft = in_a(app, lambda: db.session.get(m.Evaluation, world.a.cycle.evaluation_id).status)
    assert draft is m.EvaluationStatus.DRAFT
    q1 = world.a.quarters[0]  # already final
    html = post(penilai, f"/kota-a/penilaian/massal/{q1}", {"aksi": "finalkan",
                                                             "plan": [str(world.a.cycle.plan_id)]}).get_data(as_text=True)
    assert "sudah final" in html
    # A bad action or nothing ticked: a message on the page.
    assert post(penilai, f"/kota-a/penilaian/massal/{q1}", {"aksi": "hapus", "plan": ["1"]}).status_code == 422
    assert post(penilai, f"/kota-a/penilaian/massal/{q1}", {"aksi": "mulai"}).status_code == 422


def test_bulk_evaluation_by_someone_who_rates_nobody(app, world):
    pegawai = signed_in(app, "pegawai")
    q3 = world.a.quarters[2]
    html = post(pegawai, f"/kota-a/penilaian/massal/{q3}", {"aksi": "mulai",
                                                             "plan": [str(world.a.cycle.plan_id)]}).get_data(as_text=True)
    assert 'class="refused"' in html and 'class="done"' not in html
    assert in_a(app, lambda: db.session.scalar(select(func.count()).select_from(m.Evaluation).where(
        m.Evaluation.period_id == q3))) == 0


# --- links, the grid, the submit confirmation ----------------------------------------------

def test_history_rows_link_to_their_pages(app, world):
    html = signed_in(app, "pegawai").get("/kota-a/riwayat/").get_data(as_text=True)
    assert f'href="/kota-a/skp/{world.a.cycle.plan_id}"' in html
    assert f'href="/kota-a/penilaian/{world.a.cycle.final_evaluation_id}"' in html
    assert f'href="/kota-a/keberatan/{world.a.cycle.objection_id}"' in html


def test_work_list_items_link_to_where_the_work_is_done(app, world):
    _submitted_plans(app, world)
    pegawai = signed_in(app, "pegawai")
    _upload(pegawai, world, "laporan.pdf", PDF)
    home = signed_in(app, "penilai").get("/kota-a/").get_data(as_text=True)
    assert f'href="/kota-a/skp/{world.a.cycle.plan_id}/bukti#bukti-' in home  # evidence to review
    assert 'href="/kota-a/skp/tim"' in home  # bulk agreement
    own = pegawai.get("/kota-a/").get_data(as_text=True)
    assert f'href="/kota-a/skp/{world.a.cycle.plan_id}"' in own


def test_realisation_grid_says_it_scrolls(app, world):
    html = signed_in(app, "pegawai").get(f"/kota-a/skp/{world.a.cycle.plan_id}/realisasi").get_data(as_text=True)
    assert 'class="table-scroll grid-scroll"' in html and 'id="grid-scroll-hint"' in html
    assert "everyday.css" in html


def _draft_plan(app, world) -> int:
    def run():
        year_2027 = Period(year=2027, kind=PeriodKind.YEAR, sequence=1,
                           starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31))
        plan = m.Plan(employee_id=world.a.pegawai_id, period=year_2027, position_name="Staf", unit_name="Dinas")
        result = m.PlanResult(plan=plan, description="Layanan administrasi tertib")
        indicator = m.PlanIndicator(result=result, name="Dokumen diproses", aspect="kuantitas",
                                    direction="higher", unit="dokumen", target_lower=12, target_upper=12)
        db.session.add_all([year_2027, plan, result, indicator])
        db.session.commit()
        return plan.id
    return in_a(app, run)


def test_plan_submission_asks_for_confirmation(app, world):
    plan_id = _draft_plan(app, world)
    pegawai = signed_in(app, "pegawai")
    page = pegawai.get(f"/kota-a/skp/{plan_id}").get_data(as_text=True)
    assert f'href="/kota-a/skp/{plan_id}/ajukan/konfirmasi"' in page
    assert f'action="/kota-a/skp/{plan_id}/ajukan"' not in page  # no one-click submission
    confirm = pegawai.get(f"/kota-a/skp/{plan_id}/ajukan/konfirmasi")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Penilai Kota-A" in html and "1 RHK dengan 1 IKI" in html
    assert in_a(app, lambda: db.session.get(m.Plan, plan_id).status) is m.PlanStatus.DRAFT
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    response = post(pegawai, f"/kota-a/skp/{plan_id}/ajukan", {"version": version})
    assert response.status_code == 302
    assert in_a(app, lambda: db.session.get(m.Plan, plan_id).status) is m.PlanStatus.SUBMITTED
    # Once submitted there is nothing to confirm.
    assert pegawai.get(f"/kota-a/skp/{plan_id}/ajukan/konfirmasi").status_code == 403
    assert signed_in(app, "penilai").get(f"/kota-a/skp/{plan_id}/ajukan/konfirmasi").status_code == 403


def test_confirmation_of_an_incomplete_plan_lists_what_is_missing(app, world):
    plan_id = _draft_plan(app, world)
    in_a(app, lambda: (db.session.execute(m.PlanIndicator.__table__.delete()), db.session.commit()))
    html = signed_in(app, "pegawai").get(f"/kota-a/skp/{plan_id}/ajukan/konfirmasi").get_data(as_text=True)
    assert "belum memiliki IKI" in html and "Ya, ajukan" not in html


def test_picker_search_uses_positions_of_the_tenant_only(app, world):
    client = signed_in(app, "admin")
    names = in_a(app, lambda: list(db.session.scalars(select(Position.name))))
    _, answer = _json(client, "/kota-a/cari/jabatan?q=beta")
    assert answer["results"] == [] and not any(n.startswith("Beta") for n in names)
