"""Bulk import of units, positions and employees: preview, all-or-nothing apply,
re-import by NIP/code, CSV and XLSX, file checks, tenant isolation, the job thread."""

from __future__ import annotations

import io
import threading
import time
import zipfile

import pytest
from sqlalchemy import func, select

from app.errors import Invalid
from app.extensions import db
from app.imports.models import ImportBatch, ImportStatus
from app.org.models import Employee, Position, Unit
from app.tenancy import tenant_scope, utc_now
from app.tenancy.models import Tenant
from tests.conftest import PASSWORD, csrf_token, login, make_tenant

EMPLOYEE_HEADER = "nip,nama,jenis_kelamin,jenis_asn,kode_jabatan,email"
# Valid NIPs that the shared fixtures do not use.
RIZKY = "199103152015031002"  # born 15-03-1991, TMT CPNS 03-2015, male
DEWI = "199205202016032001"  # born 20-05-1992, TMT CPNS 03-2016, female
BUDI = "198807082012121003"  # born 08-07-1988, TMT CPNS 12-2012, male
SARI = "199001012021012001"  # PPPK: born 01-01-1990, appointed 2021, female


# --- helpers ------------------------------------------------------------------------

@pytest.fixture
def bare_tenants(app):
    """Tenants A and B with their admins but no organisation: enough where the
    file is the point (and cheaper than ``two_tenants``)."""
    with app.app_context():
        make_tenant("kota-a")
        make_tenant("kota-b")
        db.session.remove()


def _admin(client, slug: str = "kota-a"):
    assert login(client, slug, "admin").status_code == 302
    return client


def _upload(client, kind: str, filename: str, content: bytes, slug: str = "kota-a"):
    token = csrf_token(client, f"/{slug}/admin/impor/")
    return client.post(f"/{slug}/admin/impor/unggah",
                       data={"csrf_token": token, "kind": kind, "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def _uploaded_batch_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").rsplit("/", 1)[-1])


def _confirm(client, batch_id: int, slug: str = "kota-a"):
    token = csrf_token(client, f"/{slug}/admin/impor/{batch_id}")
    return client.post(f"/{slug}/admin/impor/{batch_id}/terapkan", data={"csrf_token": token})


def _csv(*lines: str, delimiter: str = ",") -> bytes:
    return "\n".join(line.replace(",", delimiter) for line in lines).encode()


def _in_a(app, query):
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(tenant):
            result = db.session.execute(query).all()
        db.session.remove()
        return result


def _batch(app, batch_id: int) -> ImportBatch:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(tenant):
            batch = db.session.get(ImportBatch, batch_id)
            db.session.expunge(batch)
        db.session.remove()
        return batch


def _count(app, model) -> int:
    return _in_a(app, select(func.count()).select_from(model))[0][0]


def _employees_by_nip(app) -> dict:
    rows = _in_a(app, select(Employee.nip, Employee.name, Employee.email, Position.code)
                 .outerjoin(Position, Employee.position_id == Position.id))
    return {row.nip: row for row in rows}


def _import(client, app, kind: str, filename: str, content: bytes) -> ImportBatch:
    """Upload, check that it is ready, apply; returns the applied batch."""
    batch_id = _uploaded_batch_id(_upload(client, kind, filename, content))
    assert _batch(app, batch_id).status == ImportStatus.PREVIEW, _batch(app, batch_id).errors
    assert _confirm(client, batch_id).status_code == 302
    batch = _batch(app, batch_id)
    assert batch.status == ImportStatus.APPLIED, batch.errors
    return batch


# --- preview: every bad row, nothing written ----------------------------------------------

