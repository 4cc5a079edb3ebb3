"""Test fixtures. The database is SQLite by default, PostgreSQL when
DATABASE_URL says so; either way the schema comes from the real migrations."""

from __future__ import annotations

import itertools
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, pool, select, text
from sqlalchemy.exc import ProgrammingError

from app import create_app
from app.config import normalise_database_url
from app.extensions import db

# Browser fixtures defined once for the whole suite: one Playwright per run.
from tests.browser import browser, live_server, page  # noqa: E402, F401

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Rahasia-Uji-2026"


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _private_postgres_database(url: str):
    """A throw-away database per test run, so parallel runs never collide.
    Falls back to the given database (schema reset) without CREATEDB rights."""
    name = f"kinerja_test_{os.getpid()}"
    server = create_engine(url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except ProgrammingError:
        _reset_postgres(url)
        yield url
        return
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="session")
def database_url():
    url = os.environ.get("DATABASE_URL")
    if url:
        url = normalise_database_url(url)
        if url.startswith("postgresql"):
            yield from _private_postgres_database(url)
        else:
            yield url
        return
    with tempfile.TemporaryDirectory() as tmp_dir:
        yield f"sqlite:///{tmp_dir}/test.db"


@pytest.fixture(scope="session")
def owner_engine(database_url):
    """Connects as the owner of the tables (no SET ROLE): for set-up and clean-up."""
    engine = create_engine(database_url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade(revision="heads")
    return app


@pytest.fixture(autouse=True)
def _clean_database(request, owner_engine):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with owner_engine.begin() as conn:
        if owner_engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our own table names


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


# --- building tenants and organisations ----------------------------------------

@dataclass
class Org:
    """A small organisation: kepala dinas → kabid (atasan) → kasi (penilai) → staff."""

    tenant: object
    unit_id: int
    kadis_id: int
    atasan_id: int
    penilai_id: int
    pegawai_id: int
    peer_id: int
    position_ids: dict
    user_ids: dict


# Cycled: the database is emptied after every test, so reuse is safe.
NIPS = itertools.cycle(f"1980{m:02d}{d:02d}2005{m:02d}{s}{n:03d}" for m in range(1, 13) for d in range(1, 29)
            for s in (1, 2) for n in (1, 2))


def make_tenant(slug: str, name: str | None = None, rule_set: str = "nasional"):
    from app.platform.services import TenantSpec, onboard

    tenant, _ = onboard(TenantSpec(slug=slug, name=name or f"Pemerintah Kota {slug.title()}",
                                   level="kota", province="Uji", rule_set=rule_set,
                                   admin_password=PASSWORD))
    return tenant


def make_org(tenant, prefix: str = "") -> Org:
    """Units, a supervisor chain, employees and one account per role."""
    from app.auth.accounts import UserData, save_user
    from app.auth.models import User
    from app.org import services
    from app.tenancy import tenant_scope

    with tenant_scope(tenant) as ref:
        unit = services.save_unit(services.UnitData(f"{prefix}DINKES", f"{prefix}Dinas Kesehatan", "dinas"))
        db.session.flush()
        positions = {}
        chain = [("KADIS", "Kepala Dinas Kesehatan", "jpt", None),
                 ("KABID", "Kepala Bidang Pelayanan", "administrator", "KADIS"),
                 ("KASI", "Kepala Seksi Pelayanan Primer", "pengawas", "KABID"),
                 ("STAF", "Pengadministrasi Pelayanan", "pelaksana", "KASI")]
        for code, name, kind, boss in chain:
            positions[code] = services.save_position(services.PositionData(
                f"{prefix}{code}", f"{prefix}{name}", kind, unit.id,
                positions[boss].id if boss else None))
            db.session.flush()
        people = {}
        for key, pos, sex in [("kadis", "KADIS", "L"), ("atasan", "KABID", "P"), ("penilai", "KASI", "L"),
                              ("pegawai", "STAF", "P"), ("peer", "STAF", "L")]:
            nip = next(NIPS)
            while nip[14] != ("1" if sex == "L" else "2"):
                nip = next(NIPS)
            people[key] = services.save_employee(services.EmployeeData(
                nip, f"{prefix}{key.title()} {tenant.slug.title()}", sex, "PNS", positions[pos].id))
            db.session.flush()
        users = {}
        for key in ("atasan", "penilai", "pegawai"):
            users[key] = save_user(UserData(key, people[key].nip, False, PASSWORD)).id
        db.session.flush()
        users["admin"] = db.session.scalar(select(User.id).where(User.username == "admin"))
        db.session.commit()
        return Org(ref, unit.id, people["kadis"].id, people["atasan"].id, people["penilai"].id,
                   people["pegawai"].id, people["peer"].id, {k: p.id for k, p in positions.items()}, users)


def make_operator(username: str = "operator"):
    from app.auth.models import User
    from app.auth.passwords import hash_password
    from app.tenancy import all_tenants

    with all_tenants("creating a platform operator in tests"):
        user = User(username=username, is_platform_operator=True, password_hash=hash_password(PASSWORD))
        db.session.add(user)
        db.session.commit()
        return user.id


@pytest.fixture
def two_tenants(app):
    """Tenants A and B, each with the same-shaped organisation."""
    with app.app_context():
        a = make_org(make_tenant("kota-a"), prefix="")
        b = make_org(make_tenant("kota-b"), prefix="Beta ")
        make_operator()
        db.session.remove()
    return a, b


# --- signing in through the real forms -------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    if match is None and not client.application.config["WTF_CSRF_ENABLED"]:
        return ""
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def assert_guarded_preview(response) -> None:
    """An uploaded file shown inline as ``app.web.previews.guarded_preview`` serves it:
    never sniffed, sandboxed, framed only by our pages, not cached, not read cross-origin."""
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "frame-ancestors 'self'" in csp
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def login(client, slug: str | None, username: str, password: str = PASSWORD):
    url = f"/{slug}/login" if slug else "/platform/login"
    token = csrf_token(client, url)
    return client.post(url, data={"username": username, "password": password, "csrf_token": token})


def today() -> date:
    return date.today()


@dataclass
class Cycle:
    """One employee's appraisal year, built directly from the models (the
    services have their own tests): ids of every kind of object in it."""

    year_period_id: int
    quarter_period_id: int
    plan_id: int
    result_id: int
    indicator_id: int
    realisation_id: int
    evidence_id: int
    message_id: int
    session_id: int
    evaluation_id: int
    final_evaluation_id: int
    objection_id: int
    course_id: int
    record_id: int
    notification_id: int


def make_cycle(org: Org, year: int = 2026) -> Cycle:
    from app import models as m
    from app.periods.models import Period, PeriodKind
    from app.tenancy import tenant_scope

    with tenant_scope(org.tenant):
        year_period = Period(year=year, kind=PeriodKind.YEAR, sequence=1,
                             starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))
        quarters = [Period(year=year, kind=PeriodKind.QUARTER, sequence=q, parent=year_period,
                           starts_on=date(year, 3 * q - 2, 1),
                           ends_on=date(year, 3 * q, 31 if q in (1, 4) else 30)) for q in range(1, 5)]
        db.session.add_all([year_period, *quarters])
        plan = m.Plan(employee_id=org.pegawai_id, period=year_period, status=m.PlanStatus.AGREED,
                      position_name="Pengadministrasi", unit_name="Dinas")
        result = m.PlanResult(plan=plan, kind=m.ResultKind.UTAMA, description="Layanan administrasi tertib")
        indicator = m.PlanIndicator(result=result, name="Dokumen diproses", aspect="kuantitas",
                                    direction="higher", unit="dokumen", target_lower=12, target_upper=12)
        realisation = m.Realisation(indicator=indicator, period=quarters[0], value=3)
        evidence = m.Evidence(realisation=realisation, kind=m.EvidenceKind.LINK,
                              url="https://contoh.go.id/laporan-q1")
        db.session.add_all([plan, result, indicator, realisation, evidence])
        db.session.flush()
        message = m.FeedbackMessage(plan_id=plan.id, author_id=org.user_ids["penilai"], body="Bagus")
        session = m.FeedbackSession(plan_id=plan.id, period_id=quarters[0].id, held_on=date(year, 3, 20),
                                    notes="Dialog kinerja triwulan 1", recorded_by_id=org.user_ids["penilai"])
        draft = m.Evaluation(plan_id=plan.id, period_id=quarters[1].id, evaluator_id=org.penilai_id)
        final = m.Evaluation(plan_id=plan.id, period_id=quarters[0].id, evaluator_id=org.penilai_id,
                             status=m.EvaluationStatus.FINAL, predikat_code="baik", predikat_label="Baik",
                             rule_set_code="nasional", rule_set_version="test", delivered_on=date(year, 4, 5))
        db.session.add_all([message, session, draft, final])
        db.session.flush()
        objection = m.Objection(evaluation_id=final.id, lodged_by_id=org.user_ids["pegawai"],
                                deadline=date(year, 4, 19), reasons="Realisasi belum dihitung",
                                decider_id=org.atasan_id)
        course = m.TrainingCourse(code="TIK-1", name="Pelatihan TIK Dasar", hours=20, topics=["tik"])
        db.session.add_all([objection, course])
        db.session.flush()
        record = m.TrainingRecord(employee_id=org.pegawai_id, evaluation_id=final.id, course_id=course.id,
                                  recommendation_code="tik", reason="Nilai TIK rendah", year=year)
        notification = m.Notification(user_id=org.user_ids["pegawai"], kind="plan.agreed",
                                      message="SKP Anda disetujui")
        db.session.add_all([record, notification])
        db.session.commit()
        return Cycle(year_period.id, quarters[0].id, plan.id, result.id, indicator.id, realisation.id,
                     evidence.id, message.id, session.id, draft.id, final.id, objection.id, course.id,
                     record.id, notification.id)
