"""The shared plumbing (issue #8): domain errors and how each becomes an answer,
``perform`` for form views, the tenant's clock and local times, ``notify``."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Blueprint, render_template_string, url_for
from sqlalchemy import event, select
from wtforms import StringField

from app import create_app
from app.errors import Conflict, Forbidden, Invalid, NotFound, Stale
from app.extensions import db
from app.notifications import Notification, notify
from app.tenancy import frozen_clock, tenant_now, tenant_scope, tenant_today, utc_now
from app.tenancy.models import Tenant
from app.web.forms import VersionedForm, form_status, perform
from tests.conftest import login

# --- errors and perform() -----------------------------------------------------------


class NameForm(VersionedForm):
    name = StringField()


def _probe_app(database_url):
    """A fresh application with probe routes (the shared one has served requests already)."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False})
    probe = Blueprint("probe", __name__)
    raised = {"invalid": Invalid("Nama wajib diisi.", "name"), "forbidden": Forbidden("Bukan hak Anda."),
              "missing": NotFound("Tidak ada."), "conflict": Conflict("Bentrok dengan jadwal."),
              "stale": Stale("")}

    @probe.route("/probe/<kind>", methods=["GET", "POST"])
    def form_page(kind):
        form, done = NameForm(), None
        if form.validate_on_submit():
            def action():
                if kind in raised:
                    raise raised[kind]
                return "tersimpan"
            done = perform(form, action, success=lambda value: f"Data {value}.",
                           redirect_to=lambda value: url_for("probe.form_page", kind="ok"),
                           current_version=lambda: 7)
            if done.ok:
                return done.response
        html = render_template_string(
            "{{ form.name.errors|join('|') }}#{{ form.form_errors|join('|') }}#{{ form.version.data }}", form=form)
        return html, form_status(form, done)

    @probe.route("/api/v1/probe/<kind>")
    def api_probe(kind):
        raise raised[kind]

    app.register_blueprint(probe)
    return app


@pytest.fixture
def probe(app, database_url):
    return _probe_app(database_url).test_client()


def test_an_invalid_input_re_renders_the_form_with_the_message_on_its_field(probe):
    response = probe.post("/probe/invalid", data={"name": "", "version": "3"})
    assert response.status_code == 422
    field_errors, form_errors, _ = response.get_data(as_text=True).split("#")
    assert field_errors == "Nama wajib diisi." and form_errors == ""


def test_a_stale_save_says_so_and_refreshes_the_version(probe):
    response = probe.post("/probe/stale", data={"name": "Budi", "version": "3"})
    assert response.status_code == 409
    _, form_errors, version = response.get_data(as_text=True).split("#")
    assert "diubah oleh orang lain" in form_errors and version == "7"


def test_a_conflict_keeps_its_own_message(probe):
    response = probe.post("/probe/conflict", data={"name": "Budi"})
    assert response.status_code == 409 and "Bentrok dengan jadwal." in response.get_data(as_text=True)


@pytest.mark.parametrize(("kind", "status", "text"), [("forbidden", 403, "Bukan hak Anda."),
                                                      ("missing", 404, "Tidak ada.")])
def test_forbidden_and_not_found_become_error_pages(probe, kind, status, text):
    response = probe.post(f"/probe/{kind}", data={"name": "Budi"})
    assert response.status_code == status
    assert text in response.get_data(as_text=True) and "<html" in response.get_data(as_text=True).lower()


def test_success_commits_flashes_and_redirects(probe):
    response = probe.post("/probe/ok", data={"name": "Budi"})
    assert response.status_code == 302 and response.location.endswith("/probe/ok")
    with probe.session_transaction() as session:
        assert ("success", "Data tersimpan.") in session["_flashes"]


@pytest.mark.parametrize(("kind", "status"), [("invalid", 422), ("forbidden", 403), ("missing", 404),
                                              ("stale", 409)])
def test_the_api_answers_problem_json(probe, kind, status):
    response = probe.get(f"/api/v1/probe/{kind}")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"]
    if kind == "invalid":
        assert body["field"] == "name" and body["detail"] == "Nama wajib diisi."


def test_a_tampered_version_is_always_stale(app):
    with app.test_request_context(method="POST", data={"version": "1e9"}):
        assert NameForm(meta={"csrf": False}).version_number == -1
    with app.test_request_context(method="POST", data={"version": "12"}):
        assert NameForm(meta={"csrf": False}).version_number == 12
    with app.test_request_context(method="POST", data={"version": ""}):
        assert NameForm(meta={"csrf": False}).version_number is None


