"""Objection files previewed in the page, like evidence: an attached image is
shown as an ``<img>``, a PDF's first pages rendered as PNG (app.web.pdfpages),
both served inline with the preview's sandboxing headers to those who may
download the file (the pegawai, the deciding atasan, the admin), 404 to anyone
else and across tenants; other types keep only their download link."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pypdf import PdfWriter
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.skp.objections.models import ObjectionFile
from app.storage import storage
from tests.browser import sign_in
from tests.conftest import assert_guarded_preview
from tests.objection_support import add_objection_file
from tests.test_skp_realisation import build_world, in_a, post, signed_in

A4_AT_900 = (900, 1273)  # 595.28 × 841.89 pt, 900 px wide


@pytest.fixture
def world(app, two_tenants, tmp_path, monkeypatch):
    return build_world(app, two_tenants, tmp_path, monkeypatch)


def _png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595.28, height=841.89)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _detail(w) -> str:
    return f"/kota-a/keberatan/{w.a.cycle.objection_id}"


def _attach(app, w, name: str, data: bytes) -> int:
    """``name`` attached by the pegawai through the form; its file id."""
    response = post(signed_in(app, "pegawai"), _detail(w) + "/berkas", {"file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return in_a(app, lambda: db.session.scalar(select(ObjectionFile.id).order_by(ObjectionFile.id.desc())))


def _image_url(w, file_id: int, objection_id: int | None = None) -> str:
    return f"/kota-a/keberatan/{objection_id or w.a.cycle.objection_id}/berkas/{file_id}/pratinjau"


def _page_url(w, file_id: int, page: int, objection_id: int | None = None) -> str:
    return _image_url(w, file_id, objection_id) + f"/{page}"


def _download_link(w, file_id: int) -> str:
    return f'href="/kota-a/keberatan/{w.a.cycle.objection_id}/berkas?berkas={file_id}"'


def _preview_block(html: str, file_id: int) -> str:
    start = html.index(f'id="pratinjau-{file_id}"')
    return html[start:html.index("</details>", start)]


def _actions(app) -> list[str]:
    return in_a(app, lambda: list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))))


def _assert_preview_headers(response, content_type: str) -> None:
    assert response.headers["Content-Type"] == content_type
    assert_guarded_preview(response)


# --- images ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["pegawai", "atasan", "admin"])
def test_an_image_is_shown_inline_to_who_may_download_it(app, world, role):
    png = _png()
    file_id = _attach(app, world, "Foto kegiatan.png", png)
    before = _actions(app)
    client = signed_in(app, role)
    html = client.get(_detail(world)).get_data(as_text=True)
    block = _preview_block(html, file_id)
    assert f'<img src="{_image_url(world, file_id)}" alt="Lampiran keberatan: Foto kegiatan.png"' in block
    assert _download_link(world, file_id) in html  # the download link stays
    response = client.get(_image_url(world, file_id))
    assert response.status_code == 200
    assert response.data == png
    _assert_preview_headers(response, "image/png")
    # Part of the page, not a download: nothing new in the audit trail.
    assert "objection.file_download" not in _actions(app)[len(before):]
    # An image has no pages.
    assert client.get(_page_url(world, file_id, 1)).status_code == 404


@pytest.mark.parametrize("role", ["penilai", "peer"])
def test_no_preview_for_others(app, world, role):
    image_id = _attach(app, world, "Foto.png", _png())
    pdf_id = _attach(app, world, "Surat.pdf", _pdf(1))
    client = signed_in(app, role)
    assert client.get(_detail(world)).status_code == 403  # as before: they do not see the objection
    response = client.get(_image_url(world, image_id))
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert client.get(_page_url(world, pdf_id, 1)).status_code == 404
    assert app.test_client().get(_image_url(world, image_id)).status_code in (302, 401)


def _b_objection_file(app, w, name: str, content_type: str, data: bytes) -> int:
    """A file on tenant B's objection."""
    with app.app_context():
        file_id = add_objection_file("kota-b", w.b.cycle.objection_id, w.b.user_ids["pegawai"], name, content_type,
                                     data)
        db.session.remove()
    return file_id


@pytest.mark.parametrize("role", ["pegawai", "atasan", "admin"])
def test_another_tenants_files_are_not_found(app, world, role):
    b_image = _b_objection_file(app, world, "Beta foto.png", "image/png", _png())
    b_pdf = _b_objection_file(app, world, "Beta surat.pdf", "application/pdf", _pdf(1))
    b_objection = world.b.cycle.objection_id
    client = signed_in(app, role)
    # Through A's own objection (the file is not on it, nor in the tenant) and through B's objection.
    for objection_id in (None, b_objection):
        assert client.get(_image_url(world, b_image, objection_id)).status_code == 404
        assert client.get(_page_url(world, b_pdf, 1, objection_id)).status_code == 404


