"""Defects a new integrator met writing a sixth region from the docs alone
(issue #8, item 10). Each test failed before its fix."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
from dataclasses import replace

import pytest
from marshmallow import fields, validate

from app import create_app
from app.regions.api import (
    GENERAL_INDICATORS,
    NationalSettingsSchema,
    baseline_rule_set,
    hookimpl,
    pp30_rule_set,
)
from app.regions.conformance import check_plugin, check_rule_set
from app.regions.errors import PluginError
from app.regions.manager import build_registry, regions
from app.regions.validation import rule_set_problems


def _plugin(rule_set, **hooks):
    namespace = {"kinerja_rule_sets": hookimpl(lambda: [rule_set])}
    namespace.update({name: hookimpl(fn) for name, fn in hooks.items()})
    return type(f"plugin_{rule_set.code.replace('-', '_')}", (), {k: staticmethod(v) for k, v in namespace.items()})


def _start(*plugins, **config):
    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "EXTRA_REGION_PLUGINS": list(plugins),
                                  **config})


@pytest.fixture
def install(tmp_path, monkeypatch):
    """Install a fake distribution (dist-info + module) registering one ``kinerja.regions`` entry point."""
    modules: list[str] = []

    def _install(dist: str, version: str, entry: str, module: str, source: str) -> None:
        root = tmp_path / dist
        root.mkdir()
        (root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(f"[kinerja.regions]\n{entry} = {module}\n")
        monkeypatch.syspath_prepend(str(root))
        importlib.invalidate_caches()
        modules.append(module)

    yield _install
    for module in modules:
        sys.modules.pop(module, None)


STARTER = """
from app.regions.api import baseline_rule_set, hookimpl

@hookimpl
def kinerja_rule_sets():
    return [baseline_rule_set("{code}", "Sisa Starter", "0.1.0")]
