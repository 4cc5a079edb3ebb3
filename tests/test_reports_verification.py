"""The verification register: issuing twice without change serves the same
document, a change issues a new one and the old one reads "superseded"; the
public page (valid, superseded, unknown or another tenant's code → 404) with
the name and NIP masked; uploading the PDF: matching bytes, another issue's
bytes, tampered bytes refused, non-PDF refused; throttled lookups."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db
from app.reports.models import IssuedDocument
from app.reports.verification import mask_name, normalise_code
from app.skp.planning.models import PlanResult
from app.tenancy import tenant_scope
from tests.conftest import CSRF_RE, login
from tests.reports_support import build_year


@pytest.fixture
def year(app):
    with app.app_context():
        built = build_year("kota-uji", "nasional")
        db.session.remove()
    return built


def _pegawai(app, year):
    client = app.test_client()
    assert login(client, year.slug, "pegawai").status_code == 302
    return client


def _skp(client, year) -> bytes:
    response = client.get(f"/{year.slug}/dokumen/skp/{year.plan_id}")
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    return response.data


def _issues(app, year) -> list[IssuedDocument]:
    with app.app_context(), tenant_scope(year.org.tenant):
        rows = db.session.scalars(select(IssuedDocument).order_by(IssuedDocument.id)).all()
        db.session.expunge_all()
        return rows


def _upload(client, url: str, data: bytes, name: str = "dokumen.pdf"):
    page = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(page)
    token = (match.group(1) or match.group(2)) if match else ""
    return client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_masking():
    assert mask_name("Siti Aminah") == "S*** A*****"
    assert normalise_code("abcd-efgh-jkmn") == "ABCDEFGHJKMN"
    assert normalise_code("ABCDEFGHJKM0") is None and normalise_code("short") is None


def test_issue_twice_same_code_change_new_code_old_superseded(app, year):
    client = _pegawai(app, year)
    first = _skp(client, year)
    again = _skp(client, year)
    assert first == again
    issues = _issues(app, year)
    assert len(issues) == 1
    old = issues[0]
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{12}", old.code) and old.sha256 and old.size == len(first)
    assert old.subject_key == f"skp:plan:{year.plan_id}" and old.period_label == "Tahun 2026"
    with app.app_context(), tenant_scope(year.org.tenant):
        assert "document.issued" in db.session.scalars(select(AuditEntry.action)).all()
        result = db.session.scalar(select(PlanResult).where(PlanResult.plan_id == year.plan_id,
                                                            PlanResult.kind == "tambahan"))
        result.description = "Menjadi panitia kegiatan hari jadi kota"
        db.session.commit()
    changed = _skp(client, year)
    assert changed != first
    issues = _issues(app, year)
    assert len(issues) == 2 and issues[1].code != old.code

    public = app.test_client()
    page = public.get(f"/{year.slug}/verifikasi/{old.code}")
    assert page.status_code == 200 and page.headers["Cache-Control"].startswith("no-store")
    html = page.get_data(as_text=True)
    assert "Digantikan oleh dokumen yang lebih baru" in html
    new_page = public.get(f"/{year.slug}/verifikasi/{issues[1].code.lower()}").get_data(as_text=True)
    assert "Sah" in new_page and "Digantikan" not in new_page
    # Masked: no name, no NIP in clear; the last three NIP digits only.
    assert year.pegawai_name not in new_page and year.pegawai_nip not in new_page
    assert year.pegawai_nip[-3:] in new_page and mask_name(year.pegawai_name) in new_page
    assert "Tahun 2026" in new_page and "tidak ditandatangani" in new_page

    # Uploads: the new bytes match the new code; the old bytes match the old issue ("another").
    assert "Cocok" in _upload(public, f"/{year.slug}/verifikasi/{issues[1].code}", changed).get_data(as_text=True)
    other = _upload(public, f"/{year.slug}/verifikasi/{issues[1].code}", first)
    assert other.status_code == 200 and old.code in other.get_data(as_text=True)
    tampered = bytearray(changed)
    tampered[len(tampered) // 2] ^= 0x01
    refused = _upload(public, f"/{year.slug}/verifikasi/{issues[1].code}", bytes(tampered))
    assert refused.status_code == 422 and "berkas ditolak" in refused.get_data(as_text=True)
    not_pdf = _upload(public, f"/{year.slug}/verifikasi/{issues[1].code}", b"MZ\x90\x00 not a pdf", "x.pdf")
    assert not_pdf.status_code == 422 and "Hanya berkas PDF" in not_pdf.get_data(as_text=True)


def test_unknown_and_other_tenants_codes_are_404(app, year, two_tenants):
    client = _pegawai(app, year)
    _skp(client, year)
    code = _issues(app, year)[0].code
    public = app.test_client()
    assert public.get(f"/{year.slug}/verifikasi/{code}").status_code == 200
    assert public.get(f"/kota-a/verifikasi/{code}").status_code == 404
    assert public.get(f"/{year.slug}/verifikasi/AAAAAAAAAAAA").status_code == 404
    assert public.get(f"/{year.slug}/verifikasi/{'x' * 300}").status_code == 404


def test_lookups_are_throttled(app, year):
    app.config["DOCUMENT_VERIFY_PER_WINDOW"] = 3
    try:
        public = app.test_client()
        statuses = [public.get(f"/{year.slug}/verifikasi/AAAAAAAAAAA{i}").status_code for i in range(2, 7)]
        assert statuses[:3] == [404, 404, 404] and statuses[3:] == [429, 429]
    finally:
        app.config.pop("DOCUMENT_VERIFY_PER_WINDOW")