def test_bad_rows_are_each_reported_with_line_and_reason_and_nothing_is_written(app, client, two_tenants):
    _admin(client)
    before = _count(app, Employee)
    content = _csv(
        EMPLOYEE_HEADER,
        f"{RIZKY},Rizky Pratama,L,PNS,STAF,rizky@example.go.id",  # 2: good
        "199102302015031002,Tanggal Salah,L,PNS,STAF,",  # 3: 30 February
        f"{DEWI},Dewi Lestari,L,PNS,,",  # 4: the NIP says female
        f"{BUDI},Budi Santoso,L,PNS,TIDAKADA,",  # 5: no such position
        f"{SARI},,P,XYZ,STAF,bukan-email",  # 6: no name, unknown type, bad email
    )
    batch_id = _uploaded_batch_id(_upload(client, "employees", "pegawai.csv", content))

    batch = _batch(app, batch_id)
    assert batch.status == ImportStatus.REJECTED
    problems = {(e["line"], e["field"]) for e in batch.errors}
    assert problems == {(3, "nip"), (4, "jenis_kelamin"), (5, "kode_jabatan"),
                        (6, "nama"), (6, "jenis_asn"), (6, "email")}
    assert batch.summary["counts"] == {"create": 1, "update": 0, "unchanged": 0, "error": 4}

    html = client.get(f"/kota-a/admin/impor/{batch_id}").get_data(as_text=True)
    for reason in ("bukan tanggal yang ada", "digit ke-15", "Jabatan TIDAKADA tidak ditemukan",
                   "Wajib diisi", "Nilai XYZ tidak dikenal", "Alamat email tidak valid"):
        assert reason in html
    assert "Terapkan impor" not in html

    # Confirming a rejected batch is refused; nothing is written.
    _confirm(client, batch_id)
    assert _batch(app, batch_id).status == ImportStatus.REJECTED
    assert _count(app, Employee) == before
    assert RIZKY not in _employees_by_nip(app)


def test_the_errors_download_lists_every_problem(app, client, bare_tenants):
    _admin(client)
    content = _csv(EMPLOYEE_HEADER, "123,Satu,L,PNS,,", "=1+2,Dua,L,PNS,,")
    batch_id = _uploaded_batch_id(_upload(client, "employees", "pegawai.csv", content))
    response = client.get(f"/kota-a/admin/impor/{batch_id}/galat.csv")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "2;nip;NIP harus terdiri dari 18 angka." in text
    assert "3;nip;NIP harus terdiri dari 18 angka." in text


def test_duplicate_nip_in_one_file_reports_both_lines(app, client, bare_tenants):
    _admin(client)
    before = _count(app, Employee)
    content = _csv(
        EMPLOYEE_HEADER,
        f"{RIZKY},Rizky Pratama,L,PNS,,",
        f"{DEWI},Dewi Lestari,P,PNS,,",
        "19910315 201503 1 002,Rizky Lagi,L,PNS,,",  # the same NIP, typed in display form
    )
    batch_id = _uploaded_batch_id(_upload(client, "employees", "pegawai.csv", content))
    batch = _batch(app, batch_id)
    assert batch.status == ImportStatus.REJECTED
    assert [(e["line"], e["field"]) for e in batch.errors] == [(2, "nip"), (4, "nip")]
    assert all("baris 2, 4" in e["message"] for e in batch.errors)
    assert _count(app, Employee) == before


def test_two_employees_may_not_take_one_structural_position(app, client, two_tenants):
    _admin(client)
    content = _csv(EMPLOYEE_HEADER, f"{RIZKY},Rizky Pratama,L,PNS,KASI,", f"{DEWI},Dewi Lestari,P,PNS,STAF,")
    batch = _batch(app, _uploaded_batch_id(_upload(client, "employees", "pegawai.csv", content)))
    assert batch.status == ImportStatus.REJECTED
    assert [(e["line"], e["field"]) for e in batch.errors] == [(2, "kode_jabatan")]
    assert "sudah dipegang Penilai Kota-A" in batch.errors[0]["message"]


# --- apply: everything, in dependency order -------------------------------------------------

