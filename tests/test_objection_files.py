"""Keberatan (issue #9, item 2): both sides attach files to an objection —
stored, sniffed and size-limited like evidence, downloaded only by the
pegawai, the deciding atasan and the admin, audited, and closed once decided;
and the atasan decides with the evaluation, realisations, evidence and
dialog one click away ("Bahan pertimbangan")."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app import models as m
from app.audit.models import AuditEntry
from app.extensions import db
from app.skp.objections.models import ObjectionFile, ObjectionSide
from tests.objection_support import add_objection_file
from tests.test_skp_realisation import build_world, in_a, post, signed_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def world(app, two_tenants, tmp_path, monkeypatch):
    return build_world(app, two_tenants, tmp_path, monkeypatch)


def _detail(w) -> str:
    return f"/kota-a/keberatan/{w.a.cycle.objection_id}"


def _attach(client, w, name: str, data: bytes):
    return post(client, _detail(w) + "/berkas", {"file": (io.BytesIO(data), name)},
                content_type="multipart/form-data")


def _files(app) -> list[tuple]:
    return in_a(app, lambda: [(f.id, f.side, f.original_name, f.content_type, f.size, f.storage_key,
                               f.uploaded_by_id) for f in db.session.scalars(
        select(ObjectionFile).order_by(ObjectionFile.id))])


def _stored(app) -> list[Path]:
    root = Path(app.config["UPLOAD_ROOT"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _actions(app) -> list[str]:
    return in_a(app, lambda: list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))))


def _download_url(w, file_id: int, objection_id: int | None = None) -> str:
    return f"/kota-a/keberatan/{objection_id or w.a.cycle.objection_id}/berkas?berkas={file_id}"


def _decide(client, w, **extra):
    data = {"outcome": "upheld", "reasons": "Hasil sudah sesuai dengan bukti dukung.", **extra}
    return post(client, _detail(w), data, content_type="multipart/form-data")


# --- attaching ------------------------------------------------------------------------

def test_the_pegawai_attaches_a_file_while_open(app, world):
    w = world
    client = signed_in(app, "pegawai")
    response = _attach(client, w, "Surat tugas.pdf", PDF)
    assert response.status_code == 302
    [(file_id, side, name, content_type, size, key, uploader)] = _files(app)
    assert (side, name, content_type, size) == (ObjectionSide.PEGAWAI, "Surat tugas.pdf", "application/pdf", len(PDF))
    assert uploader == w.a.user_ids["pegawai"]
    # Stored like evidence: under the tenant, by a generated name.
    [stored] = _stored(app)
    assert stored.relative_to(app.config["UPLOAD_ROOT"]).parts == (str(w.a.tenant.id), key[:2], key)
    assert stored.read_bytes() == PDF
    page = client.get(_detail(w)).get_data(as_text=True)
    assert "Surat tugas.pdf" in page and f"berkas={file_id}" in page
    assert "objection.file_attach" in _actions(app)


def test_the_pegawai_attaches_a_file_when_lodging(app, world):
    w = world

    def fresh_final():  # Q2: final, delivered today, no objection yet
        from app.tenancy import tenant_today
        evaluation = db.session.get(m.Evaluation, w.a.cycle.evaluation_id)
        evaluation.status = m.EvaluationStatus.FINAL
        evaluation.predikat_code, evaluation.predikat_label = "baik", "Baik"
        evaluation.delivered_on = tenant_today()
        db.session.commit()
        return evaluation.id
    evaluation_id = in_a(app, fresh_final)
    client = signed_in(app, "pegawai")
    response = post(client, f"/kota-a/keberatan/baru/{evaluation_id}",
                    {"reasons": "Bukti dukung triwulan 2 belum diperiksa.",
                     "lampiran": (io.BytesIO(PDF), "Bukti.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    files = _files(app)
    assert [(f[1], f[2]) for f in files] == [(ObjectionSide.PEGAWAI, "Bukti.pdf")]
    objection_of_file = in_a(app, lambda: db.session.get(ObjectionFile, files[0][0]).objection.evaluation_id)
    assert objection_of_file == evaluation_id


def test_a_disguised_file_when_lodging_lodges_nothing(app, world):
    w = world

    def fresh_final():
        from app.tenancy import tenant_today
        evaluation = db.session.get(m.Evaluation, w.a.cycle.evaluation_id)
        evaluation.status = m.EvaluationStatus.FINAL
        evaluation.delivered_on = tenant_today()
        db.session.commit()
        return evaluation.id
    evaluation_id = in_a(app, fresh_final)
    response = post(signed_in(app, "pegawai"), f"/kota-a/keberatan/baru/{evaluation_id}",
                    {"reasons": "Bukti dukung triwulan 2 belum diperiksa.",
                     "lampiran": (io.BytesIO(EXE), "Bukti.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Isi berkas tidak sesuai" in response.get_data(as_text=True)
    lodged = in_a(app, lambda: db.session.scalar(select(m.Objection).where(m.Objection.evaluation_id == evaluation_id)))
    assert lodged is None and _files(app) == [] and _stored(app) == []


def test_the_atasan_attaches_a_file_when_deciding(app, world):
    w = world
    client = signed_in(app, "atasan")
    assert "Lampiran" in client.get(_detail(w)).get_data(as_text=True)
    response = _decide(client, w, lampiran=(io.BytesIO(PDF), "Nota dinas.pdf"))
    assert response.status_code == 302, response.get_data(as_text=True)
    [(_, side, name, *_rest)] = _files(app)
    assert (side, name) == (ObjectionSide.ATASAN, "Nota dinas.pdf")
    status = in_a(app, lambda: db.session.get(m.Objection, w.a.cycle.objection_id).status)
    assert status is m.ObjectionStatus.UPHELD


def test_the_atasan_attaches_a_file_before_deciding(app, world):
    client = signed_in(app, "atasan")
    assert _attach(client, world, "Catatan.txt", b"Telah diperiksa bersama pegawai.\n").status_code == 302
    [(_, side, name, content_type, *_rest)] = _files(app)
    assert (side, name, content_type) == (ObjectionSide.ATASAN, "Catatan.txt", "text/plain; charset=utf-8")


def test_a_refused_decision_keeps_no_file(app, world):
    client = signed_in(app, "atasan")
    response = _decide(client, world, reasons="pendek", lampiran=(io.BytesIO(PDF), "Nota dinas.pdf"))
    assert response.status_code == 422
    assert _files(app) == [] and _stored(app) == []


@pytest.mark.parametrize("role", ["penilai", "admin", "peer"])
def test_others_may_not_attach(app, world, role):
    response = _attach(signed_in(app, role), world, "Surat.pdf", PDF)
    assert response.status_code in (403, 404)
    assert _files(app) == [] and _stored(app) == []


def test_no_more_files_after_the_decision(app, world):
    atasan = signed_in(app, "atasan")
    assert _decide(atasan, world).status_code == 302
    for client in (signed_in(app, "pegawai"), atasan):
        response = _attach(client, world, "Susulan.pdf", PDF)
        assert response.status_code == 403
        assert "sudah diputuskan" in response.get_data(as_text=True)
        assert "Lampirkan berkas" not in client.get(_detail(world)).get_data(as_text=True)
    assert _files(app) == [] and _stored(app) == []


@pytest.mark.parametrize("name,data,message", [
    ("laporan.pdf", EXE, "Isi berkas tidak sesuai"),   # a renamed executable
    ("setup.exe", EXE, "Jenis berkas tidak diizinkan"),
    ("kosong.pdf", b"", "Berkas kosong"),
])
def test_disguised_or_forbidden_files_are_refused_as_evidence_does(app, world, name, data, message):
    response = _attach(signed_in(app, "pegawai"), world, name, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _files(app) == [] and _stored(app) == []


def test_the_size_limit_of_evidence_applies(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024)
    response = _attach(signed_in(app, "pegawai"), world, "besar.pdf", PDF + b"0" * 2000)
    assert response.status_code == 422 and "terlalu besar" in response.get_data(as_text=True)
    assert _files(app) == []


def test_no_file_chosen_is_a_form_error(app, world):
    response = post(signed_in(app, "pegawai"), _detail(world) + "/berkas", {})
    assert response.status_code == 422
    assert "Pilih berkas" in response.get_data(as_text=True)


# --- downloading ----------------------------------------------------------------------

@pytest.fixture
def attached(app, world):
    assert _attach(signed_in(app, "pegawai"), world, "Surat tugas.pdf", PDF).status_code == 302
    world.file_id = _files(app)[0][0]
    return world


@pytest.mark.parametrize("role", ["pegawai", "atasan", "admin"])
def test_download_for_the_pegawai_the_atasan_and_the_admin(app, attached, role):
    response = signed_in(app, role).get(_download_url(attached, attached.file_id))
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "Surat" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "no-store" in response.headers["Cache-Control"]
    assert "objection.file_download" in _actions(app)


@pytest.mark.parametrize("role", ["penilai", "peer"])
def test_no_download_for_others(app, attached, role):
    response = signed_in(app, role).get(_download_url(attached, attached.file_id))
    assert response.status_code == 403
    assert response.data != PDF
    assert "objection.file_download" not in _actions(app)


def test_junk_or_unknown_file_ids_are_404(app, attached):
    client = signed_in(app, "pegawai")
    for query in ("", "?berkas=abc", "?berkas=99999999999999999999", f"?berkas={attached.file_id + 1000}"):
        assert client.get(_detail(attached) + "/berkas" + query).status_code == 404


def _b_objection_file(app, w) -> int:
    """A file on tenant B's objection (B's pegawai lodged it)."""
    with app.app_context():
        file_id = add_objection_file("kota-b", w.b.cycle.objection_id, w.b.user_ids["pegawai"], "Beta rahasia.pdf",
                                     "application/pdf", PDF)
        db.session.remove()
    return file_id


@pytest.mark.parametrize("role", ["pegawai", "atasan", "admin"])
def test_another_tenants_file_is_404(app, attached, role):
    b_file = _b_objection_file(app, attached)
    client = signed_in(app, role)
    # Through A's own objection (the file is not on it, nor in the tenant) and through B's objection.
    assert client.get(_download_url(attached, b_file)).status_code == 404
    assert client.get(_download_url(attached, b_file, attached.b.cycle.objection_id)).status_code == 404


# --- the atasan's "Bahan pertimbangan" panel -----------------------------------------------

def _panel_links(html: str) -> list[str]:
    match = re.search(r'<section[^>]*id="bahan-pertimbangan".*?</section>', html, re.S)
    assert match, "no Bahan pertimbangan panel"
    return re.findall(r'href="([^"]+)"', match.group(0))


def test_the_panel_links_to_everything_the_atasan_weighs_and_each_opens(app, world):
    w = world
    client = signed_in(app, "atasan")
    links = _panel_links(client.get(_detail(w)).get_data(as_text=True))
    q1 = w.a.quarters[0]
    plan = w.a.cycle.plan_id
    # The objected evaluation is Q1's (make_cycle).
    expected = {f"/kota-a/penilaian/{w.a.cycle.final_evaluation_id}", f"/kota-a/skp/{plan}/realisasi",
                f"/kota-a/skp/{plan}/realisasi/{w.a.cycle.indicator_id}/{q1}", f"/kota-a/skp/{plan}/dialog"}
    assert expected <= set(links)
    for link in links:
        assert client.get(link).status_code == 200, link
    # The realisation page lists the evidence (make_cycle's link on Q1).
    cell = client.get(f"/kota-a/skp/{plan}/realisasi/{w.a.cycle.indicator_id}/{q1}").get_data(as_text=True)
    assert "https://contoh.go.id/laporan-q1" in cell


@pytest.mark.parametrize("role", ["pegawai", "admin"])
def test_the_panel_shows_the_others_only_links_they_may_open(app, world, role):
    client = signed_in(app, role)
    links = _panel_links(client.get(_detail(world)).get_data(as_text=True))
    assert f"/kota-a/penilaian/{world.a.cycle.final_evaluation_id}" in links
    for link in links:
        assert client.get(link).status_code == 200, link
