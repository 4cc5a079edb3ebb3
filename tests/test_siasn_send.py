"""Sending to SIASN through the admin page against a local fake SIASN server: sent
with SIASN's id, a 500 recorded as failed with the answer and retried later (by
`flask siasn kirim`), not sendable without a SIASN id, the batch file without
credentials, another tenant's evaluation is a 404 and a non-admin gets a 403."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import models as m
from app.extensions import db
from app.org.models import Employee
from app.siasn import settings
from app.siasn.models import ExportStatus, SiasnExport, SiasnSendLog
from app.tenancy import tenant_scope, utc_now
from tests import siasn_fake
from tests.conftest import csrf_token, login
from tests.reports_support import build_year

INDEX = "/{slug}/admin/siasn/"


@pytest.fixture(scope="module")
def fake():
    server_fake, server = siasn_fake.start()
    yield server_fake
    server.shutdown()


@pytest.fixture
def year(app, fake):
    fake.fail_next, fake.received[:], fake.uploads[:], fake.ids[:] = 0, [], [], []
    with app.app_context():
        built = build_year("kota-uji", "nasional")
        db.session.remove()
    return built


def _configure(app, year, fake=None, siasn_id: str | None = "PNS-ID-1"):
    with app.app_context(), tenant_scope(year.org.tenant):
        pegawai = db.session.get(Employee, year.org.pegawai_id)
        pegawai.siasn_id = siasn_id
        if fake is not None:
            settings.save(settings.SettingsData(
                base_url=fake.url, apim_token_url=f"{fake.url}/apim/token", sso_token_url=f"{fake.url}/sso/token",
                consumer_key=siasn_fake.CONSUMER_KEY, consumer_secret=siasn_fake.CONSUMER_SECRET,
                client_id=siasn_fake.CLIENT_ID, username=siasn_fake.USERNAME, password=siasn_fake.PASSWORD))
        db.session.commit()


def _admin(app, slug):
    client = app.test_client()
    assert login(client, slug, "admin").status_code == 302
    return client


def _post(client, slug, path, **data):
    token = csrf_token(client, INDEX.format(slug=slug))
    return client.post(f"/{slug}/admin/siasn/{path}", data={"csrf_token": token, **data})


def _export(app, year):
    with app.app_context(), tenant_scope(year.org.tenant):
        export = db.session.scalar(select(SiasnExport))
        logs = list(db.session.scalars(select(SiasnSendLog).order_by(SiasnSendLog.id)))
        db.session.expunge_all()
        return export, logs


def test_kirim_yang_siap_sends_to_siasn_and_records_the_id(app, fake, year):
    _configure(app, year, fake)
    client = _admin(app, year.slug)
    page = client.get(INDEX.format(slug=year.slug)).get_data(as_text=True)
    assert "Kirim yang siap" in page and year.pegawai_name in page and "Belum dikirim" in page
    response = _post(client, year.slug, "kirim")
    assert response.status_code == 302
    export, logs = _export(app, year)
    assert export.status is ExportStatus.SENT and export.attempts == 1 and export.last_error is None
    [(endpoint, body)] = fake.received
    assert endpoint == "kinerjaperiodik/save" and body["pnsDinilaiId"] == "PNS-ID-1"
    assert export.remote_id == fake.ids[0]
    assert body["path"][0]["dok_nama"].startswith("Dokumen-Evaluasi") and fake.uploads[0][1] > 1000
    # The log: the upload (name and size, no bytes) and the save body with SIASN's answer; no secrets anywhere.
    assert [(row.endpoint, row.response_status) for row in logs] == [("upload-dok", 200), ("kinerjaperiodik/save", 200)]
    assert set(logs[0].request_body) == {"file", "size"}
    assert logs[1].request_body == body
    with app.app_context(), tenant_scope(year.org.tenant):
        trail = [(e.action, e.employee_id) for e in db.session.scalars(
            select(m.AuditEntry).where(m.AuditEntry.action.like("siasn.%")).order_by(m.AuditEntry.seq))]
        stored = json.dumps([[row.request_body, row.response_body] for row in db.session.scalars(select(SiasnSendLog))]
                            + [e.after for e in db.session.scalars(select(m.AuditEntry))], default=str)
    assert trail == [("siasn.settings", None), ("siasn.sent", year.org.pegawai_id)]
    for secret in (siasn_fake.CONSUMER_SECRET, siasn_fake.PASSWORD, siasn_fake.APIM_TOKEN, siasn_fake.SSO_TOKEN):
        assert secret not in stored
    page = client.get(INDEX.format(slug=year.slug) + "?status=sent").get_data(as_text=True)
    assert "Terkirim" in page and export.remote_id in page
    # Sent once: "kirim yang siap" does not send it again; resending one updates SIASN's record.
    _post(client, year.slug, "kirim")
    assert len(fake.received) == 1
    assert _post(client, year.slug, f"penilaian/{year.evaluation_id}/kirim").status_code == 302
    assert fake.received[1][1]["id"] == export.remote_id


def test_a_500_is_recorded_as_failed_and_retried_later(app, fake, year):
    from app.cli.siasn import send_command

    _configure(app, year, fake)
    fake.fail_next = 1
    client = _admin(app, year.slug)
    _post(client, year.slug, "kirim")
    export, logs = _export(app, year)
    assert export.status is ExportStatus.FAILED and export.attempts == 1
    assert export.last_error.startswith("HTTP 500") and "Internal Server Error (uji)" in export.last_error
    assert export.next_attempt_at is not None and export.next_attempt_at > utc_now()
    assert logs[-1].response_status == 500
    page = client.get(INDEX.format(slug=year.slug)).get_data(as_text=True)
    assert "Gagal" in page and "Internal Server Error (uji)" in page
    # Not due yet: nothing is sent again.
    _post(client, year.slug, "kirim")
    assert _export(app, year)[0].attempts == 1 and fake.received == []
    # Once the backoff is over, the scheduled command sends it.
    with app.app_context(), tenant_scope(year.org.tenant):
        db.session.scalar(select(SiasnExport)).next_attempt_at = utc_now() - timedelta(seconds=1)
        db.session.commit()
    result = app.test_cli_runner().invoke(send_command, [year.slug, "--as", "admin"])
    assert result.exit_code == 0, result.output
    export, _logs = _export(app, year)
    assert export.status is ExportStatus.SENT and export.attempts == 2 and export.remote_id == fake.ids[0]
    assert len(fake.received) == 1


def test_without_a_siasn_id_it_is_not_sendable_and_says_why(app, fake, year):
    _configure(app, year, fake, siasn_id=None)
    client = _admin(app, year.slug)
    page = client.get(INDEX.format(slug=year.slug)).get_data(as_text=True)
    assert "Belum dapat dikirim: ID SIASN pegawai belum diisi." in page
    _post(client, year.slug, "kirim")
    response = _post(client, year.slug, f"penilaian/{year.evaluation_id}/kirim")
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ID SIASN pegawai belum diisi" in detail
    assert _export(app, year) == (None, []) and fake.received == []


def test_without_credentials_the_batch_file_carries_payloads_and_pdfs(app, year):
    _configure(app, year)
    client = _admin(app, year.slug)
    page = client.get(INDEX.format(slug=year.slug)).get_data(as_text=True)
    assert "Unduh berkas ekspor" in page and "Kirim yang siap" not in page
    assert _post(client, year.slug, f"penilaian/{year.evaluation_id}/kirim").status_code == 302
    assert _export(app, year) == (None, [])  # nothing to send with
    response = _post(client, year.slug, "berkas")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    [line] = archive.read("payloads.jsonl").decode().splitlines()
    entry = json.loads(line)
    assert entry["endpoint"] == "kinerjaperiodik/save" and entry["body"]["pnsDinilaiId"] == "PNS-ID-1"
    assert archive.read(entry["document"]).startswith(b"%PDF")
    assert archive.read("belum-siap.jsonl") == b""


def test_another_tenants_evaluation_is_a_404_and_a_non_admin_a_403(app, fake, year):
    with app.app_context():
        other = build_year("kota-lain", "nasional")
        db.session.remove()
    _configure(app, year, fake)
    client = _admin(app, year.slug)
    assert client.get(f"/{year.slug}/admin/siasn/penilaian/{other.evaluation_id}").status_code == 404
    assert _post(client, year.slug, f"penilaian/{other.evaluation_id}/kirim").status_code == 404
    assert client.get(f"/{year.slug}/admin/siasn/penilaian/{year.evaluation_id}").status_code == 200
    penilai = app.test_client()
    login(penilai, year.slug, "penilai")
    assert penilai.get(INDEX.format(slug=year.slug)).status_code == 403
    assert penilai.get(f"/{year.slug}/admin/siasn/pengaturan").status_code == 403
    assert fake.received == []


def test_the_settings_page_and_the_employee_form(app, year):
    client = _admin(app, year.slug)
    url = f"/{year.slug}/admin/siasn/pengaturan"
    page = client.get(url).get_data(as_text=True)
    assert "III/a = 31" in page and "triwulan_1 = 1" in page
    bad = client.post(url, data={"csrf_token": csrf_token(client, url), "status_penilai": "ASN",
                                 "koefisien_id": "1", "golongan": "V/z = 1"})
    assert bad.status_code == 422 and "Kode V/z tidak dikenal." in bad.get_data(as_text=True)
    ok = client.post(url, data={"csrf_token": csrf_token(client, url), "status_penilai": "NON ASN",
                                "koefisien_id": "K-2", "periodik": "triwulan_1 = PER-1"})
    assert ok.status_code == 302
    with app.app_context(), tenant_scope(year.org.tenant):
        cfg = settings.config()
    assert (cfg.status_penilai, cfg.koefisien_id, cfg.periodik["triwulan_1"]) == ("NON ASN", "K-2", "PER-1")
    form_url = f"/{year.slug}/admin/pegawai/{year.org.pegawai_id}"
    html = client.get(form_url).get_data(as_text=True)
    assert 'name="siasn_id"' in html
    with app.app_context(), tenant_scope(year.org.tenant):
        e = db.session.get(Employee, year.org.pegawai_id)
        data = {"nip": e.nip, "name": e.name, "sex": e.sex.value, "employee_type": e.employee_type.value,
                "position_id": e.position_id, "email": "", "rank_code": e.rank_code or "", "version": e.version}
    spaced = client.post(form_url, data={**data, "csrf_token": csrf_token(client, form_url), "siasn_id": "A B"})
    assert spaced.status_code == 422 and "tanpa spasi" in spaced.get_data(as_text=True)
    saved = client.post(form_url, data={**data, "csrf_token": csrf_token(client, form_url), "siasn_id": " PNS-9 "})
    assert saved.status_code == 302
    with app.app_context(), tenant_scope(year.org.tenant):
        assert db.session.get(Employee, year.org.pegawai_id).siasn_id == "PNS-9"
