"""The "Aturan penilaian" page (issue #12, item 1).

Each region's page shows that region's numbers: every expectation below is
read from the rule set objects in force (``tenant_rules()``), never copied
from a plugin. A saved settings version changes what is shown and appears in
the history; no raw enum value reaches the page; English renders.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.auth.models import User
from app.extensions import db
from app.periods.models import Period, PeriodKind
from app.regions.settings import TenantSettingsSchema
from app.regions.types import AnnualAggregation, Direction, MatrixScheme, NumericScheme
from app.rules import labels as L
from app.settings.services import save_version
from app.tenancy import tenant_rules, tenant_scope, tenant_today
from tests.conftest import login, make_org, make_tenant
from tests.test_no_codes import visible_text

REGIONS = ["sawahlunto", "ambon", "salor", "palangkaraya", "walesi"]

# Enum values that are ordinary Indonesian words (they may appear in prose).
INDONESIAN_WORDS = {"semester", "perilaku", "pelatihan", "atasan", "rekan", "bawahan", "masyarakat", "sesuai",
                    "kuantitas", "kualitas", "waktu", "biaya", "input"}


def g(value: float) -> str:
    return f"{float(value):g}"


@pytest.fixture
def region(app, request):
    code = request.param
    with app.app_context():
        org = make_org(make_tenant(code, rule_set=code))
        db.session.remove()
    return code, org


def _page(app, slug: str, username: str = "pegawai", query: str = "") -> str:
    client = app.test_client()
    assert login(client, slug, username).status_code == 302
    response = client.get(f"/{slug}/aturan{query}")
    assert response.status_code == 200
    return visible_text(response.get_data(as_text=True))


def _rules(org):
    with tenant_scope(org.tenant):
        runtime = tenant_rules()
        return runtime.rule_set, dict(runtime.settings)


@pytest.mark.parametrize("region", REGIONS, indirect=True)
def test_each_region_shows_its_own_numbers(app, region):
    code, org = region
    text = _page(app, code)  # outside an app context: each request gets its own ``g``
    lines = text.splitlines()
    with app.app_context():
        rs, settings = _rules(org)

    assert rs.name in text and rs.version in text
    assert str(L.PERIOD_SCHEME[rs.period_scheme]) in text
    assert f"paling lambat {rs.objection_window_days} hari" in text
    assert f"{g(rs.required_training_hours)} JP per tahun" in text
    assert str(L.ANNUAL_AGGREGATION[rs.annual_aggregation]) in text
    for item in rs.legal_basis:
        assert item in text
    # The library: the reader's unit is a Dinas Kesehatan, so its sector's indicators come first.
    for indicator in rs.indicators:
        assert indicator.name in text
        if indicator.programme:
            assert indicator.programme in text
    # Weights, 360° weights, bands or the predikat matrix.
    for component in rs.components:
        index = lines.index(component.name)
        assert lines[index + 1] == f"{g(component.weight)}%"
    for rater, weight in rs.rater_weights:
        assert f"{L.RATER[rater]}: {g(weight)}%" in text
    if isinstance(rs.scheme, NumericScheme):
        for band in rs.scheme.bands:
            op_low, op_high = ("≤" if band.include_lower else "<"), ("≤" if band.include_upper else "<")
            row = f"{band.label}\n{g(band.lower)} {op_low} nilai kinerja {op_high} {g(band.upper)}"
            assert row in text
    else:
        assert isinstance(rs.scheme, MatrixScheme)
        names = {p.code: p.label for p in rs.scheme.predikat}
        for cell in rs.scheme.cells:
            row = lines.index(str(L.EXPECTATION[cell.hasil_kerja]), lines.index("Hasil kerja \\ perilaku kerja") + 4)
            column = list(L.EXPECTATION).index(cell.perilaku)
            assert lines[row + 1 + column] == names[cell.predikat]
        for band in rs.scheme.hasil_kerja_rating_bands:
            assert f"{g(band.lower)} ≤ rata-rata nilai IKI" in text
    # The capaian → nilai curve.
    for segment in rs.achievement_curve.segments:
        assert f"{g(segment.lower)}% ≤ capaian" in text or f"capaian ≥ {g(segment.lower)}%" in text
    # The distribution curve and its quotas.
    assert f"Penerapan: {L.DISTRIBUTION_MODE[rs.distribution.mode]}." in text
    if rs.distribution.mode.value != "off":
        for quota in rs.distribution.quotas:
            for rule in quota.rules:
                if rule.at_most is not None:
                    assert f"paling banyak {rule.at_most * 100:g}%" in text
    # Training rules by name.
    for rule in rs.training:
        assert rule.name in text
    # The region's own settings: each with its description and the value in force.
    common = set(TenantSettingsSchema().fields)
    for name, field in rs.settings_schema().fields.items():
        if name in common:
            continue
        value = settings[name]
        shown = g(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        description = field.metadata["description"]
        index = lines.index(description)
        if shown is not None:
            assert lines[index + 1] == shown, name
        assert lines[index + 2] == "Bawaan aturan daerah"


def test_the_distinctive_rules_of_each_region_show(app):
    """What makes each seed region different is on its page, read from its rule set."""
    with app.app_context():
        orgs = {code: make_org(make_tenant(code, rule_set=code)) for code in REGIONS}
        rules = {code: _rules(org)[0] for code, org in orgs.items()}
        db.session.remove()
    texts = {code: _page(app, code) for code in REGIONS}
    # Sawahlunto: training participation is a weighted component.
    pelatihan = next(c for c in rules["sawahlunto"].components if c.source.value == "pelatihan")
    assert f"ikut dinilai sebagai komponen {pelatihan.name}" in texts["sawahlunto"]
    # Ambon: 360° behaviour rating.
    assert "Penilaian perilaku 360°" in texts["ambon"] and "Penilaian perilaku 360°" not in texts["salor"]
    # Salor: monthly periods and a lower-is-better document time.
    assert rules["salor"].period_scheme.value == "monthly"
    assert "Bulanan" in texts["salor"]
    lower = next(i for i in rules["salor"].indicators if i.direction is Direction.LOWER_IS_BETTER
                 and i.sector != "umum")
    assert lower.name in texts["salor"]
    # Palangkaraya: its legal basis.
    for item in rules["palangkaraya"].legal_basis:
        assert item in texts["palangkaraya"]
    # Walesi: semester, the predikat matrix and the qualitative approach for JPT.
    assert "Matriks predikat" in texts["walesi"] and "Matriks predikat" not in texts["ambon"]
    assert "Semesteran" in texts["walesi"]
    assert f"SKP {L.POSITION_KIND['jpt']} memakai pendekatan hasil kerja kualitatif" in texts["walesi"]


@pytest.mark.parametrize("region", REGIONS, indirect=True)
def test_no_raw_enum_value_shows(app, region):
    code, _org = region
    text = _page(app, code, "admin")
    main = text[text.index("Aturan penilaian\n"):]
    raw = sorted({member.value for enum in L.ENUMS + (Direction,) for member in enum}
                 - INDONESIAN_WORDS)
    assert "mean" in raw and "warn" in raw and "hasil_kerja" in raw
    found = [value for value in raw if re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", main)]
    assert not found, f"raw codes on the page: {found}"


def test_a_saved_settings_version_changes_the_page_and_its_history(app):
    with app.app_context():
        org = make_org(make_tenant("sawahlunto", rule_set="sawahlunto"))
        with tenant_scope(org.tenant):
            today = tenant_today()
            rs = tenant_rules().rule_set
            old_days, new_days = rs.objection_window_days, rs.objection_window_days + 7
            old_mean = rs.annual_aggregation
            save_version({"objection_window_days": new_days, "annual_aggregation": AnnualAggregation.LOWEST.value},
                         effective_from=today - timedelta(days=1), note="Hasil rapat pimpinan",
                         actor_id=org.user_ids["admin"])
            save_version({"objection_window_days": new_days + 10}, effective_from=today + timedelta(days=30),
                         note="Rencana tahun depan", actor_id=org.user_ids["admin"])
            db.session.commit()
            admin = db.session.get(User, org.user_ids["admin"]).username
        db.session.remove()
    text = _page(app, "sawahlunto")

    assert f"paling lambat {new_days} hari" in text
    assert str(L.ANNUAL_AGGREGATION[AnnualAggregation.LOWEST]) in text
    lines = text.splitlines()
    index = lines.index("Batas waktu pengajuan keberatan (hari).")
    assert lines[index + 1] == str(new_days)
    assert lines[index + 2] == f"Pengaturan instansi (bawaan daerah: {old_days})"
    # The history: the version in force and the one to come, with who, note and changes.
    assert "Pengaturan versi 1 berlaku sejak" in text
    history = text[text.index("Riwayat perubahan\n", text.index("Pengaturan yang berlaku\n")):]
    assert "Versi 2 · berlaku mulai" in history and "akan berlaku" in history
    assert "Versi 1 · berlaku mulai" in history and "Hasil rapat pimpinan" in history
    assert f"Penyunting pengaturan oleh {admin}" in history
    assert f"Batas waktu pengajuan keberatan (hari). {old_days} → {new_days}" in history
    assert (f"Cara hasil tahunan diturunkan dari hasil periodik. {L.ANNUAL_AGGREGATION[old_mean]} → "
            f"{L.ANNUAL_AGGREGATION[AnnualAggregation.LOWEST]}") in history
    assert f"{new_days} → {new_days + 10}" in history
    assert history.index("Versi 2") < history.index("Versi 1")


def test_periods_and_deadlines_and_the_readers_indicator_sets(app):
    from app.skp.planning.models import IndicatorAssignment

    with app.app_context():
        org = make_org(make_tenant("walesi", rule_set="walesi"))
        with tenant_scope(org.tenant):
            year = tenant_today().year
            whole = Period(year=year, kind=PeriodKind.YEAR, sequence=1, starts_on=date(year, 1, 1),
                           ends_on=date(year, 12, 31), plans_lock_on=date(year, 1, 31))
            first = Period(year=year, kind=PeriodKind.SEMESTER, sequence=1, parent=whole,
                           starts_on=date(year, 1, 1), ends_on=date(year, 6, 30),
                           evaluation_due_on=date(year, 7, 15))
            db.session.add_all([whole, first])
            db.session.flush()
            rs = tenant_rules().rule_set
            programme = next(i for i in rs.indicators if i.programme)
            db.session.add(IndicatorAssignment(period_id=whole.id, unit_id=org.unit_id,
                                               indicator_codes=[programme.code]))
            db.session.commit()
        db.session.remove()
    text = _page(app, "walesi")
    assert f"Tahun {year}" in text and f"Semester 1 {year}" in text
    assert f"31-01-{year}" in text and f"15-07-{year}" in text
    assigned = text[text.index(f"Ditetapkan untuk unit atau jabatan Anda tahun {year}"):
                    text.index("Untuk unit kerja Anda")]
    assert programme.name in assigned


def test_every_role_reads_it_and_strangers_are_sent_to_sign_in(app):
    with app.app_context():
        make_org(make_tenant("nasional-uji", rule_set="nasional"))
        db.session.remove()
    for role in ("pegawai", "penilai", "atasan", "admin"):
        assert "Aturan penilaian" in _page(app, "nasional-uji", role)
    response = app.test_client().get("/nasional-uji/aturan")
    assert response.status_code == 302 and "/nasional-uji/login" in response.location


def test_english_renders(app):
    with app.app_context():
        make_org(make_tenant("ambon", rule_set="ambon"))
        db.session.remove()
    client = app.test_client()
    assert login(client, "ambon", "pegawai").status_code == 302
    response = client.get("/ambon/aturan?lang=en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.get_data(as_text=True)