def test_a_good_file_applies_every_row_with_references_inside_the_file(app, client, two_tenants):
    _admin(client)
    # ";"-separated with a byte-order mark and headers in any case; a child before its parent.
    units = "\ufeff".encode() + _csv(
        "KODE,Nama,Jenis,Kode Induk",
        "seksi-1,Seksi Pelayanan Dasar,bidang,BID-1",
        "BID-1,Bidang Pelayanan Dasar,bidang,dinkes",
        "PKM-1,Puskesmas Satu,,DINKES",
        delimiter=";",
    )
    batch = _import(client, app, "units", "unit.csv", units)
    assert batch.summary["counts"]["create"] == 3
    parents = {row.code: row.parent for row in _in_a(app, select(Unit.code, Unit.parent_id.label("parent")))}
    ids = {row.code: row.id for row in _in_a(app, select(Unit.code, Unit.id))}
    assert parents["SEKSI-1"] == ids["BID-1"] and parents["BID-1"] == ids["DINKES"]
    assert _in_a(app, select(Unit.kind).where(Unit.code == "PKM-1"))[0][0] == "lainnya"

    positions = _csv(
        "kode,nama,jenis,kode_unit,kode_atasan",
        "KASI-1,Kepala Seksi Pelayanan Dasar,pengawas,SEKSI-1,KABID-1",  # boss further down
        "KABID-1,Kepala Bidang Pelayanan Dasar,administrator,BID-1,KADIS",
        "STAF-1,Pengadministrasi Umum,pelaksana,SEKSI-1,KASI-1",
    )
    _import(client, app, "positions", "jabatan.csv", positions)
    bosses = dict(_in_a(app, select(Position.code, Position.reports_to_id)))
    pids = dict(_in_a(app, select(Position.code, Position.id)))
    assert bosses["KASI-1"] == pids["KABID-1"] and bosses["STAF-1"] == pids["KASI-1"]

    employees = _csv(
        EMPLOYEE_HEADER,
        f"{RIZKY},Rizky Pratama,L,PNS,KASI-1,rizky@example.go.id",
        f"{DEWI},Dewi Lestari,P,PNS,STAF-1,",
        f"{SARI},Sari Wulandari,P,PPPK,staf-1,",
    )
    before = _count(app, Employee)
    batch = _import(client, app, "employees", "pegawai.csv", employees)
    assert batch.summary["applied"] == {"create": 3, "update": 0}
    assert _count(app, Employee) == before + 3
    people = _employees_by_nip(app)
    assert people[RIZKY].code == "KASI-1" and people[RIZKY].email == "rizky@example.go.id"
    assert people[SARI].code == "STAF-1"
    html = client.get(f"/kota-a/admin/impor/{batch.id}").get_data(as_text=True)
    assert "Sudah diterapkan" in html and "3 data baru" in html


def test_reimport_updates_by_nip_instead_of_duplicating(app, client, two_tenants):
    _admin(client)
    first = _csv(EMPLOYEE_HEADER, f"{RIZKY},Rizky Pratama,L,PNS,STAF,rizky@example.go.id",
                 f"{DEWI},Dewi Lestari,P,PNS,,")
    _import(client, app, "employees", "pegawai.csv", first)
    count = _count(app, Employee)

    # Same people again: one renamed and moved (NIP in display form), one unchanged,
    # no email column (so the email is kept).
    second = _csv("NIP,Nama,Jenis Kelamin,Jenis ASN,Kode Jabatan",
                  "19910315 201503 1 002,Rizky Pratama S.Kom,L,PNS,",
                  f"{DEWI},Dewi Lestari,P,PNS,")
    batch_id = _uploaded_batch_id(_upload(client, "employees", "pegawai-2.csv", second))
    batch = _batch(app, batch_id)
    assert batch.summary["counts"] == {"create": 0, "update": 1, "unchanged": 1, "error": 0}
    assert batch.rows[0]["changes"] == ["nama", "kode_jabatan"]
    _confirm(client, batch_id)
    assert _batch(app, batch_id).status == ImportStatus.APPLIED

    assert _count(app, Employee) == count
    people = _employees_by_nip(app)
    assert people[RIZKY].name == "Rizky Pratama S.Kom"
    assert people[RIZKY].code is None
    assert people[RIZKY].email == "rizky@example.go.id"
    nips = [row.nip for row in _in_a(app, select(Employee.nip))]
    assert nips.count(RIZKY) == 1


