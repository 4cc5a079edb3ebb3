"""Criteria consultation in the home page's work list, and the tenant setting
``criteria_consultation`` that offers it (on in Sawahlunto, off elsewhere until
the admin switches it on): off, the screens are 404 and the menus hide them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select

from app.consultation.models import Answer, Consultation, Decision, Subject
from app.consultation.worklist import consultations_to_answer
from app.extensions import db
from app.org.models import Employee
from app.tenancy import all_tenants, tenant_rules, tenant_scope, tenant_today
from app.tenancy.models import Tenant
from tests.conftest import login, make_org, make_tenant
from tests.consultation_support import GURU_PASSWORD, SLUG, build_sawahlunto


def _add(app, slug, title, unit_id, opens=-3, closes=10, decided=False) -> int:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with tenant_scope(tenant):
            today = tenant_today()
            period_id = db.session.scalar(select(Consultation.period_id).limit(1)) or _year_id()
            row = Consultation(title=title, subject=Subject.INDICATOR_SET, period_id=period_id, unit_id=unit_id,
                               proposal={"codes": ["KES-01"]}, opens_on=today + timedelta(days=opens),
                               closes_on=today + timedelta(days=closes),
                               decision=Decision.DROPPED if decided else None)
            db.session.add(row)
            db.session.commit()
            return row.id


def _year_id() -> int:
    from app.periods.models import Period, PeriodKind

    return db.session.scalar(select(Period.id).where(Period.kind == PeriodKind.YEAR))


def _settings(app, slug, value) -> None:
    with app.app_context(), all_tenants("test"):
        db.session.scalar(select(Tenant).where(Tenant.slug == slug)).settings = value
        db.session.commit()


def _home(app, username, password=None):
    client = app.test_client()
    assert login(client, SLUG, username, **({"password": password} if password else {})).status_code == 302
    return client, client.get(f"/{SLUG}/").get_data(as_text=True)


def test_an_unanswered_open_consultation_waits_on_the_home_page_of_everyone_concerned(app):
    w = build_sawahlunto(app)
    unit = _add(app, SLUG, "Set indikator Dinkes", w.org.unit_id)
    everyone = _add(app, SLUG, "Tambahan JP pelatihan", None, closes=5)
    _add(app, SLUG, "Belum dibuka", None, opens=2)
    _add(app, SLUG, "Sudah ditutup", None, opens=-10, closes=-1)
    _add(app, SLUG, "Sudah diputuskan", None, decided=True)

    client, page = _home(app, "pegawai")
    assert 'id="konsultasi-kriteria"' in page
    assert f'/{SLUG}/konsultasi/{unit}"' in page and f'/{SLUG}/konsultasi/{everyone}"' in page
    assert "Tambahan JP pelatihan" in page and "Set indikator Dinkes" in page
    assert page.index("Tambahan JP pelatihan") < page.index("Set indikator Dinkes")  # closes first
    for gone in ("Belum dibuka", "Sudah ditutup", "Sudah diputuskan"):
        assert gone not in page
    assert f'href="/{SLUG}/konsultasi/"' in page  # the menu offers the screen

    # The teacher of another unit is concerned only by the tenant-wide one.
    _, guru = _home(app, "guru", GURU_PASSWORD)
    assert "Tambahan JP pelatihan" in guru and "Set indikator Dinkes" not in guru

    # Once answered (through the page), it leaves the list; the other stays.
    from tests.conftest import csrf_token

    token = csrf_token(client, f"/{SLUG}/konsultasi/{unit}")
    answered = client.post(f"/{SLUG}/konsultasi/{unit}", data={"csrf_token": token, "agrees": "1", "comment": ""})
    assert answered.status_code == 302
    page = client.get(f"/{SLUG}/").get_data(as_text=True)
    assert "Set indikator Dinkes" not in page and "Tambahan JP pelatihan" in page


def test_the_work_list_takes_the_same_queries_for_one_consultation_or_many(app):
    w = build_sawahlunto(app)
    _add(app, SLUG, "Satu", w.org.unit_id)

    def count() -> tuple[int, int]:
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        with app.test_request_context(), tenant_scope(db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))):
            employee = db.session.get(Employee, w.org.pegawai_id)
            _ = employee.position.unit_id, tenant_rules().settings  # loaded before counting
            event.listen(db.engine, "before_cursor_execute", record)
            try:
                found = consultations_to_answer(employee, tenant_today())
            finally:
                event.remove(db.engine, "before_cursor_execute", record)
            db.session.remove()
        return len(found), len(statements)

    one, queries_for_one = count()
    for i in range(5):
        _add(app, SLUG, f"Lagi {i}", w.org.unit_id if i % 2 else None)
    with app.app_context(), tenant_scope(db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))):
        first = db.session.scalar(select(Consultation.id).where(Consultation.title == "Lagi 0"))
        db.session.add(Answer(consultation_id=first, employee_id=w.org.pegawai_id, agrees=True))
        db.session.commit()
        db.session.remove()
    many, queries_for_many = count()
    assert (one, many) == (1, 5)
    assert queries_for_many == queries_for_one


def test_a_tenant_whose_settings_do_not_offer_consultation_has_no_such_screens(app):
    with app.app_context():
        org = make_org(make_tenant("kota-a"))
        db.session.remove()
    with app.app_context(), tenant_scope(org.tenant):
        assert tenant_rules().settings["criteria_consultation"] is False  # the national baseline
    admin = app.test_client()
    assert login(admin, "kota-a", "admin").status_code == 302
    for url in ("/kota-a/konsultasi/", "/kota-a/admin/konsultasi/", "/kota-a/admin/konsultasi/baru"):
        assert admin.get(url).status_code == 404, url
    assert admin.get("/kota-a/konsultasi/1").status_code == 404
    assert "/kota-a/admin/konsultasi/" not in admin.get("/kota-a/admin/").get_data(as_text=True)
    pegawai = app.test_client()
    assert login(pegawai, "kota-a", "pegawai").status_code == 302
    assert 'href="/kota-a/konsultasi/"' not in pegawai.get("/kota-a/").get_data(as_text=True)
    # A visitor is still sent to sign in first.
    anonymous = app.test_client().get("/kota-a/konsultasi/")
    assert anonymous.status_code == 302 and "/kota-a/login" in anonymous.location

    # The admin switches it on: the screens and the menu links appear.
    _settings(app, "kota-a", {"criteria_consultation": True})
    assert admin.get("/kota-a/admin/konsultasi/").status_code == 200
    assert 'href="/kota-a/admin/konsultasi/"' in admin.get("/kota-a/admin/").get_data(as_text=True)
    assert pegawai.get("/kota-a/konsultasi/").status_code == 200
    assert 'href="/kota-a/konsultasi/"' in pegawai.get("/kota-a/").get_data(as_text=True)


def test_sawahlunto_offers_it_by_default_and_switching_it_off_lifts_its_plan_lock_rule(app):
    from app.periods.models import Period
    from app.skp.planning.locking import lock_blockers

    w = build_sawahlunto(app)
    _add(app, SLUG, "Set indikator Dinkes", w.org.unit_id)

    def blockers():
        with app.test_request_context(), tenant_scope(db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))):
            assert tenant_rules().rule_set.code == "sawahlunto"
            enabled = tenant_rules().settings["criteria_consultation"]
            found = lock_blockers(db.session.get(Period, w.year_id), tenant_today())
            db.session.remove()
        return enabled, found

    enabled, found = blockers()
    assert enabled is True and any("konsultasi" in b.lower() for b in found)
    _settings(app, SLUG, {"criteria_consultation": False})
    enabled, found = blockers()
    assert enabled is False and not any("konsultasi" in b.lower() for b in found)
    client, page = _home(app, "pegawai")
    assert "Set indikator Dinkes" not in page and 'id="konsultasi-kriteria"' not in page
    assert client.get(f"/{SLUG}/konsultasi/").status_code == 404