"""


# --- two packages, one entry-point name ---------------------------------------------


def test_two_packages_with_one_entry_point_name_are_refused_naming_both(install):
    install("kinerja-region-sisa", "0.1.0", "nasional", "kinerja_region_sisa", STARTER.format(code="sisa"))
    with pytest.raises(PluginError) as info:
        build_registry()
    message = str(info.value)
    assert "'nasional'" in message and "kinerja-region-sisa" in message and "kinerja" in message
    assert "\n" not in message


# --- settings defaults the schema rejects ----------------------------------------------


class BadDefaults(NationalSettingsSchema):
    min_indicators = fields.Integer(load_default=0, validate=validate.Range(min=1, max=20))


def test_a_settings_default_the_schema_rejects_is_a_fault_everywhere():
    rs = baseline_rule_set("salah-bawaan", "Salah Bawaan", "1", settings_schema=BadDefaults)
    problems = rule_set_problems(rs)
    assert any("min_indicators" in p and "default 0" in p for p in problems), problems
    assert any("min_indicators" in p for p in check_rule_set(rs))
    assert any("min_indicators" in p for p in check_plugin(_plugin(rs)))
    with pytest.raises(PluginError, match="min_indicators"):
        _start(_plugin(rs))


# --- one broken plugin: strict refuses, degraded keeps the others serving ------------------

BROKEN = replace(pp30_rule_set("rusak-bobot", "Rusak", "1"),
                 components=pp30_rule_set("x", "X", "1").components[:1])


def test_strict_start_up_refuses_with_one_line_naming_plugin_and_fault():
    with pytest.raises(PluginError) as info:
        _start(_plugin(BROKEN), REGIONS_STRICT=True)
    message = str(info.value)
    assert "\n" not in message
    assert "plugin_rusak_bobot" in message and "weights sum to 70" in message


def test_degraded_start_up_serves_other_regions_and_refuses_only_the_broken_rule_set(caplog):
    from app.regions.errors import RuleSetUnavailable

    app = _start(_plugin(BROKEN), REGIONS_STRICT=False)
    assert "plugin_rusak_bobot" in caplog.text and "weights sum to 70" in caplog.text
    with app.app_context():
        assert regions().for_rule_set("nasional").code == "nasional"
        with pytest.raises(RuleSetUnavailable) as info:
            regions().for_rule_set("rusak-bobot")
        assert info.value.rule_set_code == "rusak-bobot"
        assert info.value.plugin == "plugin_rusak_bobot"
        assert "weights sum to 70" in info.value.fault and "\n" not in info.value.fault
    checked = app.test_cli_runner().invoke(args=["regions", "check"])
    assert checked.exit_code == 1
    assert "plugin_rusak_bobot" in checked.output and "weights sum to 70" in checked.output
    assert checked.output.count("ok   ") >= 6


def test_production_degrades_by_default():
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 32,
                                    "PUBLIC_BASE_URL": "https://kinerja.example.go.id",
                                    "EXTRA_REGION_PLUGINS": [_plugin(BROKEN)]})
    with app.app_context():
        assert [f.plugin for f in regions().faults] == ["plugin_rusak_bobot"]


def test_an_exception_while_importing_a_plugin_names_it(install):
    install("kinerja-region-kaput", "0.2.0", "kaput", "kinerja_region_kaput", "1 / 0\n")
    with pytest.raises(PluginError) as info:
        build_registry()
    message = str(info.value)
    assert "'kaput'" in message and "ZeroDivisionError" in message and "\n" not in message
    registry = build_registry(strict=False)
    assert registry.faults[0].plugin == "kaput" and "nasional" in registry.rule_sets


# --- lists where the types want tuples -------------------------------------------------------


def test_a_list_where_a_tuple_is_wanted_is_named_by_validation():
    rs = baseline_rule_set("daftar", "Daftar", "1", indicators=list(GENERAL_INDICATORS))
    problems = rule_set_problems(rs)
    assert any(p.startswith("indicators:") and "tuple" in p for p in problems), problems
    nested = baseline_rule_set("daftar", "Daftar", "1", training=(
        replace(baseline_rule_set("y", "Y", "1").training[0], behaviours="akuntabel"),))
    assert any("training[0].behaviours" in p for p in rule_set_problems(nested))


# --- scoring hooks see the tenant's settings ---------------------------------------------------


class BonusSettings(NationalSettingsSchema):
    bonus_nilai = fields.Float(load_default=0, validate=validate.Range(min=0, max=10))


def test_scoring_hooks_receive_the_tenant_settings():
    from app.regions.api import achievement

    def with_bonus(rule_set, indicator, target, realisation, settings):
        found = achievement(rule_set, indicator, target, realisation)
        return replace(found, nilai=found.nilai + settings["bonus_nilai"])

    seen = {}

    def annual(rule_set, periodic, has_innovation, settings):
        seen["annual"] = settings["bonus_nilai"]

    def distribution(rule_set, organisation_predikat, employee_predikat, settings):
        seen["distribution"] = settings["bonus_nilai"]

    def period(rule_set, evaluation, settings):
        seen["period"] = settings["bonus_nilai"]

    rs = pp30_rule_set("bonus", "Bonus", "1", settings_schema=BonusSettings)
    registry = build_registry([_plugin(rs, kinerja_achievement=with_bonus, kinerja_annual_result=annual,
                                       kinerja_distribution_check=distribution, kinerja_period_result=period)])
    plain = registry.for_rule_set("bonus").achievement("UMUM-01", None, 100)
    bonus = registry.for_rule_set("bonus", {"bonus_nilai": 5}).achievement("UMUM-01", None, 100)
    assert bonus.nilai == plain.nilai + 5
    rules = registry.for_rule_set("bonus", {"bonus_nilai": 3})
    from app.regions.conformance import sample_evaluation

    result = rules.period_result(sample_evaluation(rules.rule_set))
    rules.annual_result([result])
    rules.distribution_check("baik", [result.predikat_code])
    assert seen == {"period": 3, "annual": 3, "distribution": 3}


# --- scoring as a tenant would -----------------------------------------------------------------


def test_flask_regions_score_prints_the_traceable_steps(app, tmp_path):
    case = {"employee_ref": "198004112005012001", "period_label": "Triwulan I 2026",
            "indicator_results": [{"indicator_code": "UMUM-01", "target": {"lower": 100, "upper": 100},
                                   "realisation": 90}],
            "behaviours": [{"behaviour_code": "akuntabel", "rater": "atasan", "score": 100}]}
    (tmp_path / "case.json").write_text(json.dumps(case))
    (tmp_path / "s.json").write_text(json.dumps({"weights": {"skp": 60, "perilaku": 40}}))
    runner = app.test_cli_runner()
    scored = runner.invoke(args=["regions", "score", "sawahlunto", "--input", str(tmp_path / "case.json"),
                                 "--settings", str(tmp_path / "s.json")])
    assert scored.exit_code != 0 and "weights" in scored.output   # sawahlunto has three components
    scored = runner.invoke(args=["regions", "score", "ambon", "--input", str(tmp_path / "case.json"),
                                 "--settings", str(tmp_path / "s.json")])
    assert scored.exit_code == 0, scored.output
    assert "capaian = 90 / 100 × 100% = 90.00%" in scored.output
    assert "nilai kinerja = 80.00 × 60% + 100.00 × 40% = 88.00" in scored.output
    assert "Cukup" in scored.output


def test_score_case_is_the_public_way_to_score_as_a_tenant():
    from app.regions.api import IndicatorRealisation, Target, score_case

    case = {"employee_ref": "p", "period_label": "T1",
            "indicator_results": [{"indicator_code": "UMUM-01", "target": {"lower": 100, "upper": 100},
                                   "realisation": 100}],
            "hasil_kerja_rating": "sesuai", "perilaku_rating": "di_atas"}
    scored = score_case("nasional", case)
    assert scored.periods[0].predikat_code == "baik"
    assert scored.periods[0].achievements[0].nilai == 109.0
    assert any("matriks" in line for line in scored.lines())
    assert IndicatorRealisation("UMUM-01", Target.point(1), 1)


# --- one name per plugin; did you mean ------------------------------------------------------------


def test_an_entry_point_plugin_is_named_by_its_entry_point_only(install):
    install("kinerja-region-typo", "0.1.0", "typo", "kinerja_region_typo", STARTER.format(code="typo") + """