def test_units_are_matched_by_code_whatever_the_case(app, client, two_tenants):
    _admin(client)
    count = _count(app, Unit)
    batch = _import(client, app, "units", "unit.csv", _csv("kode,nama", "dinkes,Dinas Kesehatan Kota A"))
    assert batch.summary["counts"]["update"] == 1
    assert _count(app, Unit) == count
    assert _in_a(app, select(Unit.name).where(Unit.code == "DINKES"))[0][0] == "Dinas Kesehatan Kota A"


def test_a_file_may_swap_two_structural_positions(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    people = _in_a(app, select(Employee.id, Employee.nip, Employee.name, Employee.sex))
    by_id = {row.id: row for row in people}
    atasan, penilai = by_id[a.atasan_id], by_id[a.penilai_id]
    content = _csv("nip,nama,jenis_kelamin,jenis_asn,kode_jabatan",
                   f"{penilai.nip},{penilai.name},{penilai.sex.value},PNS,KABID",
                   f"{atasan.nip},{atasan.name},{atasan.sex.value},PNS,KASI")
    _import(client, app, "employees", "rotasi.csv", content)
    after = _employees_by_nip(app)
    assert after[penilai.nip].code == "KABID" and after[atasan.nip].code == "KASI"


def test_a_cycle_of_units_is_refused(app, client, two_tenants):
    _admin(client)
    content = _csv("kode,nama,kode_induk", "DINKES,Dinas Kesehatan,BARU", "BARU,Unit Baru,DINKES")
    batch = _batch(app, _uploaded_batch_id(_upload(client, "units", "unit.csv", content)))
    assert batch.status == ImportStatus.REJECTED
    assert {e["line"] for e in batch.errors} == {2, 3}
    assert all("bawahannya" in e["message"] for e in batch.errors)


def test_apply_checks_again_and_writes_nothing_if_the_data_changed(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    before = _count(app, Employee)
    content = _csv(EMPLOYEE_HEADER, f"{RIZKY},Rizky Pratama,L,PNS,,", f"{DEWI},Dewi Lestari,P,PNS,STAF,")
    batch_id = _uploaded_batch_id(_upload(client, "employees", "pegawai.csv", content))
    assert _batch(app, batch_id).status == ImportStatus.PREVIEW
    with app.app_context():  # meanwhile the position is deactivated
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(tenant):
            db.session.get(Position, a.position_ids["STAF"]).active = False
            db.session.commit()
        db.session.remove()
    _confirm(client, batch_id)
    batch = _batch(app, batch_id)
    assert batch.status == ImportStatus.REJECTED
    assert [(e["line"], e["field"]) for e in batch.errors] == [(3, "kode_jabatan")]
    assert _count(app, Employee) == before  # not even the good first row


def test_a_failure_while_writing_leaves_nothing_half_written(app, client, bare_tenants, monkeypatch):
    from app.imports import bulk

    _admin(client)
    before = _count(app, Employee)
    content = _csv(EMPLOYEE_HEADER, f"{RIZKY},Rizky Pratama,L,PNS,,", f"{DEWI},Dewi Lestari,P,PNS,,")
    batch_id = _uploaded_batch_id(_upload(client, "employees", "pegawai.csv", content))
    calls = []

    def audit_fails(session, entries, tenant_id=None):  # noqa: ARG001 - the rows are inserted by now
        calls.append(len(list(entries)))
        raise RuntimeError("database went away")

    monkeypatch.setattr(bulk, "record_many", audit_fails)
    _confirm(client, batch_id)
    batch = _batch(app, batch_id)
    assert calls == [2]
    assert batch.status == ImportStatus.FAILED
    assert "tidak ada data yang ditulis" in batch.errors[0]["message"]
    assert _count(app, Employee) == before  # the inserted rows were rolled back too


def test_a_unit_the_service_refuses_while_writing_rejects_the_file(app, client, bare_tenants, monkeypatch):
    from app.org import services

    _admin(client)
    before = _count(app, Unit)
    batch_id = _uploaded_batch_id(_upload(client, "units", "unit.csv", _csv("kode,nama", "U1,Satu", "U2,Dua")))
    save_unit, calls = services.save_unit, []

    def second_row_fails(data, unit=None):
        calls.append(data.code)
        if len(calls) == 2:
            raise Invalid("Kode sudah dipakai.", "code")
        return save_unit(data, unit)

    monkeypatch.setattr(services, "save_unit", second_row_fails)
    _confirm(client, batch_id)
    batch = _batch(app, batch_id)
    assert batch.status == ImportStatus.REJECTED
    assert batch.errors == [{"line": 3, "field": "kode", "message": "Kode sudah dipakai."}]
    assert _count(app, Unit) == before  # the first row was rolled back too


def test_confirming_twice_applies_once(app, client, bare_tenants):
    _admin(client)
    batch = _import(client, app, "units", "unit.csv", _csv("kode,nama", "BARU,Unit Baru"))
    response = _confirm(client, batch.id)
    assert response.status_code == 302
    assert "tidak dapat diterapkan" in client.get(response.location).get_data(as_text=True)
    assert _in_a(app, select(func.count()).select_from(Unit).where(Unit.code == "BARU"))[0][0] == 1


# --- XLSX -------------------------------------------------------------------------------------

def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_file_is_previewed_and_applied(app, client, two_tenants):
    _admin(client)
    content = _xlsx([
        ["NIP", "Nama", "Jenis Kelamin", "Jenis ASN", "Kode Jabatan", "Email", "Catatan"],
        [RIZKY, "Rizky Pratama", "L", "PNS", "STAF", None, "kolom tambahan"],
        [None, None, None, None, None, None, None],  # an empty row is skipped
        [DEWI, "Dewi Lestari", "p", "pns", "staf", "dewi@example.go.id", None],
    ])
    batch = _import(client, app, "employees", "pegawai.xlsx", content)
    assert [row["line"] for row in batch.rows] == [2, 4]
    assert batch.summary["ignored_columns"] == ["catatan"]
    people = _employees_by_nip(app)
    assert people[RIZKY].code == "STAF" and people[DEWI].email == "dewi@example.go.id"


def test_xlsx_nip_typed_as_a_number_is_reported(app, client, bare_tenants):
    _admin(client)
    content = _xlsx([["nip", "nama", "jenis_kelamin", "jenis_asn"],
                     [int(RIZKY), "Rizky Pratama", "L", "PNS"]])  # Excel keeps 15 digits of it
    batch = _batch(app, _uploaded_batch_id(_upload(client, "employees", "pegawai.xlsx", content)))
    assert batch.status == ImportStatus.REJECTED
    assert "Format kolom NIP sebagai Teks" in batch.errors[0]["message"]


# --- files that cannot be used ---------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(("filename", "content", "message"), [
    ("pegawai.csv", PNG, "bukan CSV"),
    ("pegawai.xlsx", _zip_without_workbook(), "bukan XLSX yang dapat dibaca"),
    ("pegawai.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Format Excel lama"),
    ("pegawai.txt", b"nip,nama\n", "Hanya berkas .csv atau .xlsx"),
    ("pegawai.csv", b"", "Berkas kosong"),
    ("", b"", "Pilih berkas"),  # no file chosen
    ("pegawai.csv", "nip;nama\n1;Ä".encode("latin-1"), "UTF-8"),
])
def test_unusable_files_are_refused_with_a_clear_message(app, client, bare_tenants, filename, content, message):
    _admin(client)
    response = _upload(client, "employees", filename, content)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert '<option selected value="employees">' in html  # the choice is kept
    assert _count(app, ImportBatch) == 0


