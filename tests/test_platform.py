"""Platform operators onboard regions, from the web and from tenants/*.toml."""

from pathlib import Path

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.tenancy import all_tenants, tenant_scope
from app.tenancy.models import Tenant
from tests.conftest import ROOT, csrf_token, login, make_operator

SEED_REGIONS = ["sawahlunto", "ambon", "salor", "palangkaraya", "walesi"]


def _tenant(slug):
    with all_tenants("test lookup"):
        return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def test_cli_onboards_the_five_seed_regions_idempotently(app):
    runner = app.test_cli_runner()
    files = [str(ROOT / "tenants" / f"{slug}.toml") for slug in SEED_REGIONS]
    first = runner.invoke(args=["tenants", "onboard", *files])
    assert first.exit_code == 0, first.output
    assert first.output.count("created") == 5
    second = runner.invoke(args=["tenants", "onboard", *files])
    assert second.exit_code == 0 and second.output.count("updated") == 5
    with app.app_context():
        with all_tenants("test"):
            assert db.session.scalar(select(func.count()).select_from(Tenant)) == 5
            admins = db.session.scalars(select(User).where(User.username == "admin")).all()
        assert len(admins) == 5
        # Outside demo mode nobody gets a default password.
        assert all(u.password_hash is None for u in admins)
        assert _tenant("walesi").rule_set_code == "walesi"
    listing = runner.invoke(args=["tenants", "list"])
    assert all(slug in listing.output for slug in SEED_REGIONS)


def test_cli_re_onboarding_updates_fields(app, tmp_path: Path):
    spec = (ROOT / "tenants" / "ambon.toml").read_text()
    path = tmp_path / "ambon.toml"
    path.write_text(spec)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tenants", "onboard", str(path)]).exit_code == 0
    path.write_text(spec.replace('name = "Pemerintah Kota Ambon"', 'name = "Kota Ambon Manise"'))
    assert runner.invoke(args=["tenants", "onboard", str(path)]).exit_code == 0
    with app.app_context():
        assert _tenant("ambon").name == "Kota Ambon Manise"


def test_cli_refuses_a_bad_file_with_the_reason(app, tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[tenant]\nslug = "Bad Slug"\nname = "X"\nlevel = "kota"\nprovince = "Y"\nrule_set = "nasional"\n')
    missing = tmp_path / "missing.toml"
    missing.write_text('[tenant]\nslug = "ok-slug"\nname = "X"\nlevel = "kota"\nprovince = "Y"\nrule_set = "tidak-ada"\n')
    result = app.test_cli_runner().invoke(args=["tenants", "onboard", str(bad), str(missing)])
    assert result.exit_code == 1
    assert "slug" in result.output and "rule_set" in result.output


def _operator_client(app):
    with app.app_context():
        make_operator()
    client = app.test_client()
    assert login(client, None, "operator").status_code == 302
    return client


def test_operator_onboards_a_region_from_the_web(app):
    client = _operator_client(app)
    token = csrf_token(client, "/platform/tenant/baru")
    response = client.post("/platform/tenant/baru", data={
        "csrf_token": token, "slug": "kota-baru", "name": "Pemerintah Kota Baru", "level": "kota",
        "province": "Kalimantan Selatan", "rule_set": "palangkaraya", "locale": "id",
        "timezone": "Asia/Makassar", "admin_username": "admin", "admin_password": "Pertama-Sekali-2026"})
    assert response.status_code == 302
    assert "Pemerintah Kota Baru" in client.get("/platform/").get_data(as_text=True)
    assert login(app.test_client(), "kota-baru", "admin", "Pertama-Sekali-2026").status_code == 302


def test_web_onboarding_errors_keep_the_input(app):
    client = _operator_client(app)
    token = csrf_token(client, "/platform/tenant/baru")
    response = client.post("/platform/tenant/baru", data={
        "csrf_token": token, "slug": "platform", "name": "Nama Dipertahankan", "level": "kota",
        "province": "P", "rule_set": "ambon", "locale": "id", "timezone": "Asia/Jakarta",
        "admin_username": "admin", "admin_password": "pendek"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Nama Dipertahankan"' in html
    assert "Slug harus" in html


def test_new_tenant_starts_empty(app):
    client = _operator_client(app)
    token = csrf_token(client, "/platform/tenant/baru")
    client.post("/platform/tenant/baru", data={
        "csrf_token": token, "slug": "kosong", "name": "Kabupaten Kosong", "level": "kabupaten",
        "province": "P", "rule_set": "nasional", "locale": "en", "timezone": "Asia/Jakarta",
        "admin_username": "admin", "admin_password": "Pertama-Sekali-2026"})
    with app.app_context():
        tenant = _tenant("kosong")
        with tenant_scope(tenant):
            assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_first_admin_password_and_operator_come_from_the_cli(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tenants", "onboard", str(ROOT / "tenants" / "salor.toml")]).exit_code == 0
    assert login(app.test_client(), "salor", "admin", "Sandi-Salor-2026").status_code == 200  # no password yet
    weak = runner.invoke(args=["accounts", "set-password", "salor", "admin"], input="pendek\npendek\n")
    assert weak.exit_code != 0 and "minimal" in weak.output
    result = runner.invoke(args=["accounts", "set-password", "salor", "admin"],
                           input="Sandi-Salor-2026\nSandi-Salor-2026\n")
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "salor", "admin", "Sandi-Salor-2026").status_code == 302

    result = runner.invoke(args=["accounts", "create-operator", "pengelola"], input="Sandi-Platform-2026\nSandi-Platform-2026\n")
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), None, "pengelola", "Sandi-Platform-2026").status_code == 302
    missing = runner.invoke(args=["accounts", "set-password", "tidak-ada", "admin"],
                            input="Sandi-Salor-2026\nSandi-Salor-2026\n")
    assert missing.exit_code != 0


def test_web_onboarding_refuses_a_common_first_admin_password(app):
    client = _operator_client(app)
    token = csrf_token(client, "/platform/tenant/baru")
    response = client.post("/platform/tenant/baru", data={
        "csrf_token": token, "slug": "kota-lemah", "name": "Pemerintah Kota Lemah", "level": "kota",
        "province": "P", "rule_set": "ambon", "locale": "id", "timezone": "Asia/Jakarta",
        "admin_username": "admin", "admin_password": "Password123"})
    assert response.status_code == 422
    assert "terlalu umum" in response.get_data(as_text=True)
