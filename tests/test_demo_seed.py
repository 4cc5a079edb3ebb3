"""The demo seed: realistic, valid, region-specific data and working demo accounts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from flask import g, url_for
from markupsafe import escape
from sqlalchemy import func, select, text

from app import audit
from app.audit import AuditEntry
from app.auth.models import User
from app.demo import names
from app.demo.organisations import PLANS, position_code
from app.demo.seed import DemoSeedError, seed_all
from app.extensions import db
from app.notifications.models import Notification
from app.org.hierarchy import supervisor_of, team_of
from app.org.models import ActingAssignment, ActingKind, Employee, Position, PositionKind, Unit
from app.org.nip import SEX_DIGIT, EmployeeType, validate_nip
from app.periods.models import Period, PeriodKind
from app.publik.models import Complaint, ComplaintStatus, FollowUpItem, Publication, SurveyResponse
from app.publik.periods import ReportingPeriod
from app.publik.surveys import unit_ikm
from app.regions import scoring
from app.regions.api import round_score
from app.regions.inputs import TrainingParticipation
from app.regions.manager import regions
from app.skp.evaluation import services as evaluations
from app.skp.evaluation.models import Evaluation, EvaluationStatus, PeerRating
from app.skp.feedback.models import FeedbackMessage, FeedbackSession
from app.skp.objections.models import Objection, ObjectionStatus
from app.skp.planning.models import Plan, PlanIndicator, PlanResult, PlanStatus
from app.skp.realisation.models import Evidence, EvidenceKind, EvidenceReview, Realisation
from app.skp.training.models import TrainingCourse, TrainingRecord, TrainingStatus
from app.tenancy import TenantRef, all_tenants, tenant_scope, tenant_today
from app.tenancy.models import Tenant
from tests.conftest import PASSWORD, login, make_tenant

# Two tenants on different rule sets; the slugs are not region names, so the
# organisation follows the rule set.
TENANTS = {"kota-a": "walesi", "kota-b": "ambon"}
ACCOUNTS = ("admin", "penilai", "atasan", "pegawai")


@pytest.fixture
def demo_mode(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_MODE", True)
    return app.config["DEMO_PASSWORD"]


def _onboard(specs: dict[str, str]) -> dict[str, TenantRef]:
    return {slug: TenantRef((t := make_tenant(slug, rule_set=rule_set)).id, t.slug)
            for slug, rule_set in specs.items()}


@pytest.fixture
def seeded(app, demo_mode):
    """Two onboarded tenants, their organisations seeded once (the year in
    progress is tested below); yields their refs and the progress lines."""
    with app.app_context():
        refs = _onboard(TENANTS)
        lines = list(seed_all(with_cycle=False))
        db.session.remove()
    return refs, lines


def _counts(ref: TenantRef) -> dict[str, int]:
    with tenant_scope(ref):
        return {model.__name__: db.session.scalar(select(func.count(model.id)))
                for model in (Unit, Position, Employee, ActingAssignment, User, Period)}


def _employees(ref: TenantRef) -> list[Employee]:
    return list(db.session.scalars(select(Employee).order_by(Employee.id)))


def _account_employee(username: str) -> Employee:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None, username
    return user.employee


def test_progress_lines_name_each_tenant_and_the_operator(seeded):
    _refs, lines = seeded
    assert lines[0].startswith("kota-a: ") and "employees" in lines[0] and "4 demo accounts" in lines[0]
    assert lines[1].startswith("kota-b: ")
    assert lines[-1] == "platform: account operator created"


def test_each_tenant_gets_dozens_of_employees_with_valid_distinct_nips(app, seeded):
    refs, _lines = seeded
    with app.app_context():
        for ref in refs.values():
            with tenant_scope(ref):
                people = _employees(ref)
                assert 40 <= len(people) <= 70
                assert len({e.nip for e in people}) == len(people)
                assert len({e.name for e in people}) == len(people)
                for e in people:
                    info = validate_nip(e.nip, e.employee_type)
                    assert info.sex is e.sex, e.nip
                    assert SEX_DIGIT[e.nip[14]] is e.sex
                    assert e.tenant_id == ref.id and e.active
                pppk = [e for e in people if e.employee_type is EmployeeType.PPPK]
                assert 3 <= len(pppk) < len(people) // 2
                # PPPK NIPs carry an appointment year, not a TMT month.
                assert all(2019 <= int(e.nip[8:12]) <= tenant_today().year for e in pppk)


def test_employees_have_ranks_positions_jenjang_and_units_letterheads(app, seeded):
    """What the documents print: pangkat/golongan with TMT and history, jenjang, the OPD's letterhead, the place."""
    from app.org.letterhead import unit_letterhead
    from app.org.models import EmployeeRank
    from app.org.ranks import PNS_RANKS, rank_order, valid_grade, valid_rank

    refs, _lines = seeded
    with app.app_context():
        for ref in refs.values():
            with tenant_scope(ref):
                today = tenant_today()
                people = _employees(ref)
                for e in people:
                    assert valid_rank(e.employee_type, e.rank_code), (e.nip, e.rank_code)
                    assert e.rank_tmt is not None and e.rank_tmt <= today
                    if e.employee_type is EmployeeType.PPPK:
                        assert 4 <= rank_order(e.rank_code) <= 8  # golongan V-IX
                    elif e.position.kind is PositionKind.JPT:
                        assert e.rank_code == "IV/c"
                    elif e.position.kind in (PositionKind.PELAKSANA,):
                        assert list(PNS_RANKS).index("II/c") <= rank_order(e.rank_code) <= list(PNS_RANKS).index("III/b")
                history = db.session.scalars(select(EmployeeRank)).all()
                assert len(history) > len(people)  # most PNS also hold their previous rank
                positions = db.session.scalars(select(Position)).all()
                assert all(valid_grade(p.kind, p.grade) for p in positions)
                assert all(p.grade for p in positions if p.kind in (PositionKind.FUNGSIONAL, PositionKind.JPT))
                tenant_name = db.session.get(Tenant, ref.id).name.removeprefix("Pemerintah ").upper()
                for unit in db.session.scalars(select(Unit)):
                    assert unit_letterhead(unit).endswith(tenant_name), unit_letterhead(unit)
                assert db.session.get(Tenant, ref.id).document_place