def _refused_by_the_job(app, client, response) -> str:
    """Reading the rows is the job's work (issue #9): the upload is accepted, and
    the batch ends REJECTED with the file's one problem on its page."""
    batch_id = _uploaded_batch_id(response)
    batch = _batch(app, batch_id)
    assert batch.status == ImportStatus.REJECTED and len(batch.errors) == 1
    assert batch.errors[0]["line"] is None and batch.rows == []
    html = client.get(f"/kota-a/admin/impor/{batch_id}").get_data(as_text=True)
    assert batch.errors[0]["message"] in html and "Terapkan impor" not in html
    return html


@pytest.mark.parametrize(("content", "message"), [
    (b"nip,nama,jenis_asn\n", "Kolom wajib tidak ada di baris judul: jenis_kelamin"),
    (f"{EMPLOYEE_HEADER}\n".encode(), "tanpa baris data"),
])
def test_files_without_usable_rows_are_refused_by_the_check(app, client, bare_tenants, content, message):
    _admin(client)
    html = _refused_by_the_job(app, client, _upload(client, "employees", "pegawai.csv", content))
    assert message in html


def test_missing_columns_are_one_error_for_the_file(app, client, bare_tenants):
    _admin(client)
    html = _refused_by_the_job(app, client, _upload(client, "positions", "pegawai.csv",
                                                    _csv(EMPLOYEE_HEADER, f"{RIZKY},Rizky,L,PNS,,")))
    assert html.count("Kolom wajib tidak ada") == 1
    assert "kode, jenis, kode_unit" in html