# --- the tenant's clock ----------------------------------------------------------------


def _set_zone(app, org, zone: str) -> None:
    with app.app_context(), tenant_scope(org.tenant):
        db.session.get(Tenant, org.tenant.id).timezone = zone
        db.session.commit()
        db.session.remove()


def test_today_is_the_tenants_day_not_the_servers(app, two_tenants):
    jayapura, jakarta = two_tenants
    _set_zone(app, jayapura, "Asia/Jayapura")
    late_evening_utc = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 01:30 on 1 January in Jayapura
    with app.app_context(), frozen_clock(late_evening_utc):
        with tenant_scope(jayapura.tenant):
            assert tenant_today() == date(2027, 1, 1)
            assert tenant_now().hour == 1
        with tenant_scope(jakarta.tenant):
            assert tenant_today() == date(2026, 12, 31)
        assert utc_now() == datetime(2026, 12, 31, 16, 30) and utc_now().tzinfo is None


def test_times_on_pages_are_in_the_tenants_zone(app, client, two_tenants):
    jayapura, _ = two_tenants
    _set_zone(app, jayapura, "Asia/Jayapura")
    with app.app_context(), tenant_scope(jayapura.tenant):
        db.session.add(Notification(user_id=jayapura.user_ids["pegawai"], kind="uji", message="Pesan berwaktu",
                                    created_at=datetime(2026, 5, 1, 8, 0)))  # stored as UTC
        db.session.commit()
        db.session.remove()
    login(client, "kota-a", "pegawai")
    page = client.get("/kota-a/notifikasi/").get_data(as_text=True)
    assert "01-05-2026 17:00" in page  # 08:00 UTC is 17:00 WIT
    assert "UTC" not in page


# --- notify() ------------------------------------------------------------------------


def test_notify_costs_the_same_queries_for_one_recipient_or_many(app, two_tenants):
    org, _ = two_tenants
    everyone = list(org.user_ids.values())

    def statements_for(users) -> int:
        seen: list[str] = []

        def count(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT"):
                seen.append(statement)

        with app.test_request_context(), tenant_scope(org.tenant):
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                notify("uji", lambda: "Halo", users=users, about=("plan", 1))
                db.session.flush()
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
                db.session.rollback()
                db.session.remove()
        return len(seen)

    assert statements_for(everyone[:1]) == statements_for(everyone)


def test_notify_reaches_each_active_account_once_and_stores_what_it_is_about(app, two_tenants):
    org, _ = two_tenants
    with app.test_request_context(), tenant_scope(org.tenant):
        made = notify("uji", "Satu kali", users=[org.user_ids["pegawai"]], employees=[org.pegawai_id],
                      about=("evaluation", 42))
        db.session.commit()
        assert len(made) == 1
        note = db.session.scalar(select(Notification).where(Notification.kind == "uji"))
        assert (note.about_kind, note.about_id) == ("evaluation", 42)
        assert note.link == "/kota-a/penilaian/42"
        db.session.remove()


# --- a region whose rules are broken (degraded start-up) ------------------------------


def test_only_the_broken_regions_tenants_see_rules_unavailable(app, database_url, two_tenants):
    from app.tenancy import all_tenants, tenant_rules
    from app.tenancy.web import tenant_blueprint
    from tests.test_regions_integrator import BROKEN, _plugin

    degraded = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "REGIONS_STRICT": False,
                                      "EXTRA_REGION_PLUGINS": [_plugin(BROKEN)]})
    probe = tenant_blueprint("rules_probe", __name__, "/aturan-uji")

    @probe.route("/")
    def rule_set_name():
        return tenant_rules().rule_set.name

    degraded.register_blueprint(probe)
    with degraded.app_context(), all_tenants("a tenant on the broken rule set"):
        db.session.add(Tenant(slug="kota-rusak", name="Kota Rusak", level="kota", province="Uji",
                              rule_set_code=BROKEN.code, settings={}))
        db.session.commit()
        db.session.remove()
    client = degraded.test_client()
    broken = client.get("/kota-rusak/aturan-uji/")
    assert broken.status_code == 503
    assert "Aturan daerah tidak tersedia" in broken.get_data(as_text=True)
    healthy = client.get("/kota-a/aturan-uji/")
    assert healthy.status_code == 200 and healthy.get_data(as_text=True)