@hookimpl
def kinerja_period_results(rule_set, evaluation):
    return None
""")
    with pytest.raises(PluginError) as info:
        build_registry()
    message = str(info.value)
    assert "'typo'" in message and "kinerja_region_typo" not in message
    assert "did you mean 'kinerja_period_result'" in message


def test_did_you_mean_for_a_misspelled_rule_set_code(app):
    from app.regions.errors import RuleSetUnavailable

    with pytest.raises(RuleSetUnavailable, match="did you mean 'nasional'"):
        build_registry().for_rule_set("nasinal")
    shown = app.test_cli_runner().invoke(args=["regions", "show", "nasinal"])
    assert shown.exit_code != 0 and "did you mean 'nasional'" in shown.output


def test_show_says_which_end_of_a_band_is_included(app):
    shown = app.test_cli_runner().invoke(args=["regions", "show", "sawahlunto"])
    assert "Cukup: 70 ≤ nilai < 90" in shown.output
    assert "Baik: 90 ≤ nilai ≤ 120" in shown.output


# --- pp30_rule_set says what it does ----------------------------------------------------------------


def test_pp30_defaults_describe_the_numeric_scheme():
    text = " ".join(pp30_rule_set("angka", "Angka", "1").defaults)
    assert "peringkat predikat" not in text and "warn" not in text
    assert "rata-rata nilai" in text and "off" in text