def test_a_file_of_another_objection_is_not_found_through_this_one(app, world):
    file_id = _attach(app, world, "Foto.png", _png())
    other = in_a(app, lambda: _another_objection(world))
    assert signed_in(app, "admin").get(_image_url(world, file_id, other)).status_code == 404


def _another_objection(w) -> int:
    from datetime import date

    from app import models as m

    draft = db.session.get(m.Evaluation, w.a.cycle.evaluation_id)  # Q2's, made final for this
    draft.status = m.EvaluationStatus.FINAL
    objection = m.Objection(evaluation_id=draft.id, lodged_by_id=w.a.user_ids["pegawai"],
                            deadline=date(2026, 7, 19), reasons="Q2", decider_id=w.a.atasan_id)
    db.session.add(objection)
    db.session.commit()
    return objection.id


# --- PDFs -----------------------------------------------------------------------------------

def test_a_pdf_is_shown_as_its_pages(app, world):
    file_id = _attach(app, world, "Surat tugas.pdf", _pdf(2))
    client = signed_in(app, "atasan")
    html = client.get(_detail(world)).get_data(as_text=True)
    block = _preview_block(html, file_id)
    sources = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', block)
    assert sources == [(_page_url(world, file_id, 1), "Halaman 1 dari 2: Surat tugas.pdf"),
                       (_page_url(world, file_id, 2), "Halaman 2 dari 2: Surat tugas.pdf")]
    assert _download_link(world, file_id) in block
    response = client.get(_page_url(world, file_id, 1))
    assert response.status_code == 200
    _assert_preview_headers(response, "image/png")
    assert "tugas-halaman-1.png" in response.headers["Content-Disposition"]
    assert Image.open(io.BytesIO(response.data)).size == A4_AT_900
    assert client.get(_page_url(world, file_id, 3)).status_code == 404  # no such page
    assert client.get(_page_url(world, file_id, 0)).status_code == 404
    assert client.get(_image_url(world, file_id)).status_code == 404  # a PDF is shown through its pages


def test_an_unreadable_pdf_says_so_next_to_the_download_link(app, world):
    file_id = _attach(app, world, "Rusak.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    client = signed_in(app, "pegawai")
    block = _preview_block(client.get(_detail(world)).get_data(as_text=True), file_id)
    assert "Pratinjau tidak tersedia: berkas ini tidak dapat dibaca sebagai PDF" in block
    assert "<img" not in block and _download_link(world, file_id) in block
    assert client.get(_page_url(world, file_id, 1)).status_code == 404


def test_a_missing_file_says_so(app, world):
    file_id = _attach(app, world, "Hilang.pdf", _pdf(1))
    in_a(app, lambda: storage().delete(*db.session.execute(
        select(ObjectionFile.tenant_id, ObjectionFile.storage_key).where(ObjectionFile.id == file_id)).one()))
    client = signed_in(app, "pegawai")
    response = client.get(_detail(world))
    assert response.status_code == 200
    assert "Pratinjau tidak tersedia: berkasnya tidak ditemukan." in _preview_block(response.get_data(as_text=True),
                                                                                    file_id)
    assert client.get(_page_url(world, file_id, 1)).status_code == 404


# --- other types ----------------------------------------------------------------------------

def test_other_types_keep_only_the_download_link(app, world):
    file_id = _attach(app, world, "Rincian.csv", b"iki,nilai\nDokumen diproses,3\n")
    client = signed_in(app, "pegawai")
    html = client.get(_detail(world)).get_data(as_text=True)
    assert _download_link(world, file_id) in html
    assert f'id="pratinjau-{file_id}"' not in html and "Pratinjau Rincian.csv" not in html
    assert client.get(_image_url(world, file_id)).status_code == 404
    assert client.get(_page_url(world, file_id, 1)).status_code == 404


# --- in a real browser --------------------------------------------------------------------

@pytest.mark.browser
def test_the_image_loads_in_a_browser(app, world, live_server, page):
    _attach(app, world, "Foto kegiatan.png", _png((120, 80)))
    sign_in(page, live_server, "kota-a", "atasan")
    page.goto(live_server + _detail(world))
    image = page.locator("img[alt='Lampiran keberatan: Foto kegiatan.png']")
    image.wait_for(state="visible")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [120, 80]
