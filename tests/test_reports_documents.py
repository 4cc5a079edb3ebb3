"""The official documents from a hand-built plan and evaluation: the typed data
the core gathers (what the plan and evaluation store, nothing recomputed) and
the downloaded PDFs read back with pdftotext, in a matrix region (nasional)
and a numeric one (sawahlunto); who may download; drafts are not issued."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.reports.documents import load_plan_for_document, period_text, skp_document
from app.reports.evaluation_document import evaluation_document, load_evaluation_for_document
from app.reports.models import IssuedDocument
from app.tenancy import tenant_scope
from tests.conftest import login
from tests.reports_support import (
    FEEDBACK,
    IKI_1,
    IKI_2,
    NOTE,
    RHK,
    RHK_ATASAN,
    build_year,
    pdftotext,
)


@pytest.fixture
def matrix(app):
    with app.app_context():
        year = build_year("kota-uji", "nasional")
        db.session.remove()
    return year


@pytest.fixture
def numeric(app):
    with app.app_context():
        year = build_year("sawahlunto", "sawahlunto")
        db.session.remove()
    return year


# --- the data ---------------------------------------------------------------------------------

def test_period_text_is_indonesian_whatever_the_ui_language():
    from datetime import date

    assert period_text(date(2026, 1, 1), date(2026, 12, 31)) == "1 Januari s.d. 31 Desember 2026"
    assert period_text(date(2026, 4, 1), date(2026, 6, 30)) == "1 April s.d. 30 Juni 2026"


def test_skp_data_from_a_plan(app, matrix):
    with app.app_context(), tenant_scope(matrix.org.tenant):
        data = skp_document(load_plan_for_document(matrix.plan_id))
    assert data.letterhead.agency == "DINAS KESEHATAN KOTA UJI"
    assert data.letterhead.place == "Kota Uji"
    assert data.period_text == "1 Januari s.d. 31 Desember 2026" and data.year == 2026
    assert data.pegawai.name == matrix.pegawai_name and data.pegawai.nip == matrix.pegawai_nip
    assert data.pegawai.rank == "Penata Muda / III/a"
    assert data.pegawai.position == "Pengadministrasi Pelayanan"
    assert data.penilai.name == matrix.penilai_name and data.penilai.rank.endswith("III/d")
    assert [r.group for r in data.results] == ["utama", "tambahan"]
    main = data.results[0]
    assert main.description == RHK and main.intervened == RHK_ATASAN
    assert [(i.aspect, i.indicator, i.target) for i in main.indicators] == [
        ("Kuantitas", IKI_1, "12 dokumen"), ("Kualitas", IKI_2, "90 – 100 %")]
    assert len(data.behaviours) == 7 and data.behaviours[0].expectation == "Ramah kepada pemohon"
    assert data.resources == ("Komputer", "Akses aplikasi")
    assert data.accountability == ("Hasil kerja dilaporkan setiap triwulan",)
    assert data.final and data.signed_on.isoformat() == "2026-01-20" and data.verification is None
    assert not data.jpt


def test_evaluation_data_prints_what_is_stored(app, matrix):
    with app.app_context(), tenant_scope(matrix.org.tenant):
        evaluation = load_evaluation_for_document(matrix.evaluation_id)
        data = evaluation_document(evaluation)
        stored = (evaluation.predikat_code, evaluation.predikat_label)
    assert data.period_label == "Triwulan I 2026" and data.period_text == "1 Januari s.d. 31 Maret 2026"
    assert data.period_choice.chosen == "tw1" and ("akhir", "AKHIR") in data.period_choice.options
    assert not data.annual and not data.numeric
    assert data.hasil_kerja.chosen == "sesuai" and data.perilaku.chosen == "di_atas"
    assert data.predikat.chosen == stored[0] == "baik"
    assert ("kurang", "KURANG/MISCONDUCT") in data.predikat.options
    main = data.results[0]
    assert main.indicators[0].realisation == "3 dokumen — laporan triwulan"
    assert main.indicators[0].target == "3 dokumen"  # the quarter's share of an accumulating IKI
    assert main.feedback == FEEDBACK
    assert data.notes == NOTE
    assert data.atasan_penilai is not None and data.penilai is not None
    assert data.distribution is not None and sum(data.distribution.counts) == 1
    assert data.final and data.finalised_on is not None


def test_numeric_evaluation_data_has_the_score_and_its_steps(app, numeric):
    with app.app_context(), tenant_scope(numeric.org.tenant):
        evaluation = load_evaluation_for_document(numeric.evaluation_id)
        data = evaluation_document(evaluation)
        score = f"{evaluation.score:.2f}"
    assert data.numeric and data.score == score
    assert data.steps and any(s.label.startswith("nilai kinerja") for s in data.steps)
    assert data.components and data.results[0].indicators[0].capaian.endswith("%")
    assert data.predikat.chosen and data.predikat.chosen in {code for code, _ in data.predikat.options}


# --- the PDFs -----------------------------------------------------------------------------------

def _client(app, slug: str, username: str):
    client = app.test_client()
    assert login(client, slug, username).status_code == 302
    return client


def _download(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response


def _issued(app, year) -> int:
    with app.app_context(), tenant_scope(year.org.tenant):
        return db.session.scalar(select(func.count()).select_from(IssuedDocument))


@pytest.mark.parametrize("which", ["matrix", "numeric"])
def test_downloaded_skp_and_evaluation_pdfs_hold_the_labels_and_values(app, request, tmp_path, which):
    year = request.getfixturevalue(which)
    client = _client(app, year.slug, "pegawai")
    skp = _download(client, f"/{year.slug}/dokumen/skp/{year.plan_id}")
    assert skp.mimetype == "application/pdf" and skp.data.startswith(b"%PDF-")
    assert skp.headers["Cache-Control"].startswith("no-store")
    assert skp.headers["Content-Disposition"] == f'attachment; filename="SKP-2026-{year.pegawai_nip}.pdf"'
    text = pdftotext(skp.data, tmp_path, "skp")
    flat = " ".join(text.split())
    for label in ("SASARAN KINERJA PEGAWAI", "PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA", "HASIL KERJA",
                  "PERILAKU KERJA", "LAMPIRAN SASARAN KINERJA PEGAWAI", "DINAS KESEHATAN KOTA UJI"):
        assert label.lower() in flat.lower(), label
    for value in (year.pegawai_name, year.pegawai_nip, year.penilai_name, "Penata Muda / III/a", "Kuantitas",
                  "Jumlah dokumen", "4 kegiatan"):
        assert value in flat, value
    assert RHK.split()[0] in flat and "Ramah kepada pemohon" in flat
    assert "/verifikasi/" in flat

    for kind in ("dokumen-evaluasi", "evaluasi-kinerja"):
        pdf = _download(client, f"/{year.slug}/dokumen/evaluasi/{year.evaluation_id}?format={kind}")
        text = " ".join(pdftotext(pdf.data, tmp_path, kind).split())
        assert "pegawai yang dinilai" in text.lower() and "evaluasi kinerja" in text.lower()
        assert year.pegawai_name in text and year.penilai_name in text
        assert re.search(r"BAIK", text), text[:500]
    assert _issued(app, year) == 3


def test_drafts_are_downloaded_as_drafts_and_never_issued(app, tmp_path):
    with app.app_context():
        year = build_year("kota-draf", "nasional", finalise=False)
        db.session.remove()
    client = _client(app, year.slug, "penilai")
    pdf = _download(client, f"/{year.slug}/dokumen/evaluasi/{year.evaluation_id}")
    assert pdf.headers["Content-Disposition"].endswith('-DRAF.pdf"')
    text = pdftotext(pdf.data, tmp_path)
    assert "DRAF" in text.upper() and "/verifikasi/" not in text
    assert _issued(app, year) == 0
    # The pegawai does not see a draft evaluation (as on the evaluation page).
    _download(_client(app, year.slug, "pegawai"), f"/{year.slug}/dokumen/evaluasi/{year.evaluation_id}", 403)


def test_who_may_download(app, two_tenants, matrix):
    a, _b = two_tenants
    # Someone of another tenant never reaches this tenant's ids (their own tenant's URL: 404).
    other = _client(app, "kota-a", "pegawai")
    _download(other, f"/kota-a/dokumen/skp/{matrix.plan_id}", 404)
    _download(other, f"/kota-a/dokumen/evaluasi/{matrix.evaluation_id}", 404)
    # Within the tenant: the penilai and atasan may, the admin may; an unknown format is 404.
    for username in ("penilai", "atasan", "admin"):
        _download(_client(app, matrix.slug, username), f"/{matrix.slug}/dokumen/skp/{matrix.plan_id}")
    _download(_client(app, matrix.slug, "admin"), f"/{matrix.slug}/dokumen/skp/{matrix.plan_id}?format=nope", 404)
    # Signed out: to the sign-in page.
    response = app.test_client().get(f"/{matrix.slug}/dokumen/skp/{matrix.plan_id}")
    assert response.status_code == 302 and "login" in response.location


def test_another_employee_may_not_download(app, matrix):
    from app.auth.accounts import UserData, save_user
    from app.org.models import Employee
    from tests.conftest import PASSWORD

    with app.app_context(), tenant_scope(matrix.org.tenant):
        peer = db.session.get(Employee, matrix.org.peer_id)
        save_user(UserData("rekan", peer.nip, False, PASSWORD))
        db.session.commit()
    client = _client(app, matrix.slug, "rekan")
    _download(client, f"/{matrix.slug}/dokumen/skp/{matrix.plan_id}", 403)
    _download(client, f"/{matrix.slug}/dokumen/evaluasi/{matrix.evaluation_id}", 403)


def test_one_query_pass_per_document(app, matrix):
    """The number of queries does not grow with the number of RHK and IKI (no N+1)."""
    from sqlalchemy import event

    from app import models as m

    def count(build) -> int:
        seen = []
        engine = db.engine
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            build()
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    def documents():
        db.session.expire_all()
        skp_document(load_plan_for_document(matrix.plan_id))
        db.session.expire_all()
        evaluation_document(load_evaluation_for_document(matrix.evaluation_id))

    with app.app_context(), tenant_scope(matrix.org.tenant):
        before = count(documents)
        for n in range(4):
            result = m.PlanResult(plan_id=matrix.plan_id, kind=m.ResultKind.TAMBAHAN, description=f"RHK {n}",
                                  position=5 + n)
            db.session.add_all([result, m.PlanIndicator(result=result, name=f"IKI {n}", aspect="kuantitas",
                                                        unit="kegiatan", target_lower=1, target_upper=1)])
        db.session.commit()
        assert count(documents) == before
