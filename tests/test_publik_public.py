"""Citizens' pages: survey, complaint, tracking; abuse controls; tenant
isolation; no personal data and nothing unpublished on any public page."""

from __future__ import annotations

import math
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.org.models import Employee
from app.publik import complaints
from app.publik.models import Complaint, PublicSubmission, SurveyResponse
from app.tenancy import all_tenants, tenant_today, utc_now
from tests.conftest import login
from tests.publik_support import GOOD_ANSWERS, complaint_form, file_complaint, survey_form


@pytest.fixture
def web(app, two_tenants, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    return two_tenants


def _count(app, model, **where):
    with app.app_context(), all_tenants("test count"):
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return db.session.scalar(query)


def _client(app, address: str = "203.0.113.7"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


# --- survey ---------------------------------------------------------------------------------

def test_a_citizen_answers_the_survey(app, web):
    a, _ = web
    client = _client(app)
    page = client.get(f"/kota-a/publik/survei/{a.unit_id}").get_data(as_text=True)
    assert "Persyaratan" in page and "Sangat sesuai" in page and "Dikelola dengan baik" in page
    response = client.post(f"/kota-a/publik/survei/{a.unit_id}", data=survey_form(comment="Antrean rapi."))
    assert response.status_code == 302 and response.location.endswith(f"/kota-a/publik/survei/{a.unit_id}/terima-kasih")
    assert "Terima kasih" in client.get(response.location).get_data(as_text=True)
    with app.app_context(), all_tenants("test"):
        stored = db.session.scalars(select(SurveyResponse)).all()
        assert len(stored) == 1 and stored[0].answers == GOOD_ANSWERS and stored[0].comment == "Antrean rapi."
        # No client address is kept anywhere, only keyed hashes.
        for row in [*stored, *db.session.scalars(select(PublicSubmission))]:
            values = " ".join(str(v) for v in vars(row).values())
            assert "203.0.113.7" not in values


def test_every_element_must_be_answered(app, web):
    a, _ = web
    data = survey_form()
    del data["u9"]
    response = _client(app).post(f"/kota-a/publik/survei/{a.unit_id}", data=data)
    assert response.status_code == 200 and "Pilih salah satu jawaban." in response.get_data(as_text=True)
    data = survey_form(u3="5")
    assert _client(app).post(f"/kota-a/publik/survei/{a.unit_id}", data=data).status_code == 200
    assert _count(app, SurveyResponse) == 0


def test_the_honeypot_drops_bots_silently(app, web):
    a, _ = web
    response = _client(app).post(f"/kota-a/publik/survei/{a.unit_id}", data=survey_form(website="http://spam"))
    assert response.status_code == 302  # the bot sees success
    assert _count(app, SurveyResponse) == 0
    response = _client(app).post(f"/kota-a/publik/pengaduan?unit={a.unit_id}",
                                 data=complaint_form(website="http://spam"))
    assert response.status_code == 302
    assert _count(app, Complaint) == 0


def test_the_same_answers_from_the_same_client_count_once(app, web):
    a, _ = web
    client = _client(app)
    for _ in range(3):
        assert client.post(f"/kota-a/publik/survei/{a.unit_id}", data=survey_form()).status_code == 302
    assert _count(app, SurveyResponse) == 1
    # Different answers from that client, or the same answers from another client, are new responses.
    client.post(f"/kota-a/publik/survei/{a.unit_id}", data=survey_form(answers=(3,) * 9))
    _client(app, "198.51.100.9").post(f"/kota-a/publik/survei/{a.unit_id}", data=survey_form())
    assert _count(app, SurveyResponse) == 3


def test_duplicate_complaints_are_refused(app, web):
    a, _ = web
    client = _client(app)
    file_complaint(client, "kota-a", a.unit_id)
    again = client.post(f"/kota-a/publik/pengaduan?unit={a.unit_id}", data=complaint_form())
    assert again.status_code == 409
    assert _count(app, Complaint) == 1


def test_submissions_are_rate_limited_per_client(app, web, monkeypatch):
    a, _ = web
    monkeypatch.setitem(app.config, "PUBLIK_SURVEYS_PER_WINDOW", 3)
    client = _client(app)
    for i in range(3):
        answers = (1 + i,) * 9
        assert client.post(f"/kota-a/publik/survei/{a.unit_id}", data=survey_form(answers=answers)).status_code == 302
    blocked = client.post(f"/kota-a/publik/survei/{a.unit_id}", data=survey_form(answers=(4,) * 9))
    assert blocked.status_code == 429
    assert _count(app, SurveyResponse) == 3
    # Another client is not affected; the counter lives in the database (shared by workers).
    assert _client(app, "198.51.100.9").post(f"/kota-a/publik/survei/{a.unit_id}",
                                             data=survey_form()).status_code == 302
    assert _count(app, PublicSubmission, action="survey") == 4

    monkeypatch.setitem(app.config, "PUBLIK_COMPLAINTS_PER_WINDOW", 1)
    file_complaint(client, "kota-a", a.unit_id)
    blocked = client.post(f"/kota-a/publik/pengaduan?unit={a.unit_id}",
                          data=complaint_form(description="Sebuah pengaduan lain yang cukup panjang."))
    assert blocked.status_code == 429


# --- complaints and tracking -----------------------------------------------------------------

def test_a_citizen_files_a_complaint_and_tracks_it(app, web):
    a, _ = web
    client = _client(app)
    step1 = client.get("/kota-a/publik/pengaduan").get_data(as_text=True)
    assert "Dinas Kesehatan" in step1
    step2 = client.get(f"/kota-a/publik/pengaduan?unit={a.unit_id}").get_data(as_text=True)
    assert "Pegawai Kota-A" in step2  # chosen by name …
    with app.app_context(), all_tenants("test"):
        nips = db.session.scalars(select(Employee.nip)).all()
    assert not any(nip in step2 for nip in nips)  # … never by NIP
    code = file_complaint(client, "kota-a", a.unit_id, employee_id=str(a.pegawai_id),
                          contact="warga@example.org")
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    # The code is shown once only.
    assert client.get("/kota-a/publik/pengaduan/terkirim").status_code == 302

    # The status page answers the POST itself: the code never goes into a URL (issue #9).
    page = client.post("/kota-a/publik/lacak", data={"code": code.lower().replace("-", " ")})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Diterima" in body and code in body
    assert "warga@example.org" not in body and "Pegawai Kota-A" not in body
    with app.app_context(), all_tenants("test"):
        complaint = db.session.scalar(select(Complaint))
        assert complaint.contact == "warga@example.org" and complaint.employee_id == a.pegawai_id


def test_an_employee_of_another_unit_or_tenant_cannot_be_named(app, web):
    a, b = web
    response = _client(app).post(f"/kota-a/publik/pengaduan?unit={a.unit_id}",
                                 data=complaint_form(employee_id=str(b.pegawai_id)))
    assert response.status_code == 200 and "Pilih petugas dari daftar." in response.get_data(as_text=True)
    assert _count(app, Complaint) == 0


def test_tracking_codes_are_unguessable():
    codes = [complaints.new_tracking_code() for _ in range(5000)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == complaints.TRACKING_LENGTH == 12 for c in codes)
    alphabet = set(complaints.TRACKING_ALPHABET)
    assert set("".join(codes)) == alphabet  # every symbol used, nothing else
    assert not alphabet & set("01OIL")  # nothing to misread
    bits = complaints.TRACKING_LENGTH * math.log2(len(alphabet))
    assert bits >= 58
    # Roughly uniform: every symbol within 20% of its expected frequency.
    joined = "".join(codes)
    expected = len(joined) / len(alphabet)
    assert all(abs(joined.count(ch) - expected) < 0.2 * expected for ch in alphabet)


def test_tracking_codes_are_tenant_scoped_and_guessing_is_throttled(app, web, monkeypatch):
    a, b = web
    code = file_complaint(_client(app), "kota-b", b.unit_id)
    client = _client(app, "198.51.100.20")
    assert client.post("/kota-b/publik/lacak", data={"code": code}).status_code == 200
    elsewhere = client.post("/kota-a/publik/lacak", data={"code": code})
    assert elsewhere.status_code == 404 and "tidak ditemukan" in elsewhere.get_data(as_text=True)
    monkeypatch.setitem(app.config, "PUBLIK_TRACK_FAILURES_PER_WINDOW", 3)
    guesser = _client(app, "198.51.100.99")
    statuses = [guesser.post("/kota-a/publik/lacak", data={"code": complaints.new_tracking_code()}).status_code
                for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_another_tenants_unit_is_not_found(app, web):
    a, b = web
    client = _client(app)
    assert client.get(f"/kota-a/publik/survei/{b.unit_id}").status_code == 404
    assert client.post(f"/kota-a/publik/survei/{b.unit_id}", data=survey_form()).status_code == 404
    assert client.get(f"/kota-a/publik/pengaduan?unit={b.unit_id}").status_code == 404
    assert "Beta" not in client.get("/kota-a/publik/survei").get_data(as_text=True)
    assert _count(app, SurveyResponse) == 0


def test_the_tracking_code_never_reaches_a_url_and_the_status_is_not_cached(app, web):
    a, _ = web
    client = _client(app)
    complaint_form_page = client.post(f"/kota-a/publik/pengaduan?unit={a.unit_id}", data=complaint_form())
    assert complaint_form_page.status_code == 302 and "terkirim" in complaint_form_page.location
    sent = client.get(complaint_form_page.location)
    html = sent.get_data(as_text=True)
    code = re.search(r'data-testid="tracking-code">([A-Z0-9-]+)<', html).group(1)
    bare = code.replace("-", "")
    # Every URL on the page (links and form targets) is free of the code.
    for url in re.findall(r'(?:href|action)="([^"]*)"', html):
        assert bare not in url.replace("-", "").upper(), url
    # The old address with the code in it no longer exists.
    assert client.get(f"/kota-a/publik/lacak/{bare}").status_code == 404
    # The button on the page posts the code; the answer is the status page itself, never a redirect.
    status = client.post("/kota-a/publik/lacak", data={"code": code})
    assert status.status_code == 200 and status.location is None
    assert "no-store" in status.headers["Cache-Control"]
    assert status.headers.get("Pragma") == "no-cache"
    assert "no-store" in sent.headers["Cache-Control"]


# --- the transparency page ----------------------------------------------------------------------

def _publish(app, slug, kind, year, quarter=0):
    client = app.test_client()
    assert login(client, slug, "admin").status_code == 302
    return client.post(f"/{slug}/admin/publik/publikasi",
                       data={"terbit-kind": kind, "terbit-year": str(year), "terbit-quarter": str(quarter)})


def test_only_published_aggregates_are_shown_and_nothing_personal(app, web):

    a, b = web
    year = tenant_today().year
    for i in range(6):
        _client(app, f"203.0.113.{i}").post(f"/kota-a/publik/survei/{a.unit_id}", data=survey_form())
    code = file_complaint(_client(app), "kota-a", a.unit_id, employee_id=str(a.pegawai_id),
                          contact="warga@example.org")
    public = _client(app)
    before = public.get("/kota-a/publik/").get_data(as_text=True)
    assert "Belum ada hasil yang diterbitkan." in before and "Dinas Kesehatan" not in before

    assert _publish(app, "kota-a", "ikm", year).status_code == 302
    assert _publish(app, "kota-a", "pengaduan", year).status_code == 302
    assert _publish(app, "kota-b", "pengaduan", year).status_code == 302
    page = public.get("/kota-a/publik/").get_data(as_text=True)
    assert "Dinas Kesehatan" in page and "6 responden" in page and "Beta" not in page

    with app.app_context(), all_tenants("test"):
        people = db.session.execute(select(Employee.name, Employee.nip)).all()
    pages = ["/kota-a/publik/", "/kota-a/publik/survei", f"/kota-a/publik/survei/{a.unit_id}",
             "/kota-a/publik/pengaduan", "/kota-a/publik/lacak"]
    html = public.get("/kota-a/publik/").get_data(as_text=True)
    pages += re.findall(r'href="(/kota-a/publik/unduh/\d+)"', html)
    assert len(pages) >= 7
    # The tracking status is the answer to a POST of the code (issue #9): checked with the others.
    answers = [(url, public.get(url)) for url in pages]
    answers.append(("POST /kota-a/publik/lacak", public.post("/kota-a/publik/lacak", data={"code": code})))
    for url, response in answers:
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert "warga@example.org" not in body, url
        for name, nip in people:
            assert name not in body and nip not in body, (url, name)


def test_a_withdrawn_publication_disappears(app, web):

    a, _ = web
    for i in range(5):
        _client(app, f"203.0.113.{i}").post(f"/kota-a/publik/survei/{a.unit_id}", data=survey_form())
    _publish(app, "kota-a", "ikm", tenant_today().year)
    public = _client(app)
    html = public.get("/kota-a/publik/").get_data(as_text=True)
    download = re.search(r'href="(/kota-a/publik/unduh/(\d+))"', html)
    assert download and public.get(download.group(1)).status_code == 200
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    assert admin.post(f"/kota-a/admin/publik/publikasi/{download.group(2)}/tarik").status_code == 302
    assert "Dinas Kesehatan" not in public.get("/kota-a/publik/").get_data(as_text=True)
    assert public.get(download.group(1)).status_code == 404


def test_a_hidden_median_is_not_shown_as_a_number(app, client, two_tenants):

    from app.publik.models import Publication, PublicationKind
    from app.tenancy import tenant_scope

    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        db.session.add(Publication(kind=PublicationKind.PENGADUAN, year=2026, quarter=0, period_label="2026",
                                   published_at=utc_now(),
                                   data={"received": 2, "resolved": 1, "median_days": None, "threshold": 5,
                                         "units": [{"unit": "Dinas Kesehatan", "received": 2, "resolved": 1,
                                                    "median_days": None}]}))
        db.session.commit()
    page = client.get("/kota-a/publik/").get_data(as_text=True)
    start = page.index("median")
    assert "&lt;5" not in page[start - 300:start]  # "<5" would read as "under five days"
    assert 'class="suppressed"' in page
