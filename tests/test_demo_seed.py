"""The demo seed: realistic, valid, region-specific data and working demo accounts."""

from __future__ import annotations

from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import func, select, text

from app.auth.models import User
from app.demo import names
from app.demo.organisations import PLANS, position_code
from app.demo.seed import DemoSeedError, seed_all
from app.extensions import db
from app.org.hierarchy import direct_reports, supervisor_of
from app.org.models import ActingAssignment, ActingKind, Employee, Position, PositionKind, Unit
from app.org.nip import SEX_DIGIT, EmployeeType, validate_nip
from app.periods.models import Period, PeriodKind
from app.tenancy import TenantRef, all_tenants, tenant_scope
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
    """Two onboarded tenants, seeded once; yields their refs and the progress lines."""
    with app.app_context():
        refs = _onboard(TENANTS)
        lines = list(seed_all())
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
    assert lines[0].startswith("kota-a: ") and "employees" in lines[0] and "4 accounts" in lines[0]
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
                assert all(2019 <= int(e.nip[8:12]) <= date.today().year for e in pppk)


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
                    assert plt.starts_on <= date.today() and plt.decree
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
                team = direct_reports(penilai)
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
    year = date.today().year
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
        lines = list(seed_all())
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
        lines = list(seed_all())
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
    def snapshot() -> list[tuple[str, str, str, str]]:
        ref = _onboard({"kota-a": "ambon"})["kota-a"]
        list(seed_all())
        with tenant_scope(ref):
            return [(e.nip, e.name, e.sex.value, e.position.code) for e in _employees(ref)]

    with app.app_context():
        first = snapshot()
        _wipe(owner_engine)
        second = snapshot()
    assert first == second and len(first) >= 40


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


def test_all_five_regions_seed_as_make_demo_does(app, demo_mode):
    regions = {"sawahlunto": "sawahlunto", "ambon": "ambon", "salor": "salor",
               "palangkaraya": "palangkaraya", "walesi": "walesi", "kota-x": "nasional"}
    with app.app_context():
        refs = _onboard(regions)
        lines = list(seed_all())
        assert len(lines) == len(regions) + 1
        for slug, ref in refs.items():
            counts = _counts(ref)
            assert 40 <= counts["Employee"] <= 70, slug
            assert counts["User"] == 4 and counts["ActingAssignment"] >= 1
            with tenant_scope(ref):
                penilai = _account_employee("penilai")
                assert _account_employee("pegawai") in direct_reports(penilai)
                assert supervisor_of(penilai) == _account_employee("atasan")
        with tenant_scope(refs["sawahlunto"]):
            unit_names = set(db.session.scalars(select(Unit.name)))
            assert {"Puskesmas Talawi", "Puskesmas Silungkang"} <= unit_names
        with tenant_scope(refs["salor"]):
            unit_names = set(db.session.scalars(select(Unit.name)))
            assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in unit_names
            penilai = _account_employee("penilai")
            assert penilai.position.unit.name == "Dinas Kependudukan dan Pencatatan Sipil"