def test_too_many_rows_are_refused(app, client, bare_tenants, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 2)
    _admin(client)
    response = _upload(client, "units", "unit.csv", _csv("kode,nama", "A,A", "B,B", "C,C"))
    assert "lebih dari 2 baris data" in _refused_by_the_job(app, client, response)


# --- screens, templates, isolation --------------------------------------------------------------

def test_upload_page_documents_columns_and_offers_templates(client, bare_tenants):
    _admin(client)
    html = client.get("/kota-a/admin/impor/").get_data(as_text=True)
    for column in ("kode_induk", "kode_atasan", "jenjang", "jenis_kelamin", "jenis_asn", "kode_jabatan",
                   "pangkat", "tmt_pangkat"):
        assert column in html
    response = client.get("/kota-a/admin/impor/templat/pegawai")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == "\ufeffnip;nama;jenis_kelamin;jenis_asn;kode_jabatan;email;pangkat;tmt_pangkat\r\n"
    assert client.get("/kota-a/admin/impor/templat/lainnya").status_code == 404


def test_only_admins_import(client, two_tenants):
    login(client, "kota-a", "pegawai")
    assert client.get("/kota-a/admin/impor/").status_code == 403
    assert client.get("/kota-a/admin/impor/templat/unit").status_code == 403


def test_another_tenants_batch_is_404(app, bare_tenants):
    a_client, b_client = app.test_client(), app.test_client()
    _admin(a_client)
    batch_id = _uploaded_batch_id(_upload(a_client, "units", "unit.csv", _csv("kode,nama", "BARU,Unit Baru")))
    assert a_client.get(f"/kota-a/admin/impor/{batch_id}/status").status_code == 200

    _admin(b_client, "kota-b")
    for path in ("", "/status", "/galat.csv"):
        assert b_client.get(f"/kota-b/admin/impor/{batch_id}{path}").status_code == 404
    token = csrf_token(b_client, "/kota-b/admin/impor/")
    assert b_client.post(f"/kota-b/admin/impor/{batch_id}/terapkan", data={"csrf_token": token}).status_code == 404
    assert "unit.csv" not in b_client.get("/kota-b/admin/impor/").get_data(as_text=True)
    assert _batch(app, batch_id).status == ImportStatus.PREVIEW  # B could not apply it


