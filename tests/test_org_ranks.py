"""Pangkat/golongan, jenjang, unit letterheads and the document header settings."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.errors import Invalid
from app.extensions import db
from app.imports.models import ImportBatch, ImportStatus
from app.org import letterhead, people, services
from app.org.models import Employee, EmployeeRank, Position, Unit
from app.org.nip import EmployeeType
from app.org.ranks import (
    grade_choices,
    grade_label,
    normalise_grade,
    normalise_rank,
    rank_choices,
    rank_label,
    valid_grade,
    valid_rank,
)
from app.tenancy import tenant_scope, tenant_today
from app.tenancy.models import Tenant
from tests.conftest import csrf_token, login

RIZKY = "199103152015031002"  # PNS, born 15-03-1991, TMT CPNS 03-2015, male
SARI = "199001012021012001"  # PPPK: born 01-01-1990, appointed 2021, female
BUDI = "198807082012121003"  # PNS, male


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny PNG (RGB, white)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# --- the catalogue ----------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "code"), [
    ("3a", "III/a"), ("III-a", "III/a"), ("iii/a", "III/a"), ("III/A", "III/a"), (" 4 e ", "IV/e"),
    ("I/a", "I/a"), ("2d", "II/d"), ("Gol. III/b", "III/b"), ("", ""),
])
def test_pns_ranks_are_normalised(typed, code):
    assert normalise_rank("PNS", typed) == code


@pytest.mark.parametrize(("typed", "code"), [("9", "IX"), ("ix", "IX"), ("Golongan XVII", "XVII"), ("1", "I")])
def test_pppk_golongan_are_normalised(typed, code):
    assert normalise_rank(EmployeeType.PPPK, typed) == code


def test_validity_depends_on_the_employee_type(app_context):
    assert valid_rank("PNS", "III/a") and not valid_rank("PPPK", "III/a")
    assert valid_rank("PPPK", "IX") and not valid_rank("PNS", "IX")
    assert not valid_rank("PNS", normalise_rank("PNS", "4f")) and not valid_rank("PNS", "V/a")
    assert not valid_rank("PPPK", normalise_rank("PPPK", "18"))
    assert len(rank_choices("PNS")) == 17 and len(rank_choices("PPPK")) == 17
    assert rank_label("III/a") == "Penata Muda / III/a"
    assert rank_label("IV/b") == "Pembina Tingkat I / IV/b"
    assert rank_label("IX") == "Golongan IX" and rank_label(None) == ""


def test_jenjang_by_position_kind(app_context):
    assert [c for c, _ in grade_choices("jpt")] == ["pratama", "madya", "utama"]
    assert "ahli_muda" in dict(grade_choices("fungsional")) and "terampil" in dict(grade_choices("fungsional"))
    assert grade_choices("pelaksana") == [] and grade_choices("pengawas") == []
    assert valid_grade("fungsional", "mahir") and not valid_grade("jpt", "mahir")
    assert not valid_grade("administrator", "pratama") and valid_grade("pelaksana", None)
    assert normalise_grade("Ahli Muda") == "ahli_muda" and normalise_grade("ahli-pertama") == "ahli_pertama"
    assert grade_label("ahli_utama") == "Ahli Utama"


# --- the service -----------------------------------------------------------------------

def _employee(org, key="pegawai") -> Employee:
    return db.session.get(Employee, getattr(org, f"{key}_id"))


def test_rank_changes_keep_history_and_audit(app, two_tenants):
    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        employee = _employee(a)
        first = people.change_rank(employee, "3a", "2019-04-01")
        assert first is not None and employee.rank_code == "III/a" and employee.rank_tmt == date(2019, 4, 1)
        assert people.change_rank(employee, "III/a", date(2019, 4, 1)) is None  # nothing changed: no row
        people.change_rank(employee, "III/b", "2023-04-01")
        people.change_rank(employee, "III/b", "2023-10-01")  # a corrected TMT is a change too
        db.session.commit()
        history = people.rank_history(employee)
        assert [(r.rank_code, r.tmt) for r in history] == [
            ("III/b", date(2023, 10, 1)), ("III/b", date(2023, 4, 1)), ("III/a", date(2019, 4, 1))]
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "employee.rank_change")).all()
        assert len(entries) == 3
        assert entries[-1].before["rank_tmt"] == "2023-04-01" and entries[-1].after["rank_tmt"] == "2023-10-01"


@pytest.mark.parametrize(("code", "tmt", "field", "message"), [
    ("IX", None, "rank_code", "tidak berlaku untuk PNS"),
    ("zz", None, "rank_code", "tidak berlaku"),
    ("III/a", "future", "rank_tmt", "sesudah hari ini"),
    ("III/a", "1899-12-31", "rank_tmt", "sebelum tahun 1900"),
    ("III/a", "2020-02-30", "rank_tmt", "bukan tanggal"),
    ("", "2020-01-01", "rank_code", "tanpa pangkat"),
])
def test_bad_ranks_are_refused(app, two_tenants, code, tmt, field, message):
    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        employee = _employee(a)
        if tmt == "future":
            tmt = tenant_today() + timedelta(days=1)
        with pytest.raises(Invalid) as caught:
            people.change_rank(employee, code, tmt)
        assert caught.value.field == field and message in str(caught.value.message)
        assert employee.rank_code is None
        assert db.session.scalar(select(EmployeeRank.id)) is None


def test_pppk_takes_golongan_only(app, two_tenants):
    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        employee = services.save_employee(services.EmployeeData(SARI, "Sari", "P", "PPPK"))
        people.change_rank(employee, "9", None)
        assert employee.rank_code == "IX"
        with pytest.raises(Invalid):
            people.change_rank(employee, "III/a", None)


# --- admin screens -----------------------------------------------------------------------

def _admin(client):
    assert login(client, "kota-a", "admin").status_code == 302
    return client


def _post(client, url, data, **kwargs):
    data = {"csrf_token": csrf_token(client, "/kota-a/admin/"), **data}
    return client.post(url, data=data, **kwargs)


def test_employee_form_sets_rank_and_shows_history(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    url = f"/kota-a/admin/pegawai/{a.pegawai_id}"
    with app.app_context(), tenant_scope(a.tenant):
        employee = _employee(a)
        base = {"nip": employee.nip, "name": employee.name, "sex": employee.sex.value, "employee_type": "PNS",
                "position_id": a.position_ids["STAF"], "email": "", "version": employee.version}
    page = client.get(url).get_data(as_text=True)
    assert "Pangkat/golongan" in page and '<optgroup label="PPPK">' in page

    # A PPPK golongan for a PNS: refused on the field, the input kept.
    response = _post(client, url, {**base, "rank_code": "IX", "rank_tmt": "2020-04-01"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "tidak berlaku untuk PNS" in html
    assert 'value="2020-04-01"' in html

    future = (date.today() + timedelta(days=40)).isoformat()
    response = _post(client, url, {**base, "rank_code": "III/a", "rank_tmt": future})
    assert response.status_code == 422 and "sesudah hari ini" in response.get_data(as_text=True)

    response = _post(client, url, {**base, "rank_code": "III/a", "rank_tmt": "2020-04-01"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Riwayat pangkat/golongan" in page and "Penata Muda / III/a" in page and "01-04-2020" in page
    assert "Penata Muda / III/a" in client.get("/kota-a/admin/pegawai").get_data(as_text=True)
    with app.app_context(), tenant_scope(a.tenant):
        rows = db.session.scalars(select(EmployeeRank).where(EmployeeRank.employee_id == a.pegawai_id)).all()
        assert [(r.rank_code, r.tmt) for r in rows] == [("III/a", date(2020, 4, 1))]
        assert rows[0].recorded_by_id == a.user_ids["admin"]
        version = _employee(a).version
    # Saving again unchanged appends nothing.
    assert _post(client, url, {**base, "version": version, "rank_code": "III/a",
                               "rank_tmt": "2020-04-01"}).status_code == 302
    with app.app_context(), tenant_scope(a.tenant):
        assert len(people.rank_history(_employee(a))) == 1


def test_position_form_validates_jenjang(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    url = f"/kota-a/admin/jabatan/{a.position_ids['STAF']}"
    with app.app_context(), tenant_scope(a.tenant):
        position = db.session.get(Position, a.position_ids["STAF"])
        base = {"code": position.code, "name": position.name, "unit_id": position.unit_id,
                "reports_to_id": position.reports_to_id, "version": position.version}
    response = _post(client, url, {**base, "kind": "pelaksana", "grade": "ahli_muda"})
    assert response.status_code == 422 and "tidak berlaku untuk jenis jabatan" in response.get_data(as_text=True)
    response = _post(client, url, {**base, "kind": "fungsional", "grade": "ahli_muda"})
    assert response.status_code == 302
    assert "Ahli Muda" in client.get("/kota-a/admin/jabatan").get_data(as_text=True)
    with app.app_context(), tenant_scope(a.tenant):
        assert db.session.get(Position, a.position_ids["STAF"]).grade == "ahli_muda"


def test_unit_letterhead_is_inherited(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    with app.app_context(), tenant_scope(a.tenant):
        parent = db.session.get(Unit, a.unit_id)
        child = services.save_unit(services.UnitData("BIDYAN", "Bidang Pelayanan", "bidang", parent.id))
        grandchild = services.save_unit(services.UnitData("SEKSI", "Seksi Primer", "lainnya", None))
        grandchild.parent = child
        db.session.commit()
        assert letterhead.unit_letterhead(grandchild) == "DINAS KESEHATAN"  # the OPD's name
        child_id, version = child.id, child.version
    response = _post(client, f"/kota-a/admin/unit/{a.unit_id}", {
        "code": "DINKES", "name": "Dinas Kesehatan", "kind": "dinas", "parent_id": "", "version": 1,
        "letterhead": "Dinas Kesehatan Kota A"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context(), tenant_scope(a.tenant):
        grandchild = db.session.scalar(select(Unit).where(Unit.code == "SEKSI"))
        assert letterhead.unit_letterhead(grandchild) == "DINAS KESEHATAN KOTA A"
        child = db.session.get(Unit, child_id)
        services.save_unit(services.UnitData("BIDYAN", "Bidang Pelayanan", "bidang", a.unit_id,
                                             "UPT Pelayanan"), child)
        assert letterhead.unit_letterhead(grandchild) == "UPT PELAYANAN"
        # An update that does not name the letterhead keeps it.
        services.save_unit(services.UnitData("BIDYAN", "Bidang Pelayanan Kesehatan", "bidang", a.unit_id), child)
        assert child.letterhead == "UPT Pelayanan" and version


# --- document header -----------------------------------------------------------------------

def _upload_logo(client, content: bytes, name: str = "logo.png"):
    token = csrf_token(client, "/kota-a/admin/kop-dokumen/")
    return client.post("/kota-a/admin/kop-dokumen/logo", data={"csrf_token": token, "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_document_header_place_and_logo(app, client, two_tenants):
    _admin(client)
    page = client.get("/kota-a/admin/kop-dokumen/").get_data(as_text=True)
    assert "Sertifikat tanda tangan elektronik" in page and "belum" in page
    assert "Kop dokumen" in client.get("/kota-a/admin/").get_data(as_text=True)

    response = _post(client, "/kota-a/admin/kop-dokumen/", {"document_place": "  Kota   A "})
    assert response.status_code == 302

    logo = png_bytes()
    assert _upload_logo(client, logo).status_code == 302
    page = client.get("/kota-a/admin/kop-dokumen/").get_data(as_text=True)
    assert "/kota-a/logo/" in page and "Hapus logo" in page
    served = client.get("/kota-a/logo/")
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == logo
    assert served.headers["X-Content-Type-Options"] == "nosniff"

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        assert tenant.document_place == "Kota A" and letterhead.signing_place(tenant) == "Kota A"
        assert letterhead.read_logo(tenant) == (logo, "image/png")
        with tenant_scope(tenant):
            actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"tenant.document_place", "tenant.logo_upload"} <= actions

    # Another tenant's users never get it; a pegawai of the tenant does.
    other = app.test_client()
    login(other, "kota-b", "pegawai")
    assert other.get("/kota-a/logo/").status_code in (302, 401, 403, 404)
    assert app.test_client().get("/kota-a/logo/").status_code in (302, 401)
    pegawai = app.test_client()
    login(pegawai, "kota-a", "pegawai")
    assert pegawai.get("/kota-a/logo/").data == logo

    response = _post(client, "/kota-a/admin/kop-dokumen/logo/hapus", {})
    assert response.status_code == 302
    assert client.get("/kota-a/logo/").status_code == 404


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"MZ\x90\x00 not an image at all" * 10, "logo.png", "bukan gambar PNG atau JPEG"),
    (b"%PDF-1.7\n" + b"x" * 100, "logo.png", "bukan gambar PNG atau JPEG"),
    (png_bytes()[:20], "logo.png", "bukan gambar PNG atau JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * (513 * 1024), "besar.png", "paling besar 512 KB"),
])
def test_bad_logos_are_refused(app, client, two_tenants, content, name, message):
    _admin(client)
    response = _upload_logo(client, content, name)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Tenant.logo_key).where(Tenant.slug == "kota-a")) is None


def test_a_jpeg_logo_is_accepted(app, client, two_tenants):
    _admin(client)
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 50 + b"\xff\xd9"
    assert _upload_logo(client, jpeg, "logo.jpg").status_code == 302
    assert client.get("/kota-a/logo/").mimetype == "image/jpeg"


def test_document_header_is_for_admins_only(client, two_tenants):
    login(client, "kota-a", "pegawai")
    assert client.get("/kota-a/admin/kop-dokumen/").status_code == 403
    token = csrf_token(client, "/kota-a/")
    response = client.post("/kota-a/admin/kop-dokumen/logo", data={
        "csrf_token": token, "file": (io.BytesIO(png_bytes()), "logo.png")}, content_type="multipart/form-data")
    assert response.status_code == 403


# --- import --------------------------------------------------------------------------------

def _import_upload(client, content: bytes):
    token = csrf_token(client, "/kota-a/admin/impor/")
    response = client.post("/kota-a/admin/impor/unggah", data={
        "csrf_token": token, "kind": "employees", "file": (io.BytesIO(content), "pegawai.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").rsplit("/", 1)[-1])


def _batch(app, batch_id: int) -> ImportBatch:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(tenant):
            batch = db.session.get(ImportBatch, batch_id)
            db.session.expunge(batch)
        db.session.remove()
        return batch


def test_import_reports_every_bad_rank_row(app, client, two_tenants):
    _admin(client)
    future = (date.today() + timedelta(days=60)).isoformat()
    content = "\n".join([
        "nip,nama,jenis_kelamin,jenis_asn,golongan,tmt_pangkat",
        f"{RIZKY},Rizky Pratama,L,PNS,3a,01-04-2020",  # 2: good (day-first date, "golongan" header)
        f"{SARI},Sari Wulandari,P,PPPK,III/a,2022-01-01",  # 3: a PNS rank for a PPPK
        f"{BUDI},Budi Santoso,L,PNS,V/z,",  # 4: no such rank
        f"198507142010011004,Andi,L,PNS,III/c,{future}",  # 5: TMT in the future
        "199202202015032002,Rina,P,PNS,,2020-01-01",  # 6: TMT without a rank
        "198905052014021003,Joko,L,PNS,III/b,31-02-2020",  # 7: no such day
    ]).encode()
    batch = _batch(app, _import_upload(client, content))
    assert batch.status == ImportStatus.REJECTED
    assert {(e["line"], e["field"]) for e in batch.errors} == {
        (3, "pangkat"), (4, "pangkat"), (5, "tmt_pangkat"), (6, "pangkat"), (7, "tmt_pangkat")}


def test_import_applies_ranks_through_the_service(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    content = "\n".join([
        "nip,nama,jenis_kelamin,jenis_asn,pangkat,tmt_pangkat",
        f"{RIZKY},Rizky Pratama,L,PNS,III-b,2021-10-01",
        f"{SARI},Sari Wulandari,P,PPPK,9,2022-01-01",
    ]).encode()
    batch_id = _import_upload(client, content)
    assert _batch(app, batch_id).status == ImportStatus.PREVIEW, _batch(app, batch_id).errors
    token = csrf_token(client, f"/kota-a/admin/impor/{batch_id}")
    client.post(f"/kota-a/admin/impor/{batch_id}/terapkan", data={"csrf_token": token})
    assert _batch(app, batch_id).status == ImportStatus.APPLIED, _batch(app, batch_id).errors
    with app.app_context(), tenant_scope(a.tenant):
        by_nip = {e.nip: e for e in db.session.scalars(select(Employee))}
        assert (by_nip[RIZKY].rank_code, by_nip[RIZKY].rank_tmt) == ("III/b", date(2021, 10, 1))
        assert by_nip[SARI].rank_code == "IX"
        rows = db.session.scalars(select(EmployeeRank)).all()
        assert len(rows) == 2 and {r.recorded_by_id for r in rows} == {a.user_ids["admin"]}

    # The same file again changes nothing; a new rank appends to the history.
    again = _batch(app, _import_upload(client, content))
    assert again.summary["counts"]["unchanged"] == 2
    content = f"nip,nama,jenis_kelamin,jenis_asn,pangkat,tmt_pangkat\n{RIZKY},Rizky Pratama,L,PNS,III/c,2024-04-01".encode()
    batch_id = _import_upload(client, content)
    batch = _batch(app, batch_id)
    assert batch.rows[0]["changes"] == ["pangkat", "tmt_pangkat"]
    token = csrf_token(client, f"/kota-a/admin/impor/{batch_id}")
    client.post(f"/kota-a/admin/impor/{batch_id}/terapkan", data={"csrf_token": token})
    with app.app_context(), tenant_scope(a.tenant):
        employee = db.session.scalar(select(Employee).where(Employee.nip == RIZKY))
        assert [r.rank_code for r in people.rank_history(employee)] == ["III/c", "III/b"]
