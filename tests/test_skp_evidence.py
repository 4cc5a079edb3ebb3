"""Bukti dukung: upload limits and type checks by content, safe storage,
who may download (with which headers), links, review, deletion, finality."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app import models as m
from app.audit.models import AuditEntry
from app.extensions import db
from app.skp.realisation import evidence as evidence_service
from app.storage import LocalStorage, StorageError
from tests.test_skp_realisation import build_world, cell_url, finalise, in_a, post, signed_in


@pytest.fixture
def world(app, two_tenants, tmp_path, monkeypatch):
    return build_world(app, two_tenants, tmp_path, monkeypatch)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml" if kind == "xlsx" else "word/document.xml", "<x/>")
    return buffer.getvalue()


def _upload(client, w, period_id: int, name: str, data: bytes):
    return post(client, cell_url(w, period_id) + "/berkas",
                {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _evidence(app, **where):
    def run():
        query = select(m.Evidence).order_by(m.Evidence.id)
        for key, value in where.items():
            query = query.where(getattr(m.Evidence, key) == value)
        return [(e.id, e.kind, e.original_name, e.storage_key, e.content_type, e.size, e.review, e.review_note,
                 e.uploaded_by_id) for e in db.session.scalars(query)]
    return in_a(app, run)


def _stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_ROOT"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _notifications(app, user_id: int, kind: str) -> list[str]:
    return in_a(app, lambda: list(db.session.scalars(
        select(m.Notification.message).where(m.Notification.user_id == user_id, m.Notification.kind == kind))))


# --- uploading -------------------------------------------------------------------------

def test_pegawai_uploads_a_pdf(app, world):
    w = world
    client = signed_in(app, "pegawai")
    response = _upload(client, w, w.a.quarters[1], "Laporan Triwulan 2.pdf", PDF)
    assert response.status_code == 302
    [item] = _evidence(app, kind=m.EvidenceKind.FILE)
    _, _, name, key, content_type, size, review, _, uploader = item
    assert name == "Laporan Triwulan 2.pdf" and content_type == "application/pdf" and size == len(PDF)
    assert review is m.EvidenceReview.PENDING and uploader == w.a.user_ids["pegawai"]
    # Stored under the tenant's directory by a generated name, never the user's.
    [stored] = _stored_files(app)
    tenant_id = w.a.tenant.id
    assert stored.relative_to(app.config["UPLOAD_ROOT"]).parts == (str(tenant_id), key[:2], key)
    assert stored.read_bytes() == PDF
    assert "Laporan Triwulan 2.pdf" in client.get(cell_url(w, w.a.quarters[1])).get_data(as_text=True)
    # The penilai is told; the trail has it.
    assert _notifications(app, w.a.user_ids["penilai"], "evidence.pending")
    actions = in_a(app, lambda: list(db.session.scalars(select(AuditEntry.action))))
    assert "evidence.create" in actions


@pytest.mark.parametrize("name,data", [("data.xlsx", _office("xlsx")), ("surat.docx", _office("docx")),
                                       ("foto.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
                                       ("grafik.png", PNG), ("rekap.csv", "no;nama\n1;Ani Ömer\n".encode()),
                                       ("catatan.txt", b"\xef\xbb\xbfSelesai tepat waktu.\r\n")])
def test_every_allowed_type_is_accepted(app, world, name, data):
    client = signed_in(app, "pegawai")
    assert _upload(client, world, world.a.quarters[1], name, data).status_code == 302
    [item] = _evidence(app, kind=m.EvidenceKind.FILE)
    assert item[2] == name


@pytest.mark.parametrize("name,data,message", [
    ("laporan.pdf", PNG, "Isi berkas tidak sesuai"),          # a PNG named .pdf
    ("laporan.pdf", EXE, "Isi berkas tidak sesuai"),          # a renamed executable
    ("laporan.docx", _office("xlsx"), "Isi berkas tidak sesuai"),
    ("laporan.xlsx", b"PK\x03\x04not really a zip", "Isi berkas tidak sesuai"),
    ("catatan.txt", EXE, "Isi berkas tidak sesuai"),          # binary is not text
    ("setup.exe", EXE, "Jenis berkas tidak diizinkan"),
    ("halaman.html", b"<script>alert(1)</script>", "Jenis berkas tidak diizinkan"),
    ("tanpa-ekstensi", PDF, "Jenis berkas tidak diizinkan"),
    ("kosong.pdf", b"", "Berkas kosong"),
])
def test_wrong_types_are_refused_by_content(app, world, name, data, message):
    client = signed_in(app, "pegawai")
    response = _upload(client, world, world.a.quarters[1], name, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _evidence(app, kind=m.EvidenceKind.FILE) == []
    assert _stored_files(app) == []


def test_too_big_is_refused(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024)
    client = signed_in(app, "pegawai")
    response = _upload(client, world, world.a.quarters[1], "besar.pdf", PDF + b"0" * 2000)
    assert response.status_code == 422
    assert "Berkas terlalu besar" in response.get_data(as_text=True)
    assert _evidence(app, kind=m.EvidenceKind.FILE) == [] and _stored_files(app) == []
    # Exactly at the limit is fine.
    assert _upload(client, world, world.a.quarters[1], "pas.pdf", PDF + b"0" * (1024 - len(PDF))).status_code == 302


def test_a_file_name_never_becomes_a_path(app, world, tmp_path):
    client = signed_in(app, "pegawai")
    for name in ("../../../../etc/passwd.txt", "..\\..\\windows\\win.txt", "/tmp/abs.txt", ".hidden.txt"):  # noqa: S108
        assert _upload(client, world, world.a.quarters[1], name, b"isi biasa\n").status_code == 302
    names = sorted(item[2] for item in _evidence(app, kind=m.EvidenceKind.FILE))
    assert names[:3] == ["abs.txt", "hidden.txt", "passwd.txt"]
    # (The multipart parser already drops backslashes: "..windowswin.txt", then no leading dots.)
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in names)
    root = Path(app.config["UPLOAD_ROOT"]).resolve()
    for stored in _stored_files(app):
        assert stored.resolve().is_relative_to(root)
        assert len(stored.name) == 32 and stored.name.isalnum()
    assert not (tmp_path / "etc").exists()


def test_storage_refuses_keys_it_did_not_make(tmp_path):
    store = LocalStorage(tmp_path)
    key = store.save(7, b"abc")
    assert store.open(7, key).read() == b"abc"
    for bad in ("../x", "../../etc/passwd", key + "/..", key.upper(), ""):
        with pytest.raises(StorageError):
            store.open(7, bad)
    with pytest.raises(StorageError):
        store.open(8, key)  # another tenant's directory
    with pytest.raises(StorageError):
        store.save(0, b"x")
    store.delete(7, key)
    with pytest.raises(StorageError):
        store.open(7, key)


def test_display_names_and_sniffing():
    assert evidence_service.display_name("a/b\\c\x00d.pdf") == "cd.pdf"
    assert evidence_service.display_name("") == "berkas"
    assert len(evidence_service.display_name("x" * 400 + ".pdf")) == 255
    assert evidence_service.display_name("x" * 400 + ".pdf").endswith(".pdf")
    assert evidence_service.sniff(_office("xlsx")) == "xlsx"
    assert evidence_service.sniff(b"PK\x03\x04") is None
    assert evidence_service.sniff(b"teks biasa") == "text"
    assert evidence_service.sniff(b"\x00\x01") is None


@pytest.mark.parametrize("role,status", [("penilai", 403), ("atasan", 403), ("admin", 403), ("peer", 403)])
def test_only_the_pegawai_adds_evidence(app, world, role, status):
    client = signed_in(app, role)
    assert _upload(client, world, world.a.quarters[1], "laporan.pdf", PDF).status_code == status
    assert post(client, cell_url(world, world.a.quarters[1]) + "/tautan",
                {"url": "https://contoh.go.id/x"}).status_code == status
    assert _evidence(app, uploaded_by_id=world.a.user_ids.get(role)) == []
    assert _stored_files(app) == []


# --- downloading ------------------------------------------------------------------------

@pytest.mark.parametrize("role,status", [("pegawai", 200), ("penilai", 200), ("atasan", 200),
                                         ("admin", 200), ("peer", 403)])
def test_download_only_to_those_allowed_with_safe_headers(app, world, role, status):
    owner = signed_in(app, "pegawai")
    assert _upload(owner, world, world.a.quarters[1], "Bukti <1>.pdf", PDF).status_code == 302
    [item] = _evidence(app, kind=m.EvidenceKind.FILE)
    response = signed_in(app, role).get(f"/kota-a/skp/bukti/{item[0]}")
    assert response.status_code == status
    if status == 200:
        assert response.data == PDF
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "Bukti" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "sandbox" in csp
        assert "no-store" in response.headers["Cache-Control"]


def test_another_tenants_evidence_is_404(app, world):
    for role in ("pegawai", "penilai", "admin"):
        client = signed_in(app, role)
        b = world.b.cycle
        assert client.get(f"/kota-a/skp/bukti/{b.evidence_id}").status_code == 404
        assert post(client, f"/kota-a/skp/bukti/{b.evidence_id}/periksa", {"decision": "accept"}).status_code == 404
        assert post(client, f"/kota-a/skp/bukti/{b.evidence_id}/hapus").status_code == 404


def test_a_text_file_is_never_served_as_html(app, world):
    owner = signed_in(app, "pegawai")
    assert _upload(owner, world, world.a.quarters[1], "catatan.txt", b"<html><script>alert(1)</script>").status_code == 302
    [item] = _evidence(app, kind=m.EvidenceKind.FILE)
    response = owner.get(f"/kota-a/skp/bukti/{item[0]}")
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.headers["Content-Disposition"].startswith("attachment;")


# --- links ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://contoh.go.id/a", "data:text/html,hi",
                                 "contoh.go.id/laporan", "https://", "https://user:pw@contoh.go.id/",
                                 "https://contoh.go.id/a b", ""])
def test_links_must_be_http_or_https(app, world, url):
    client = signed_in(app, "pegawai")
    response = post(client, cell_url(world, world.a.quarters[1]) + "/tautan", {"url": url, "title": "Laporan"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Tautan" in html or "tautan" in html
    assert _evidence(app, uploaded_by_id=world.a.user_ids["pegawai"]) == []


def test_a_link_is_added(app, world):
    client = signed_in(app, "pegawai")
    url = "https://drive.contoh.go.id/laporan?id=7&x=1"
    response = post(client, cell_url(world, world.a.quarters[1]) + "/tautan", {"url": url, "title": "Rekap Q2"})
    assert response.status_code == 302
    [item] = _evidence(app, uploaded_by_id=world.a.user_ids["pegawai"])
    assert item[1] is m.EvidenceKind.LINK and item[2] == "Rekap Q2"
    html = client.get(cell_url(world, world.a.quarters[1])).get_data(as_text=True)
    assert 'href="https://drive.contoh.go.id/laporan?id=7&amp;x=1"' in html and 'rel="noopener noreferrer nofollow"' in html


# --- review ---------------------------------------------------------------------------------

def _one_upload(app, w) -> int:
    assert _upload(signed_in(app, "pegawai"), w, w.a.quarters[1], "laporan.pdf", PDF).status_code == 302
    return _evidence(app, kind=m.EvidenceKind.FILE)[0][0]


def test_penilai_reviews_evidence(app, world):
    evidence_id = _one_upload(app, world)
    penilai = signed_in(app, "penilai")
    assert "Simpan pemeriksaan" in penilai.get(cell_url(world, world.a.quarters[1])).get_data(as_text=True)
    # Rejecting needs a reason.
    response = post(penilai, f"/kota-a/skp/bukti/{evidence_id}/periksa", {"decision": "reject", "note": ""})
    assert response.status_code == 302
    assert _evidence(app, id=evidence_id)[0][6] is m.EvidenceReview.PENDING
    assert "alasan penolakan" in penilai.get(response.location).get_data(as_text=True)
    response = post(penilai, f"/kota-a/skp/bukti/{evidence_id}/periksa",
                    {"decision": "reject", "note": "Tanda tangan belum ada"})
    assert response.status_code == 302
    item = _evidence(app, id=evidence_id)[0]
    assert item[6] is m.EvidenceReview.REJECTED and item[7] == "Tanda tangan belum ada"
    assert _notifications(app, world.a.user_ids["pegawai"], "evidence.reviewed")
    post(penilai, f"/kota-a/skp/bukti/{evidence_id}/periksa", {"decision": "accept", "note": ""})
    assert _evidence(app, id=evidence_id)[0][6] is m.EvidenceReview.ACCEPTED
    entries = in_a(app, lambda: [(e.before["review"], e.after["review"]) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "evidence.review").order_by(AuditEntry.seq))])
    assert entries == [("pending", "rejected"), ("rejected", "accepted")]


@pytest.mark.parametrize("role", ["pegawai", "atasan", "admin", "peer"])
def test_only_the_penilai_reviews(app, world, role):
    evidence_id = _one_upload(app, world)
    client = signed_in(app, role)
    response = post(client, f"/kota-a/skp/bukti/{evidence_id}/periksa", {"decision": "accept"})
    assert response.status_code == 403
    assert _evidence(app, id=evidence_id)[0][6] is m.EvidenceReview.PENDING


# --- deleting and finality ---------------------------------------------------------------------

def test_only_the_uploader_deletes(app, world):
    evidence_id = _one_upload(app, world)
    for role in ("penilai", "atasan", "admin", "peer"):
        assert post(signed_in(app, role), f"/kota-a/skp/bukti/{evidence_id}/hapus").status_code == 403
    assert len(_stored_files(app)) == 1
    # Evidence someone else added (make_cycle's link, no uploader) is not the pegawai's to delete.
    owner = signed_in(app, "pegawai")
    assert post(owner, f"/kota-a/skp/bukti/{world.a.cycle.evidence_id}/hapus").status_code == 403
    response = post(owner, f"/kota-a/skp/bukti/{evidence_id}/hapus")
    assert response.status_code == 302
    assert _evidence(app, id=evidence_id) == [] and _stored_files(app) == []
    entry = in_a(app, lambda: db.session.scalar(select(AuditEntry).where(AuditEntry.action == "evidence.delete")))
    assert entry is not None


def test_evidence_of_a_final_period_is_read_only(app, world):
    evidence_id = _one_upload(app, world)
    finalise(app, world.a.cycle.plan_id, world.a.quarters[1])
    owner = signed_in(app, "pegawai")
    assert post(owner, f"/kota-a/skp/bukti/{evidence_id}/hapus").status_code == 403
    assert _upload(owner, world, world.a.quarters[1], "lagi.pdf", PDF).status_code == 403
    assert post(owner, cell_url(world, world.a.quarters[1]) + "/tautan",
                {"url": "https://contoh.go.id/"}).status_code == 403
    assert post(signed_in(app, "penilai"), f"/kota-a/skp/bukti/{evidence_id}/periksa",
                {"decision": "accept"}).status_code == 403
    page = owner.get(cell_url(world, world.a.quarters[1])).get_data(as_text=True)
    assert "Unggah" not in page and "Hapus" not in page
    assert owner.get(f"/kota-a/skp/bukti/{evidence_id}").status_code == 200  # still readable
    assert len(_evidence(app, kind=m.EvidenceKind.FILE)) == 1


def test_csrf_is_required_for_uploads(app, world):
    client = signed_in(app, "pegawai")
    response = client.post(cell_url(world, world.a.quarters[1]) + "/berkas",
                           data={"file": (io.BytesIO(PDF), "a.pdf")}, content_type="multipart/form-data")
    assert response.status_code in (400, 422)
    assert _evidence(app, kind=m.EvidenceKind.FILE) == []