# --- the background thread ------------------------------------------------------------------

def _wait_until_finished(client, batch_id: int, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"/kota-a/admin/impor/{batch_id}/status", headers={"Accept": "application/json"})
        assert response.status_code == 200
        status = response.get_json()
        if status["finished"]:
            return status
        assert time.monotonic() < deadline, f"import job still running: {status}"
        time.sleep(0.05)


def _join_job_threads(timeout: float = 10.0) -> None:
    for thread in threading.enumerate():
        if thread.name.startswith("kinerja-job"):
            thread.join(timeout)
            assert not thread.is_alive()


def test_jobs_run_in_a_background_thread_and_report_progress(app, client, bare_tenants, monkeypatch):
    from app import jobs

    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    ran_in: list[str] = []
    run_in_thread = jobs._run_in_thread

    def spy(*args):
        ran_in.append(threading.current_thread().name)
        run_in_thread(*args)

    monkeypatch.setattr(jobs, "_run_in_thread", spy)
    _admin(client)
    rows = [f"U{n:03d},Unit {n}," + ("" if n == 0 else f"U{n - 1:03d}") for n in range(150)]
    batch_id = _uploaded_batch_id(_upload(client, "units", "unit.csv", _csv("kode,nama,kode_induk", *rows)))
    status = _wait_until_finished(client, batch_id)
    assert status == {"status": "preview", "total_rows": 150, "processed_rows": 150, "finished": True}
    assert "Terapkan impor" in client.get(f"/kota-a/admin/impor/{batch_id}").get_data(as_text=True)

    assert _confirm(client, batch_id).status_code == 302
    status = _wait_until_finished(client, batch_id)
    _join_job_threads()
    assert status["status"] == "applied" and status["processed_rows"] == 150
    assert ran_in == ["kinerja-job-check_batch", "kinerja-job-apply_batch"]
    assert _in_a(app, select(func.count()).select_from(Unit).where(Unit.code.like("U%")))[0][0] == 150

    # A bad row found in the thread (no request there) is reported in the uploader's language.
    batch_id = _uploaded_batch_id(_upload(client, "units", "unit.csv", _csv("kode,nama", "LAIN,")))
    assert _wait_until_finished(client, batch_id)["status"] == "rejected"
    _join_job_threads()
    assert _batch(app, batch_id).errors == [{"line": 2, "field": "nama", "message": "Wajib diisi."}]


def test_progress_is_committed_apart_from_the_job_and_only_for_its_tenant(app, bare_tenants):
    from app.imports.models import ImportKind
    from app.imports.services import _Progress

    with app.app_context():
        a, b = (db.session.scalar(select(Tenant).where(Tenant.slug == slug)) for slug in ("kota-a", "kota-b"))
        with tenant_scope(a):
            batch = ImportBatch(kind=ImportKind.UNITS, filename="unit.csv", total_rows=10)
            db.session.add(batch)
            db.session.commit()
            batch_id = batch.id
            _Progress(batch_id)(7)
        with tenant_scope(b):
            _Progress(batch_id)(3)  # tenant B cannot touch A's batch
        db.session.remove()
    assert _batch(app, batch_id).processed_rows == 7


def test_uploads_can_be_kept_in_memory():
    from flask import Request
    from werkzeug.test import EnvironBuilder

    from app.security import MemoryUploadRequest

    def stream(request_class):
        body = {"file": (io.BytesIO(b"x" * 600_000), "besar.csv")}  # above werkzeug's 500 KB spool limit
        return request_class(EnvironBuilder(method="POST", data=body).get_environ()).files["file"].stream

    assert not isinstance(stream(Request), io.BytesIO)  # a temporary file, by default
    assert isinstance(stream(MemoryUploadRequest), io.BytesIO)


