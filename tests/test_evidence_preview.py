"""Evidence PDFs previewed in the page (issue #12, item 5): the first pages are
rendered to PNG on the server (app.web.pdfpages, PDFium in a process of its
own), shown as images with the download link next to them, served with the
preview's sandboxing headers, kept in storage next to the file so a second
view renders nothing, and a file that cannot be rendered says so plainly."""

from __future__ import annotations

import io
import re
import time
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter
from sqlalchemy import select
from weasyprint import HTML

from app import models as m
from app.extensions import db
from app.storage import LocalStorage, StorageError, storage
from app.tenancy import tenant_scope
from app.tenancy.models import Tenant
from app.web import pdfpages
from tests.conftest import PASSWORD, assert_guarded_preview
from tests.test_skp_realisation import build_world, cell_url, in_a, post, signed_in

A4_AT_900 = (900, 1273)  # 595.28 × 841.89 pt, 900 px wide


@pytest.fixture
def world(app, two_tenants, tmp_path, monkeypatch):
    return build_world(app, two_tenants, tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def seven_pages() -> bytes:
    later = "".join(f'<p style="break-before: page">Halaman {n}</p>' for n in range(2, 8))
    return HTML(string=f"<h1>Laporan kegiatan</h1><p>Halaman 1</p>{later}").write_pdf()


def _pdf(*sizes: tuple[float, float], password: str | None = None) -> bytes:
    writer = PdfWriter()
    for width, height in sizes:
        writer.add_blank_page(width=width, height=height)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(client, w, name: str, data: bytes):
    return post(client, cell_url(w, w.a.quarters[1]) + "/berkas",
                {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _latest_evidence(app) -> m.Evidence:
    def find():
        item = db.session.scalars(select(m.Evidence).where(m.Evidence.kind == m.EvidenceKind.FILE)
                                  .order_by(m.Evidence.id.desc())).first()
        db.session.expunge(item)
        return item
    return in_a(app, find)


def _stored_evidence(app, slug: str, realisation_id: int, data: bytes, name: str = "bukti.pdf") -> int:
    """A PDF evidence item whose stored bytes are ``data`` (whatever they are), as an upload leaves it."""
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with tenant_scope(tenant):
            item = m.Evidence(realisation_id=realisation_id, kind=m.EvidenceKind.FILE, original_name=name,
                              storage_key=storage().save(tenant.id, data), content_type="application/pdf",
                              size=len(data))
            db.session.add(item)
            db.session.commit()
            item_id = item.id
        db.session.remove()
        return item_id


def _page_url(evidence_id: int, page: int) -> str:
    return f"/kota-a/skp/bukti/{evidence_id}/pratinjau/{page}"


def _preview_block(html: str, evidence_id: int) -> str:
    start = html.index(f'id="bukti-{evidence_id}"')
    return html[start:html.index("</li>\n", html.index("</details>", start))]


class CountingStorage(LocalStorage):
    """The local disk, counting what is derived from each stored file."""

    def __init__(self, root) -> None:
        super().__init__(root)
        self.saved: list[tuple[str, str]] = []

    def save_derived(self, tenant_id: int, key: str, name: str, data: bytes) -> None:
        self.saved.append((key, name))
        super().save_derived(tenant_id, key, name, data)

    def renders(self, key: str) -> int:
        return sum(1 for k, name in self.saved if k == key and name == pdfpages.MANIFEST)


class PlainStorage:
    """A backend with only the three required methods (no derived files)."""

    def __init__(self, root) -> None:
        self.local = LocalStorage(root)

    def save(self, tenant_id, data):
        return self.local.save(tenant_id, data)

    def open(self, tenant_id, key):
        return self.local.open(tenant_id, key)

    def delete(self, tenant_id, key):
        self.local.delete(tenant_id, key)


@pytest.fixture
def counting(app, world, tmp_path, monkeypatch) -> CountingStorage:
    store = CountingStorage(tmp_path / "uploads")
    monkeypatch.setitem(app.extensions, "kinerja_storage", store)
    return store


# --- the pages ----------------------------------------------------------------------------

def test_the_first_pages_of_a_pdf_are_shown_as_images(app, world, counting, seven_pages):
    pegawai = signed_in(app, "pegawai")
    assert _upload(pegawai, world, "laporan.pdf", seven_pages).status_code == 302
    item = _latest_evidence(app)
    html = pegawai.get(cell_url(world, world.a.quarters[1])).get_data(as_text=True)
    block = _preview_block(html, item.id)
    assert "<iframe" not in block
    sources = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', block)
    assert [src for src, _alt in sources] == [_page_url(item.id, n) for n in range(1, 6)]
    assert sources[0][1] == "Halaman 1 dari 7: laporan.pdf" and sources[4][1] == "Halaman 5 dari 7: laporan.pdf"
    assert "Hanya 5 halaman pertama dari 7 yang ditampilkan" in block
    assert "laporan.pdf</a>" in block  # the download link

    for number in range(1, 6):
        response = pegawai.get(_page_url(item.id, number))
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert_guarded_preview(response)
        assert "laporan-halaman-" in response.headers["Content-Disposition"]
        image = Image.open(io.BytesIO(response.data))
        assert image.format == "PNG" and image.size == A4_AT_900
    # Pages that were not rendered, and nonsense numbers.
    for number in (0, 6, 7, 99999999999999999999):
        assert pegawai.get(_page_url(item.id, number)).status_code == 404
    # The page images are the document's: page 1 has the heading, page 2 does not.
    first, second = (Image.open(io.BytesIO(pegawai.get(_page_url(item.id, n)).data)).convert("L") for n in (1, 2))
    assert first.getextrema()[0] < 100 and first.crop((0, 0, 900, 250)).getextrema()[0] < 100
    assert second.crop((0, 0, 900, 250)).getextrema()[0] < 100 and first.tobytes() != second.tobytes()


def test_a_page_is_never_taller_than_four_widths(app, world, counting):
    pegawai = signed_in(app, "pegawai")
    _upload(pegawai, world, "spanduk.pdf", _pdf((100, 2000), (842, 595)))  # a banner, then A4 landscape
    item = _latest_evidence(app)
    pegawai.get(cell_url(world, world.a.quarters[1]))
    sizes = [Image.open(io.BytesIO(pegawai.get(_page_url(item.id, n)).data)).size for n in (1, 2)]
    assert sizes == [(180, pdfpages.MAX_HEIGHT), (900, 636)]


def test_a_second_view_renders_nothing(app, world, counting, seven_pages):
    pegawai = signed_in(app, "pegawai")
    _upload(pegawai, world, "laporan.pdf", seven_pages)
    item = _latest_evidence(app)
    url = cell_url(world, world.a.quarters[1])
    pegawai.get(url)
    assert counting.renders(item.storage_key) == 1
    assert len([1 for key, _name in counting.saved if key == item.storage_key]) == 6  # five pages, one manifest
    pegawai.get(url)
    for number in (1, 2, 5):
        assert pegawai.get(_page_url(item.id, number)).status_code == 200
    signed_in(app, "penilai").get(f"/kota-a/skp/{world.a.cycle.plan_id}/bukti")
    assert counting.renders(item.storage_key) == 1
    # The kept pages go with the file.
    with app.app_context():
        counting.delete(item.tenant_id, item.storage_key)
        with pytest.raises(StorageError):
            counting.open_derived(item.tenant_id, item.storage_key, pdfpages.MANIFEST)


def test_a_page_image_asked_for_first_renders_the_file(app, world, counting, seven_pages):
    pegawai = signed_in(app, "pegawai")
    _upload(pegawai, world, "laporan.pdf", seven_pages)
    item = _latest_evidence(app)
    assert pegawai.get(_page_url(item.id, 3)).status_code == 200
    assert pegawai.get(_page_url(item.id, 4)).status_code == 200
    assert counting.renders(item.storage_key) == 1


def test_a_storage_without_derived_files_still_shows_the_pages(app, world, tmp_path, monkeypatch):
    monkeypatch.setitem(app.extensions, "kinerja_storage", PlainStorage(tmp_path / "uploads"))
    pegawai = signed_in(app, "pegawai")
    _upload(pegawai, world, "dua.pdf", _pdf((595, 842), (595, 842)))
    item = _latest_evidence(app)
    assert 'alt="Halaman 2 dari 2: dua.pdf"' in pegawai.get(cell_url(world, world.a.quarters[1])).get_data(True)
    response = pegawai.get(_page_url(item.id, 2))
    assert response.status_code == 200 and Image.open(io.BytesIO(response.data)).size == (900, round(842 * 900 / 595))


# --- what cannot be shown -----------------------------------------------------------------

@pytest.mark.parametrize(("data", "message"), [
    (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "tidak dapat dibaca sebagai PDF"),  # damaged
    (b"bukan PDF sama sekali, hanya teks", "tidak dapat dibaca sebagai PDF"),  # labelled PDF, is not
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "tidak dapat dibaca sebagai PDF"),
    (_pdf((595, 842), password="rahasia"), "tidak dapat dibaca sebagai PDF"),  # needs a password
    (b"%PDF-1.7\n" + b"\xff" * 5000, "tidak dapat dibaca sebagai PDF"),
])
def test_a_file_that_is_not_a_readable_pdf_says_so(app, world, counting, data, message):
    item_id = _stored_evidence(app, "kota-a", world.a.cycle.realisation_id, data)
    pegawai = signed_in(app, "pegawai")
    response = pegawai.get(cell_url(world, world.a.quarters[0]))
    assert response.status_code == 200
    block = _preview_block(response.get_data(as_text=True), item_id)
    assert "Pratinjau tidak tersedia" in block and message in block and "<img" not in block
    assert "bukti.pdf</a>" in block  # the download link
    assert pegawai.get(_page_url(item_id, 1)).status_code == 404
    # The failure is kept too: the same bytes are not tried again.
    pegawai.get(cell_url(world, world.a.quarters[0]))
    key = in_a(app, lambda: db.session.get(m.Evidence, item_id).storage_key)
    assert counting.renders(key) == 1


def test_a_damaged_upload_through_the_form(app, world, counting):
    pegawai = signed_in(app, "pegawai")
    assert _upload(pegawai, world, "rusak.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").status_code == 302
    item = _latest_evidence(app)
    html = pegawai.get(cell_url(world, world.a.quarters[1])).get_data(as_text=True)
    assert "Pratinjau tidak tersedia" in _preview_block(html, item.id)
    assert pegawai.get(_page_url(item.id, 1)).status_code == 404


def test_a_file_too_large_is_not_rendered(app, world, counting, monkeypatch):
    monkeypatch.setattr(pdfpages, "MAX_BYTES", 100)
    item_id = _stored_evidence(app, "kota-a", world.a.cycle.realisation_id, _pdf((595, 842)))
    html = signed_in(app, "pegawai").get(cell_url(world, world.a.quarters[0])).get_data(as_text=True)
    assert "terlalu besar untuk dipratinjau" in _preview_block(html, item_id)


def test_rendering_is_bounded_in_time_and_a_timeout_is_tried_again_later(app, world, counting, monkeypatch):
    monkeypatch.setattr(pdfpages, "TIMEOUT", 0.001)  # no renderer starts this fast: the child is killed
    item_id = _stored_evidence(app, "kota-a", world.a.cycle.realisation_id, _pdf((595, 842)))
    pegawai = signed_in(app, "pegawai")
    html = pegawai.get(cell_url(world, world.a.quarters[0])).get_data(as_text=True)
    assert "Pratinjau tidak tersedia untuk berkas ini." in _preview_block(html, item_id)
    key = in_a(app, lambda: db.session.get(m.Evidence, item_id).storage_key)
    pegawai.get(cell_url(world, world.a.quarters[0]))
    assert counting.renders(key) == 1  # kept for a while
    monkeypatch.setattr(pdfpages, "TIMEOUT", 20)
    monkeypatch.setattr(pdfpages, "RETRY_AFTER", 0)
    html = pegawai.get(cell_url(world, world.a.quarters[0])).get_data(as_text=True)
    assert 'alt="Halaman 1 dari 1: bukti.pdf"' in _preview_block(html, item_id)
    assert counting.renders(key) == 2


def _content_bomb(operations: int) -> bytes:
    """A 300 KB PDF whose one page draws ``operations`` filled paths (100 MB once inflated)."""
    stream = zlib.compress(b"0 0 m 595 842 l 0 842 l 595 0 l f\n" * operations, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_pdf_bomb_costs_seconds_and_ends_as_a_message(app, world, counting):
    item_id = _stored_evidence(app, "kota-a", world.a.cycle.realisation_id, _content_bomb(3_000_000))
    started = time.monotonic()
    response = signed_in(app, "pegawai").get(cell_url(world, world.a.quarters[0]))
    assert time.monotonic() - started < pdfpages.TIMEOUT + 5
    assert response.status_code == 200
    assert "Pratinjau tidak tersedia untuk berkas ini." in _preview_block(response.get_data(as_text=True), item_id)


def test_a_renderer_that_dies_is_a_clear_message(app, world, counting, monkeypatch):
    monkeypatch.setattr(pdfpages, "MEMORY_BYTES", 8 * 1024 * 1024)  # too little to even start PDFium
    item_id = _stored_evidence(app, "kota-a", world.a.cycle.realisation_id, _pdf((595, 842)))
    response = signed_in(app, "pegawai").get(cell_url(world, world.a.quarters[0]))
    assert response.status_code == 200
    assert "Pratinjau tidak tersedia untuk berkas ini." in _preview_block(response.get_data(as_text=True), item_id)


def test_a_missing_file_says_so(app, world, counting):
    item_id = _stored_evidence(app, "kota-a", world.a.cycle.realisation_id, _pdf((595, 842)))
    item = in_a(app, lambda: db.session.get(m.Evidence, item_id))
    with app.app_context():
        counting.delete(item.tenant_id, item.storage_key)
    pegawai = signed_in(app, "pegawai")
    response = pegawai.get(cell_url(world, world.a.quarters[0]))
    assert response.status_code == 200
    assert "berkasnya tidak ditemukan" in _preview_block(response.get_data(as_text=True), item_id)
    assert pegawai.get(_page_url(item_id, 1)).status_code == 404


# --- who sees it --------------------------------------------------------------------------

def test_only_who_may_see_the_plan_sees_its_pages(app, world, counting, seven_pages):
    pegawai = signed_in(app, "pegawai")
    _upload(pegawai, world, "laporan.pdf", seven_pages)
    item = _latest_evidence(app)
    assert signed_in(app, "penilai").get(_page_url(item.id, 1)).status_code == 200
    assert signed_in(app, "peer").get(_page_url(item.id, 1)).status_code == 403
    assert app.test_client().get(_page_url(item.id, 1)).status_code in (302, 401)
    # The image route shows images only; a PDF is shown through its pages.
    assert pegawai.get(f"/kota-a/skp/bukti/{item.id}/pratinjau").status_code == 404


def test_another_tenants_evidence_is_not_found(app, world, counting):
    b_item = _stored_evidence(app, "kota-b", world.b.cycle.realisation_id, _pdf((595, 842)))
    for role in ("pegawai", "penilai", "admin"):
        client = signed_in(app, role)
        assert client.get(_page_url(b_item, 1)).status_code == 404
        assert client.get(f"/kota-a/skp/bukti/{b_item}/pratinjau").status_code == 404
    assert all(name != pdfpages.MANIFEST for _key, name in counting.saved)


def test_derived_names_never_reach_the_file_system(tmp_path):
    store = LocalStorage(tmp_path)
    key = store.save(1, b"%PDF-1.4")
    for name in ("../x", "a/b", ".hidden", "", "A.PNG", "x" * 65, "..", "."):
        with pytest.raises(StorageError):
            store.save_derived(1, key, name, b"x")
    with pytest.raises(StorageError):
        store.save_derived(1, "0" * 32, "halaman.png", b"x")  # no such stored file
    with pytest.raises(StorageError):
        store.save_derived(2, key, "halaman.png", b"x")  # another tenant's key opens nothing
    store.save_derived(1, key, "halaman.png", b"png")
    with store.open_derived(1, key, "halaman.png") as f:
        assert f.read() == b"png"
    store.delete(1, key)
    assert list(tmp_path.rglob("*")) == [tmp_path / "1", tmp_path / "1" / key[:2]]


# --- in a real browser --------------------------------------------------------------------

@pytest.mark.browser
def test_the_pages_load_in_a_browser(app, world, counting, seven_pages, live_server, page, tmp_path):
    page.goto(f"{live_server}/kota-a/login")
    page.fill("input[name=username]", "pegawai")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/kota-a/")
    page.goto(live_server + cell_url(world, world.a.quarters[1]))
    page.set_input_files("input[type=file]", files=[
        {"name": "laporan.pdf", "mimeType": "application/pdf", "buffer": seven_pages}])
    page.locator("form:has(input[type=file]) button[type=submit]").click()
    page.click("summary:has-text('Pratinjau laporan.pdf')")
    first = page.locator("img[alt='Halaman 1 dari 7: laporan.pdf']")
    first.wait_for(state="visible")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    assert first.evaluate("img => [img.naturalWidth, img.naturalHeight]") == list(A4_AT_900)
    assert page.locator(".pdf-pages img").count() == 5
    assert "Hanya 5 halaman pertama dari 7 yang ditampilkan" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