def test_each_tenant_gets_its_own_region_organisation_and_names(app, seeded):
    refs, _lines = seeded
    with app.app_context():
        with tenant_scope(refs["kota-a"]):
            units_a = set(db.session.scalars(select(Unit.name)))
            names_a = [e.name for e in _employees(refs["kota-a"])]
        with tenant_scope(refs["kota-b"]):
            units_b = set(db.session.scalars(select(Unit.name)))
            names_b = [e.name for e in _employees(refs["kota-b"])]
    # Walesi: programme-heavy (social affairs, vaccination, planning), a distrik.
    assert {"Dinas Sosial", "Distrik Walesi", "Puskesmas Walesi",
            "Badan Perencanaan Pembangunan Daerah"} <= units_a
    # Ambon: its own kecamatan and services.
    assert {"Kecamatan Sirimau", "Puskesmas Rijali",
            "Dinas Komunikasi, Informatika dan Persandian"} <= units_b
    assert {"Sekretariat Daerah", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"} <= units_a & units_b
    assert "Dinas Sosial" not in units_b and "Kecamatan Sirimau" not in units_a
    # Names fit the region: Hubula clan names in Walesi, Ambonese fam in Ambon.
    hubula = set(names.HUBULA_CHRISTIAN.family) | set(names.HUBULA_MUSLIM.family)
    ambonese = set(names.AMBONESE_CHRISTIAN.family) | set(names.AMBONESE_MUSLIM.family)

    def share(people: list[str], families: set[str]) -> float:
        return sum(any(f in n.replace(",", " ").split() for f in families) for n in people) / len(people)

    assert share(names_a, hubula) > 0.9 and share(names_a, ambonese) == 0
    assert share(names_b, ambonese) > 0.9 and share(names_b, hubula) == 0
    assert not set(names_a) & set(names_b)


def test_positions_form_a_supervisor_chain_with_single_holders(app, seeded):
    refs, _lines = seeded
    with app.app_context(), tenant_scope(refs["kota-a"]):
        positions = list(db.session.scalars(select(Position)))
        kinds = {p.kind for p in positions}
        assert kinds == set(PositionKind)
        tops = [p for p in positions if p.reports_to_id is None]
        assert [p.name for p in tops] == ["Sekretaris Daerah"]
        holders = dict(db.session.execute(
            select(Employee.position_id, func.count()).group_by(Employee.position_id)).all())
        for p in positions:
            if p.kind.single_holder:
                assert holders.get(p.id, 0) <= 1, p.code
        assert any(holders.get(p.id, 0) > 1 for p in positions if not p.kind.single_holder)
        # Everyone but the Sekretaris Daerah has a pejabat penilai today.
        no_boss = [e.name for e in _employees(refs["kota-a"]) if supervisor_of(e) is None]
        assert len(no_boss) == 1
        sekda = db.session.scalar(select(Employee).join(Position).where(Position.id == tops[0].id))
        assert no_boss == [sekda.name]


def test_a_vacant_section_head_post_has_a_plt_who_rates_its_staff(app, seeded):
    refs, _lines = seeded
    with app.app_context():
        for ref in refs.values():
            with tenant_scope(ref):
                acting = list(db.session.scalars(select(ActingAssignment)))
                assert 1 <= len(acting) <= 2
                for plt in acting:
                    assert plt.kind is ActingKind.PLT and plt.ends_on is None
                    assert plt.starts_on <= tenant_today() and plt.decree
                    assert plt.position.kind is PositionKind.PENGAWAS
                    vacant = db.session.scalar(select(func.count(Employee.id)).where(
                        Employee.position_id == plt.position_id))
                    assert vacant == 0
                    staff = list(db.session.scalars(select(Employee).join(Position).where(
                        Position.reports_to_id == plt.position_id)))
                    assert staff and all(supervisor_of(e) == plt.employee for e in staff)


def test_demo_accounts_have_the_roles_the_readme_promises(app, seeded):
    refs, _lines = seeded
    with app.app_context():
        for ref in refs.values():
            with tenant_scope(ref):
                penilai = _account_employee("penilai")
                atasan = _account_employee("atasan")
                pegawai = _account_employee("pegawai")
                admin = db.session.scalar(select(User).where(User.username == "admin"))
                assert admin.is_admin and admin.employee is None
                assert penilai.position.kind is PositionKind.PENGAWAS
                assert penilai.position.name.startswith("Kepala S")
                assert atasan.position.kind is PositionKind.ADMINISTRATOR
                assert atasan.position.name.startswith("Kepala Bidang")
                team = team_of(penilai)
                assert len(team) >= 3
                assert pegawai in team
                assert supervisor_of(pegawai) == penilai
                assert supervisor_of(penilai) == atasan
                assert not any(u.is_admin for u in db.session.scalars(
                    select(User).where(User.username != "admin")))


def test_every_demo_account_signs_in_with_the_demo_password(app, seeded):
    refs, _lines = seeded
    password = app.config["DEMO_PASSWORD"]
    for slug in TENANTS:
        for username in ACCOUNTS:
            client = app.test_client()
            response = login(client, slug, username, password)
            assert response.status_code == 302, f"{slug}/{username} could not sign in"
            if username == "admin":
                continue
            page = client.get(f"/{slug}/").get_data(as_text=True)
            with app.app_context(), tenant_scope(refs[slug]):
                assert escape(_account_employee(username).name) in page


def test_the_onboarding_admin_password_is_replaced_by_the_demo_password(app, seeded):
    assert login(app.test_client(), "kota-a", "admin", PASSWORD).status_code == 200


def test_the_platform_operator_signs_in(app, seeded):
    client = app.test_client()
    response = login(client, None, "operator", app.config["DEMO_PASSWORD"])
    assert response.status_code == 302
    assert response.location.endswith("/platform/")
    with app.app_context(), all_tenants("test"):
        operator = db.session.scalar(select(User).where(User.username == "operator"))
        assert operator.tenant_id is None and operator.is_platform_operator


def test_current_year_is_opened_with_the_rule_sets_period_scheme(app, seeded):
    refs, _lines = seeded
    year = tenant_today().year
    with app.app_context():
        with tenant_scope(refs["kota-a"]):  # walesi: per semester
            kinds = [p.kind for p in db.session.scalars(select(Period).where(Period.year == year))]
            assert sorted(kinds) == sorted([PeriodKind.YEAR] + [PeriodKind.SEMESTER] * 2)
        with tenant_scope(refs["kota-b"]):  # ambon: per quarter
            kinds = [p.kind for p in db.session.scalars(select(Period).where(Period.year == year))]
            assert sorted(kinds) == sorted([PeriodKind.YEAR] + [PeriodKind.QUARTER] * 4)


def test_running_the_seed_again_changes_nothing(app, seeded):
    refs, _lines = seeded
    with app.app_context():
        before = {slug: _counts(ref) for slug, ref in refs.items()}
        with all_tenants("test"):
            hashes = dict(db.session.execute(select(User.id, User.password_hash)).all())
        lines = list(seed_all(with_cycle=False))
        after = {slug: _counts(ref) for slug, ref in refs.items()}
        with all_tenants("test"):
            assert dict(db.session.execute(select(User.id, User.password_hash)).all()) == hashes
    assert after == before
    assert all(c["Employee"] >= 40 for c in before.values())
    assert lines[0].startswith("kota-a: already seeded") and "skipped" in lines[1]
    assert lines[-1] == "platform: account operator exists, unchanged"


def test_a_tenant_onboarded_later_is_seeded_without_touching_the_others(app, seeded, demo_mode):
    refs, _lines = seeded
    with app.app_context():
        before = _counts(refs["kota-a"])
        new = _onboard({"kota-c": "walesi"})["kota-c"]
        lines = list(seed_all(with_cycle=False))
        assert "skipped" in lines[0] and "skipped" in lines[1]
        assert lines[2].startswith("kota-c: ") and "skipped" not in lines[2]
        assert _counts(refs["kota-a"]) == before
        assert _counts(new)["Employee"] == before["Employee"]
        # Same region, different tenant: different people.
        with tenant_scope(new):
            nips_c = {e.nip for e in _employees(new)}
        with tenant_scope(refs["kota-a"]):
            nips_a = {e.nip for e in _employees(refs["kota-a"])}
        assert nips_c != nips_a


def _wipe(owner_engine) -> None:
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with owner_engine.begin() as conn:
        if owner_engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our own table names


def test_the_same_tenant_gets_the_same_data_on_every_fresh_seed(app, demo_mode, owner_engine):
    """People, and on the same day the same year in progress."""
    def snapshot() -> tuple[list, list, list]:
        ref = _onboard({"kota-a": "ambon"})["kota-a"]
        list(seed_all(today=tenant_today()))
        with tenant_scope(ref):
            people = [(e.nip, e.name, e.sex.value, e.position.code) for e in _employees(ref)]
            plans = db.session.execute(
                select(Employee.nip, Plan.status, PlanIndicator.indicator_code, PlanIndicator.target_upper)
                .join(Plan, Plan.employee_id == Employee.id).outerjoin(PlanResult, PlanResult.plan_id == Plan.id)
                .outerjoin(PlanIndicator, PlanIndicator.result_id == PlanResult.id)
                .order_by(Employee.nip, PlanIndicator.indicator_code)).all()
            scores = db.session.execute(
                select(Employee.nip, Period.sequence, Evaluation.status, Evaluation.predikat_code, Evaluation.score)
                .join(Plan, Evaluation.plan_id == Plan.id).join(Employee, Plan.employee_id == Employee.id)
                .join(Period, Evaluation.period_id == Period.id).order_by(Employee.nip, Period.sequence)).all()
            return people, [tuple(r) for r in plans], [tuple(r) for r in scores]

    with app.app_context():
        first = snapshot()
        _wipe(owner_engine)
        second = snapshot()
    assert first == second and len(first[0]) >= 40 and len(first[1]) > 40 and first[2]


def test_the_seed_refuses_to_run_outside_demo_mode(app, app_context, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_MODE", False)
    ref = _onboard({"kota-a": "walesi"})["kota-a"]
    with pytest.raises(DemoSeedError):
        seed_all()
    with tenant_scope(ref):
        assert _counts(ref)["Employee"] == 0
    with all_tenants("test"):
        assert db.session.scalar(select(User).where(User.username == "operator")) is None


def test_the_cli_command_seeds_in_demo_mode_only(app, app_context, monkeypatch):
    _onboard({"kota-a": "walesi"})
    runner = app.test_cli_runner()
    monkeypatch.setitem(app.config, "DEMO_MODE", False)
    refused = runner.invoke(args=["demo", "seed"])
    assert refused.exit_code != 0 and "demo mode" in refused.output
    monkeypatch.setitem(app.config, "DEMO_MODE", True)
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("kota-a: ")


# --- every region's plan, including the ones not seeded above -------------------------

@pytest.mark.parametrize("region", sorted(PLANS))
def test_every_region_plan_is_well_formed(region):
    plan = PLANS[region]()
    codes: list[str] = []
    employees = 0
    penilai = []
    unit_codes = [u.code for u in plan.units]
    assert len(set(unit_codes)) == len(unit_codes)
    for index, unit in enumerate(plan.units):
        assert len(unit.code) <= 30 and len(unit.name) <= 200
        if unit.parent:
            assert unit.parent in unit_codes[:index], unit.code
        if unit.reports_to:
            assert unit.reports_to in codes, unit.code  # defined by an earlier unit
        for post, boss in unit.head.walk():
            codes.append(position_code(unit, post))
            employees += post.holders
            assert 0 <= post.pppk <= post.holders
            assert post.titles in names.TITLES
            if post.kind.single_holder:
                assert post.holders == (0 if post.vacant else 1)
            else:
                assert not post.vacant and post.holders >= 1
            if post.vacant:
                assert boss is not None
            if post.role == "penilai":
                penilai.append((post, boss))
    assert len(set(codes)) == len(codes)
    assert all(len(c) <= 30 for c in codes)
    assert 40 <= employees <= 70, employees
    assert plan.names in names.STYLES
    [(kasi, kabid)] = penilai
    assert kasi.kind is PositionKind.PENGAWAS and not kasi.vacant
    assert kabid.kind is PositionKind.ADMINISTRATOR and not kabid.vacant
    assert sum(p.holders for p in kasi.reports if not p.kind.single_holder) >= 3


# --- early in the year: last year is worked through, this year holds the plans -----------

def test_early_in_the_year_last_year_is_worked_through_and_this_year_planned(app, demo_mode):
    this_year = tenant_today().year
    early = date(this_year, 1, 2)  # no sub-period of this year has ended
    with app.app_context():
        ref = _onboard({"walesi": "walesi"})["walesi"]
        lines = list(seed_all(today=early))
        assert f"year {this_year - 1} worked through" in lines[0]
        with tenant_scope(ref):
            pegawai = _account_employee("pegawai")
            plans = {p.period.year: p for p in db.session.scalars(select(Plan).where(Plan.employee_id == pegawai.id))}
            assert plans[this_year - 1].status is PlanStatus.AGREED
            assert plans[this_year].status is PlanStatus.AGREED
            assert plans[this_year].copied_from_id == plans[this_year - 1].id  # "start from last year's plan"
            last_year_subs = plans[this_year - 1].period.children
            realised = {r.period_id for r in db.session.scalars(
                select(Realisation).join(PlanIndicator).join(PlanResult)
                .where(PlanResult.plan_id == plans[this_year - 1].id))}
            assert realised == {p.id for p in last_year_subs}
            assert not db.session.scalar(select(func.count(Realisation.id)).join(Period).where(
                Period.year == this_year))
            finals = db.session.scalars(select(Evaluation).where(Evaluation.status == EvaluationStatus.FINAL)).all()
            assert finals and {e.period.year for e in finals} == {this_year - 1}
            [objection] = db.session.scalars(select(Objection)).all()
            assert objection.status is ObjectionStatus.OPEN and objection.lodged_at.date() <= objection.deadline
            assert objection.deadline >= early
            states = set(db.session.scalars(select(Plan.status).join(Period).where(Period.year == this_year)))
            assert states == set(PlanStatus)


# --- the year in progress: all five regions as `make demo` seeds them -------------------
# These tests share one seeded database (seeding five regions takes a while):
# the module's own clean-up below leaves it alone until the last of them has
# run. Keep them together, at the end of the file.

REGIONS = {"sawahlunto": "sawahlunto", "ambon": "ambon", "salor": "salor",
           "palangkaraya": "palangkaraya", "walesi": "walesi", "kota-x": "nasional"}


@pytest.fixture(autouse=True)
def _clean_database(request, owner_engine):
    """conftest's clean-up, except after tests that share the seeded year."""
    yield
    if "year" in request.fixturenames or "app" not in request.fixturenames:
        return
    with request.getfixturevalue("app").app_context():
        _wipe(owner_engine)


@pytest.fixture(scope="module")
def year(app, owner_engine):
    """All five regions (and a national one) seeded once; yields refs and the progress lines."""
    demo_mode, app.config["DEMO_MODE"] = app.config.get("DEMO_MODE"), True
    with app.app_context():
        _wipe(owner_engine)
        refs = _onboard(REGIONS)
        lines = list(seed_all())
        db.session.remove()
    yield refs, lines
    app.config["DEMO_MODE"] = demo_mode
    with app.app_context():
        _wipe(owner_engine)


def _history() -> tuple[Period, list[Period]]:
    """The year that was worked through and its sub-periods that have ended (as the seed decides)."""
    today = tenant_today()
    current = db.session.scalar(select(Period).where(Period.year == today.year, Period.kind == PeriodKind.YEAR))
    subs = sorted(current.children, key=lambda p: p.starts_on) or [current]
    passed = [p for p in subs if p.ends_on < today]
    if passed:
        return current, passed
    last = db.session.scalar(select(Period).where(Period.year == today.year - 1, Period.kind == PeriodKind.YEAR))
    return last, sorted(last.children, key=lambda p: p.starts_on) or [last]


def _plan_of(employee: Employee, period: Period) -> Plan:
    return db.session.scalar(select(Plan).where(Plan.employee_id == employee.id, Plan.period_id == period.id))


def test_all_five_regions_seed_as_make_demo_does(app, year):
    refs, lines = year
    assert len(lines) == len(REGIONS) + 1
    assert all("worked through" in line and "1 open objection" in line for line in lines[:-1]), lines
    with app.app_context():
        for slug, ref in refs.items():
            counts = _counts(ref)
            assert 40 <= counts["Employee"] <= 70, slug
            assert counts["ActingAssignment"] >= 1
            with tenant_scope(ref):
                # Every employee acts in the cycle under their own account; only the demo four sign in.
                assert counts["User"] == counts["Employee"] + 1
                with_password = set(db.session.scalars(select(User.username).where(User.password_hash.is_not(None))))
                assert with_password == set(ACCOUNTS)
                penilai = _account_employee("penilai")
                assert _account_employee("pegawai") in team_of(penilai)
                assert supervisor_of(penilai) == _account_employee("atasan")
        with tenant_scope(refs["sawahlunto"]):
            unit_names = set(db.session.scalars(select(Unit.name)))
            assert {"Puskesmas Talawi", "Puskesmas Silungkang"} <= unit_names
        with tenant_scope(refs["salor"]):
            unit_names = set(db.session.scalars(select(Unit.name)))
            assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in unit_names
            penilai = _account_employee("penilai")
            assert penilai.position.unit.name == "Dinas Kependudukan dan Pencatatan Sipil"


def test_every_region_has_plans_in_every_state(app, year):
    refs, _lines = year
    with app.app_context():
        for slug, ref in refs.items():
            with tenant_scope(ref):
                plans = db.session.scalars(select(Plan).join(Period).where(Period.year == tenant_today().year)).all()
                assert {p.status for p in plans} == set(PlanStatus), slug
                assert all(p.return_notes for p in plans if p.status is PlanStatus.RETURNED)
                assert all(p.agreed_by_id for p in plans if p.status is PlanStatus.AGREED)
                # Across the organisation, not only in the demo team.
                assert len({p.unit_name for p in plans if p.status is PlanStatus.AGREED}) >= 3, slug


def test_the_demo_pegawai_plan_is_agreed_with_library_indicators_and_realisations(app, year):
    refs, _lines = year
    with app.app_context():
        for slug, ref in refs.items():
            rule_set = regions().get(REGIONS[slug])
            with tenant_scope(ref):
                history, passed = _history()
                plan = _plan_of(_account_employee("pegawai"), history)
                assert plan.status is PlanStatus.AGREED, slug
                indicators = [i for r in plan.results for i in r.indicators]
                assert len(indicators) >= 3
                assert all(rule_set.indicator(i.indicator_code) is not None for i in indicators), slug
                assert any(i.direction == "lower" or i.target_lower < i.target_upper for i in indicators), slug
                assert any(r.supports_id for r in plan.results)  # cascaded from the penilai's RHK
                assert any(b.expectation for b in plan.behaviours)
                realised = {(r.indicator_id, r.period_id) for r in db.session.scalars(
                    select(Realisation).where(Realisation.indicator_id.in_([i.id for i in indicators])))}
                assert realised == {(i.id, p.id) for i in indicators for p in passed}, slug
                links = db.session.scalars(select(Evidence).join(Realisation).where(
                    Realisation.indicator_id.in_([i.id for i in indicators]))).all()
                assert links and all(e.kind is EvidenceKind.LINK and e.url.startswith("https://") for e in links)
                assert {e.review for e in links} >= {EvidenceReview.ACCEPTED}
        with tenant_scope(refs["salor"]):
            history, _passed = _history()
            codes = {i.indicator_code for r in _plan_of(_account_employee("pegawai"), history).results
                     for i in r.indicators}
            assert "SLR-DOK-01" in codes  # document processing time, lower is better


def test_final_evaluations_match_a_recomputation_from_their_snapshot(app, year):
    refs, _lines = year
    with app.test_request_context():
        for slug, ref in refs.items():
            with tenant_scope(ref):
                finals = db.session.scalars(select(Evaluation).where(
                    Evaluation.status == EvaluationStatus.FINAL)).all()
                assert finals, slug
                for evaluation in finals:
                    assert evaluation.snapshot["code"] == REGIONS[slug]
                    # The input as it was when finalised: training completed since
                    # then counts from now on, not for a frozen result.
                    current = evaluations.build_input(evaluation).input
                    then = replace(current, training=TrainingParticipation(
                        evaluation.result["inputs"]["training_hours"], current.training.sessions))
                    again = scoring.period_result(evaluation.snapshot, then)
                    # Stored scores are exact decimals, rounded half-up once (issue #9 item 5).
                    again_score = round_score(again.score) if again.score is not None else None
                    assert (again.predikat_code, again_score) == (evaluation.predikat_code, evaluation.score), slug
                    assert evaluation.delivered_on <= tenant_today()
                if slug == "ambon":  # 360°: peers rated every final evaluation
                    assert all(db.session.scalar(select(func.count(PeerRating.id)).where(
                        PeerRating.evaluation_id == e.id, PeerRating.rater_role == "rekan")) for e in finals)
                if slug in ("walesi", "kota-x"):  # the matrix: the penilai's ratings
                    assert all(e.inputs.get("hasil_kerja_rating") and e.inputs.get("perilaku_rating") for e in finals)
                if slug == "palangkaraya":  # a face-to-face session in every finalised period
                    for e in finals:
                        assert db.session.scalar(select(func.count(FeedbackSession.id)).where(
                            FeedbackSession.plan_id == e.plan_id, FeedbackSession.period_id == e.period_id,
                            FeedbackSession.face_to_face))


def test_one_open_objection_within_its_window_waits_for_the_atasan(app, year):
    refs, _lines = year
    with app.app_context():
        for slug, ref in refs.items():
            with tenant_scope(ref):
                [objection] = db.session.scalars(select(Objection)).all()
                evaluation = objection.evaluation
                window = regions().get(REGIONS[slug]).objection_window_days
                assert objection.status is ObjectionStatus.OPEN, slug
                assert objection.deadline == evaluation.delivered_on + timedelta(days=window)
                assert evaluation.delivered_on <= objection.lodged_at.date() <= objection.deadline
                assert objection.decider_id == _account_employee("atasan").id
                lodger = db.session.get(User, objection.lodged_by_id)
                assert lodger.employee_id == evaluation.plan.employee_id
                assert lodger.employee in team_of(_account_employee("penilai"))
                # The penilai also has a draft to finish and feedback in the thread.
                assert db.session.scalar(select(func.count(Evaluation.id)).where(
                    Evaluation.status == EvaluationStatus.DRAFT)) or slug == "kota-x"
                assert db.session.scalar(select(func.count(FeedbackMessage.id))) >= 4


def test_training_notifications_and_the_citizens_side(app, year):
    refs, _lines = year
    with app.app_context():
        for slug, ref in refs.items():
            rule_set = regions().get(REGIONS[slug])
            with tenant_scope(ref):
                courses = db.session.scalars(select(TrainingCourse)).all()
                assert {rule.code for rule in rule_set.training} <= {t for c in courses for t in c.topics}
                records = db.session.scalars(select(TrainingRecord)).all()
                assert records and all(r.evaluation_id for r in records), slug
                assert all(r.recommendation_code in r.course.topics for r in records if r.course)
                assert {TrainingStatus.ENROLLED, TrainingStatus.COMPLETED} <= {r.status for r in records}
                pegawai_user = db.session.scalar(select(User).where(User.username == "pegawai"))
                inbox = db.session.scalars(select(Notification).where(Notification.user_id == pegawai_user.id)).all()
                assert any(n.read_at is None for n in inbox) and any(n.read_at for n in inbox)
                assert all(n.link is None or n.link.startswith(f"/{slug}/") for n in inbox)
                unit = _account_employee("pegawai").position.unit
                assert unit_ikm(unit.id, ReportingPeriod.calendar_year(tenant_today().year)) is not None or \
                    tenant_today().month < 4
                assert db.session.scalar(select(func.count(SurveyResponse.id))) >= 50
                statuses = set(db.session.scalars(select(Complaint.status)))
                assert statuses == set(ComplaintStatus), slug
                assert db.session.scalar(select(func.count(Publication.id))) >= 1
                follow_ups = db.session.scalars(select(FollowUpItem)).all()
                if slug == "salor":
                    # A substantiated complaint about a team member: the rule set's
                    # follow-ups for the penilai, and ethics training from the evaluation.
                    assert {f.kind for f in follow_ups} == {"evaluasi_ulang", "pelatihan"}
                    assert {f.supervisor_id for f in follow_ups} == {_account_employee("penilai").id}
                    assert "etika-pelayanan" in {r.recommendation_code for r in records}
                else:
                    assert follow_ups == []


def test_the_audit_trail_of_every_region_verifies(app, year):
    refs, _lines = year
    with app.app_context(), all_tenants("test"):
        for slug in refs:
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
            assert audit.verify(tenant).ok, slug


def test_each_demo_account_sees_its_work_on_the_home_page(app, year):
    refs, _lines = year
    password = app.config["DEMO_PASSWORD"]
    for slug, ref in refs.items():
        with app.test_request_context(), tenant_scope(ref):
            g.tenant = db.session.get(Tenant, ref.id)
            penilai = _account_employee("penilai")
            history, _passed = _history()
            submitted = db.session.scalars(select(Plan).where(
                Plan.status == PlanStatus.SUBMITTED, Plan.employee_id.in_([e.id for e in team_of(penilai)]))
            ).all()
            this_year = db.session.scalar(select(Period).where(Period.year == tenant_today().year,
                                                               Period.kind == PeriodKind.YEAR))
            pegawai_plan = _plan_of(_account_employee("pegawai"), this_year)
            objection = db.session.scalar(select(Objection))
            expected = {
                # This sub-period's realisations still to record.
                "pegawai": [pegawai_plan.results[0].indicators[0].name],
                "penilai": [url_for("skp.plan_view", plan_id=p.id) for p in submitted],
                "atasan": [objection.evaluation.plan.employee.name],
                "admin": [_account_employee("pegawai").position.unit.name],
            }
            assert submitted or history.year != tenant_today().year, slug
        for username, needles in expected.items():
            client = app.test_client()
            assert login(client, slug, username, password).status_code == 302
            page = client.get(f"/{slug}/")
            assert page.status_code == 200, (slug, username)
            html = page.get_data(as_text=True)
            for needle in needles:
                assert str(escape(needle)) in html, (slug, username, needle)


def test_running_the_seed_again_keeps_the_year(app, year):
    refs, _lines = year
    models = (Plan, PlanIndicator, Realisation, Evidence, Evaluation, Objection, TrainingRecord,
              Notification, SurveyResponse, Complaint, AuditEntry, User)

    def counts() -> dict:
        out = {}
        for slug, ref in refs.items():
            with tenant_scope(ref):
                out[slug] = {m.__name__: db.session.scalar(select(func.count(m.id))) for m in models}
        return out

    with app.app_context():
        demo_mode, app.config["DEMO_MODE"] = app.config.get("DEMO_MODE"), True
        try:
            before = counts()
            lines = list(seed_all())
            after = counts()
        finally:
            app.config["DEMO_MODE"] = demo_mode
    assert after == before
    assert all("already seeded" in line and "skipped" in line for line in lines[:-1]), lines
