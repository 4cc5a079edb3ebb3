"""Document bundles: every final SKP (or evaluation document) of a unit for a
period as one ZIP, built by the job runner with progress; each document in it
is issued (registered, verifiable) exactly like a single download."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.reports.models import BundleStatus, DocumentBundle, IssuedDocument
from app.tenancy import tenant_scope
from tests.conftest import csrf_token, login, make_org, make_tenant
from tests.reports_support import RHK, build_year, pdftotext


@pytest.fixture
def year(app):
    with app.app_context():
        built = build_year("kota-uji", "nasional")
        db.session.remove()
    return built


def _admin(app, slug: str):
    client = app.test_client()
    assert login(client, slug, "admin").status_code == 302
    return client


def _request(client, slug: str, kind: str, period_id: int, unit_id: int = 0):
    url = f"/{slug}/admin/dokumen-massal/"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "kind": kind,
                                  "period": period_id, "unit": unit_id})


def _year_period_id(app, year) -> int:
    from app.periods.models import Period, PeriodKind
    with app.app_context(), tenant_scope(year.org.tenant):
        return db.session.scalar(select(Period.id).where(Period.kind == PeriodKind.YEAR))


def test_a_bundle_of_skp_documents_is_built_and_downloaded(app, year, tmp_path):
    client = _admin(app, year.slug)
    response = _request(client, year.slug, "skp", _year_period_id(app, year), year.org.unit_id)
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    detail = client.get(response.headers["Location"])
    assert detail.status_code == 200
    page = detail.get_data(as_text=True)
    assert "Unduh berkas ZIP" in page
    with app.app_context(), tenant_scope(year.org.tenant):
        bundle = db.session.scalars(select(DocumentBundle)).one()
        # the unit's two agreed plans: the pegawai's and the penilai's own
        assert bundle.status is BundleStatus.DONE and bundle.total == bundle.processed == 2
        issued = {d.employee_id: d for d in db.session.scalars(select(IssuedDocument))}
        bundle_id = bundle.id
    assert set(issued) == {year.org.pegawai_id, year.org.penilai_id}
    assert {d.kind for d in issued.values()} == {"skp"}
    status = client.get(f"/{year.slug}/admin/dokumen-massal/{bundle_id}/status").get_json()
    assert status == {"status": "done", "total_rows": 2, "processed_rows": 2, "finished": True}
    download = client.get(f"/{year.slug}/admin/dokumen-massal/{bundle_id}/unduh")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    name = f"SKP-2026-{year.pegawai_nip}.pdf"
    assert name in archive.namelist() and len(archive.namelist()) == 2
    text = pdftotext(archive.read(name), tmp_path)
    assert "SASARAN KINERJA PEGAWAI" in text and RHK.split()[0] in text
    assert issued[year.org.pegawai_id].code in text  # the bundled copy carries its verification code


def test_a_bundle_bigger_than_the_session_window_completes(app, year, monkeypatch):
    """The job clears its session every FORGET_EVERY documents (memory stays flat for an OPD of
    thousands); the documents after a clearing are issued like the first ones."""
    from app.reports import bundles

    monkeypatch.setattr(bundles, "FORGET_EVERY", 1)
    client = _admin(app, year.slug)
    assert _request(client, year.slug, "skp", _year_period_id(app, year)).status_code == 302
    with app.app_context(), tenant_scope(year.org.tenant):
        bundle = db.session.scalars(select(DocumentBundle)).one()
        assert bundle.status is BundleStatus.DONE, bundle.error
        assert bundle.total == bundle.processed == 2
        assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 2


def test_an_evaluation_bundle_holds_the_final_evaluations_of_the_period(app, year, tmp_path):
    client = _admin(app, year.slug)
    response = _request(client, year.slug, "dokumen-evaluasi", year.quarter_id)
    assert response.status_code == 302
    with app.app_context(), tenant_scope(year.org.tenant):
        bundle = db.session.scalars(select(DocumentBundle)).one()
        assert bundle.status is BundleStatus.DONE and bundle.total == 1
        bundle_id = bundle.id
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/{year.slug}/admin/dokumen-massal/{bundle_id}/unduh").data))
    [name] = archive.namelist()
    assert name.startswith("Dokumen-Evaluasi-") and name.endswith(f"{year.pegawai_nip}.pdf")
    assert "Pegawai Yang Dinilai".lower() in pdftotext(archive.read(name), tmp_path).lower()


def test_nothing_final_to_bundle_re_renders_the_form_with_a_message(app, year):
    from app.periods.models import Period
    with app.app_context(), tenant_scope(year.org.tenant):
        later = db.session.scalars(select(Period).where(Period.parent_id.is_not(None), Period.sequence == 4)).one()
        later_id = later.id
    client = _admin(app, year.slug)
    response = _request(client, year.slug, "dokumen-evaluasi", later_id)
    assert response.status_code == 422
    assert "Tidak ada dokumen final" in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(year.org.tenant):
        assert db.session.scalar(select(func.count()).select_from(DocumentBundle)) == 0


def test_bundles_are_for_the_admin_and_for_their_own_tenant(app, year):
    client = _admin(app, year.slug)
    assert _request(client, year.slug, "skp", _year_period_id(app, year)).status_code == 302
    with app.app_context(), tenant_scope(year.org.tenant):
        bundle_id = db.session.scalar(select(DocumentBundle.id))
    pegawai = app.test_client()
    assert login(pegawai, year.slug, "pegawai").status_code == 302
    assert pegawai.get(f"/{year.slug}/admin/dokumen-massal/").status_code == 403
    assert pegawai.get(f"/{year.slug}/admin/dokumen-massal/{bundle_id}/unduh").status_code == 403
    with app.app_context():
        other = make_org(make_tenant("lain"))
        db.session.remove()
    stranger = app.test_client()
    assert login(stranger, "lain", "admin").status_code == 302
    for suffix in ("", "/status", "/unduh"):
        assert stranger.get(f"/lain/admin/dokumen-massal/{bundle_id}{suffix}").status_code == 404
    assert other is not None


def test_an_unknown_kind_or_period_is_refused_without_an_error_page(app, year):
    client = _admin(app, year.slug)
    assert _request(client, year.slug, "rahasia", _year_period_id(app, year)).status_code == 422
    assert _request(client, year.slug, "skp", 999999).status_code == 422
