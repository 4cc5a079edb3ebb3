"""Imports cannot hold a worker: hostile files are bounded, and parsed in the background job."""

from __future__ import annotations

import io
import re
import threading
import time
import zipfile

import pytest
from openpyxl import Workbook

from app.errors import Invalid
from app.imports.models import ImportStatus
from app.imports.readers import Limits, read_table
from tests.test_imports import (
    _admin,
    _batch,
    _join_job_threads,
    _upload,
    _uploaded_batch_id,
    _wait_until_finished,
)


@pytest.fixture
def bare_tenants(app):
    from app.extensions import db
    from tests.conftest import make_tenant

    with app.app_context():
        make_tenant("kota-a")
        db.session.remove()


UNIT_COLUMNS = (("kode", "nama"), ("jenis", "kode_induk"))


def _xlsx(rows, sheet_xml=None, extra: dict[str, bytes] | None = None) -> bytes:
    """A real workbook; ``sheet_xml`` rewrites its first sheet's XML."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and sheet_xml is not None:
                data = sheet_xml(data.decode()).encode()
            target.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def _declaring(ref: str):
    return lambda xml: re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', xml)


def _read(data: bytes, limits: Limits | None = None):
    return read_table(data, *UNIT_COLUMNS, limits or Limits())


def test_a_declared_dimension_of_the_whole_sheet_is_ignored():
    data = _xlsx([("kode", "nama"), ("DINKES", "Dinas Kesehatan")], _declaring("A1:XFD1048576"))
    assert len(data) < 8000
    started = time.monotonic()
    table = _read(data)
    assert time.monotonic() - started < 2
    assert [row.values for row in table.rows] == [{"kode": "DINKES", "nama": "Dinas Kesehatan"}]


def test_rows_far_down_and_cells_far_right_are_bounded():
    far_down = _xlsx([("kode", "nama"), ("A", "A")],
                     lambda xml: xml.replace("</sheetData>",
                                             '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Z</t></is></c>'
                                             "</row></sheetData>"))
    started = time.monotonic()
    with pytest.raises(Invalid, match="lebih dari 20000 baris"):
        _read(far_down)
    def cell_at(ref: str):
        return lambda xml: xml.replace("</row></sheetData>",
                                       f'<c r="{ref}" t="inlineStr"><is><t>Z</t></is></c></row></sheetData>')

    with pytest.raises(Invalid, match="Baris 2 berisi lebih dari 100 kolom"):
        _read(_xlsx([("kode", "nama"), ("A", "A")], cell_at("CW2")))  # column 101
    # Cells right of the bound are never read (reading them would trust the sheet's XML).
    assert len(_read(_xlsx([("kode", "nama"), ("A", "A")], cell_at("XFD2"))).rows) == 1
    assert time.monotonic() - started < 5


def test_a_csv_with_twenty_thousand_columns_is_refused_at_once():
    header = ",".join(f"kolom{n}" for n in range(20_000))
    started = time.monotonic()
    with pytest.raises(Invalid, match="lebih dari 100 kolom"):
        _read(f"kode,nama,{header}\nA,A\n".encode())
    assert time.monotonic() - started < 1
    # The duplicate-name check is linear: 20,000 distinct names under a wider limit.
    started = time.monotonic()
    table = _read(f"kode,nama,{header}\nA,A\n".encode(), Limits(columns=30_000))
    assert time.monotonic() - started < 1 and len(table.ignored_columns) == 20_000


def test_blank_lines_and_cells_are_bounded_too():
    with pytest.raises(Invalid, match="lebih dari 5 baris"):
        _read(b"kode,nama\n" + b"\n" * 5000 + b"A,A\n", Limits(rows=5))
    with pytest.raises(Invalid, match="terlalu besar"):
        _read(b"kode,nama\n" + b"A,B\n" * 100, Limits(cells=50))
    # Trailing separators do not count as columns.
    assert len(_read(b"kode,nama" + b"," * 500 + b"\nA,A" + b"," * 500 + b"\n").rows) == 1


def test_an_archive_that_unpacks_too_big_is_refused_in_the_request(app, client, bare_tenants):
    bomb = _xlsx([("kode", "nama"), ("A", "A")], extra={"xl/media/padding.bin": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 200_000
    with pytest.raises(Invalid, match="terlalu besar"):
        _read(bomb)
    _admin(client)
    response = _upload(client, "units", "unit.xlsx", bomb)
    assert response.status_code == 422
    assert "terlalu besar" in response.get_data(as_text=True)


def test_the_upload_request_only_stores_the_file_and_the_job_parses_it(app, client, bare_tenants, monkeypatch):
    from app.imports import services

    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    parsed_in: list[str] = []
    real_read_table = services.read_table

    def spy(*args, **kwargs):
        parsed_in.append(threading.current_thread().name)
        return real_read_table(*args, **kwargs)

    monkeypatch.setattr(services, "read_table", spy)
    _admin(client)
    data = _xlsx([("kode", "nama"), ("BARU", "Unit Baru")], _declaring("A1:XFD1048576"))
    batch_id = _uploaded_batch_id(_upload(client, "units", "unit.xlsx", data))
    status = _wait_until_finished(client, batch_id)
    _join_job_threads()
    assert status["status"] == "preview" and status["total_rows"] == 1
    assert parsed_in == ["kinerja-job-check_batch"]
    assert _batch(app, batch_id).summary == {"columns": ["kode", "nama"], "ignored_columns": [],
                                             "counts": {"create": 1, "update": 0, "unchanged": 0, "error": 0}}


def test_a_rejected_file_is_explained_on_the_batch_page(app, client, bare_tenants, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_COLUMNS", 3)
    _admin(client)
    batch_id = _uploaded_batch_id(_upload(client, "units", "unit.csv", b"kode,nama,a,b,c\nA,A\n"))
    assert _batch(app, batch_id).status == ImportStatus.REJECTED
    html = client.get(f"/kota-a/admin/impor/{batch_id}").get_data(as_text=True)
    assert "Baris 1 berisi lebih dari 3 kolom." in html and "None" not in html