def test_while_running_the_page_shows_a_progress_box(app, client, bare_tenants):
    _admin(client)
    batch_id = _uploaded_batch_id(_upload(client, "units", "unit.csv", _csv("kode,nama", "BARU,Unit Baru")))
    with app.app_context():  # as a job still checking would leave it
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(tenant):
            batch = db.session.get(ImportBatch, batch_id)
            batch.status, batch.processed_rows = ImportStatus.VALIDATING, 0
            db.session.commit()
        db.session.remove()
    html = client.get(f"/kota-a/admin/impor/{batch_id}").get_data(as_text=True)
    assert f'data-progress-url="/kota-a/admin/impor/{batch_id}/status"' in html
    assert "<progress" in html and "data-progress-label" in html
    assert client.get(f"/kota-a/admin/impor/{batch_id}/status").get_json() == {
        "status": "validating", "total_rows": 1, "processed_rows": 0, "finished": False}


# --- in a real browser: the progress box polls and reloads ----------------------------------------

@pytest.mark.browser
def test_the_browser_follows_a_running_import_until_it_is_applied(app, two_tenants, live_server, page,
                                                                  monkeypatch, tmp_path):
    from app.imports import services

    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    gate, check = threading.Event(), services.validation.check

    def gated_check(*args, **kwargs):  # holds the check (after the job read the file) so that the page sees it running
        gate.wait(10)
        return check(*args, **kwargs)

    monkeypatch.setattr(services.validation, "check", gated_check)
    try:
        page.goto(f"{live_server}/kota-a/login")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server}/kota-a/admin/impor/")
        page.select_option("select[name=kind]", "units")
        page.set_input_files("input[name=file]", files=[{
            "name": "unit.csv", "mimeType": "text/csv",
            "buffer": _csv("kode;nama;kode_induk", "BID-1;Bidang Satu;DINKES", "SEKSI-1;Seksi Satu;BID-1",
                           delimiter=",")}])
        page.click("button.primary")
        page.wait_for_selector("[data-progress-url] progress")
        assert page.inner_text("[data-progress-label]").startswith("0 / 2")
        page.screenshot(path=str(tmp_path / "import-running.png"), full_page=True)
    finally:
        gate.set()
    page.wait_for_selector("text=Siap diterapkan")  # app.js reloaded the page when the check ended
    assert "2 baru, 0 diperbarui" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "import-preview.png"), full_page=True)

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("text=Terapkan impor")
    page.wait_for_selector("text=Sudah diterapkan")
    _join_job_threads()
    page.screenshot(path=str(tmp_path / "import-applied.png"), full_page=True)
    assert _in_a(app, select(func.count()).select_from(Unit).where(Unit.code.in_(["BID-1", "SEKSI-1"])))[0][0] == 2


def test_a_job_that_died_with_its_process_ends_as_failed(app, client, bare_tenants):
    from datetime import timedelta

    _admin(client)
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(tenant):
            old = utc_now() - timedelta(seconds=app.config["IMPORT_JOB_TIMEOUT"] + 60)
            dead = ImportBatch(kind="employees", filename="mati.csv", status=ImportStatus.APPLYING,
                               job_started_at=old)
            alive = ImportBatch(kind="employees", filename="jalan.csv", status=ImportStatus.APPLYING,
                                job_started_at=utc_now())
            db.session.add_all([dead, alive])
            db.session.commit()
            dead_id, alive_id = dead.id, alive.id
    dead_status = client.get(f"/kota-a/admin/impor/{dead_id}/status").get_json()
    assert dead_status["status"] == "failed" and dead_status["finished"] is True
    assert "Unggah berkas ini lagi" in client.get(f"/kota-a/admin/impor/{dead_id}").get_data(as_text=True)
    alive_status = client.get(f"/kota-a/admin/impor/{alive_id}/status").get_json()
    assert alive_status["status"] == "applying" and alive_status["finished"] is False
