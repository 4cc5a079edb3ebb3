"""The plugin machinery: discovery, start-up validation, per-rule-set dispatch,
every hook, tenant settings, snapshots across a plugin upgrade."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from importlib.metadata import entry_points

import pytest

import plugins.nasional as nasional
from app import create_app
from app.regions.api import PP30_BANDS, PP30_SCHEME, baseline_rule_set, pp30_rule_set
from app.regions.conformance import sample_evaluation
from app.regions.errors import PluginError, PluginRuntimeError
from app.regions.hookspecs import hookimpl
from app.regions.inputs import (
    Complaint,
    EvaluationInput,
    FollowUpSignal,
    IndicatorRealisation,
    PlanningInput,
)
from app.regions.manager import ENTRY_POINT_GROUP, build_registry
from app.regions.scoring import period_result
from app.regions.settings import SettingsError, apply_settings, effective_settings
from app.regions.snapshot import restore, snapshot
from app.regions.training import FollowUp, TrainingRecommendation
from app.regions.types import Band, Component, ComponentSource, Indicator, Target, TrainingRule

BUILT_INS = {"nasional", "sawahlunto", "ambon", "salor", "palangkaraya", "walesi"}


def _plugin(rule_set, **hooks):
    """A plugin object (a class with hookimpl functions), named after its rule set."""
    namespace = {"kinerja_rule_sets": hookimpl(lambda: [rule_set])}
    namespace.update({name: hookimpl(fn) for name, fn in hooks.items()})
    return type(f"plugin_{rule_set.code.replace('-', '_')}", (), {k: staticmethod(v) for k, v in namespace.items()})


# --- discovery -----------------------------------------------------------------------


def test_built_in_regions_are_entry_points_like_any_package():
    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert names >= BUILT_INS
    registry = build_registry()
    assert set(registry.rule_sets) >= BUILT_INS
    assert all(registry.owners[code] == code for code in BUILT_INS)   # entry-point names


def test_existing_api_still_works(app):
    from app.regions.manager import regions

    with app.app_context():
        assert regions().get("walesi").period_scheme.value == "semester"
        assert ("ambon", "Kota Ambon") in regions().choices()
        assert regions().rule_sets["nasional"].name.startswith("Nasional")


# --- start-up validation ------------------------------------------------------------------


def _start(*plugins):
    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "EXTRA_REGION_PLUGINS": list(plugins)})


@pytest.mark.parametrize(("broken", "fault"), [
    (replace(pp30_rule_set("rusak-bobot", "R", "1"),
             components=(Component("skp", "SKP", 70, ComponentSource.HASIL_KERJA),
                         Component("perilaku", "Perilaku", 20, ComponentSource.PERILAKU))),
     "weights sum to 90"),
    (pp30_rule_set("rusak-pita", "R", "1", scheme=replace(PP30_SCHEME, bands=(
        Band("kurang", "Kurang", 0, 70), Band("baik", "Baik", 80, 120, include_upper=True)))),
     "gap between 'kurang' and 'baik'"),
    (pp30_rule_set("rusak-tumpang", "R", "1", scheme=replace(PP30_SCHEME, bands=(
        Band("kurang", "Kurang", 0, 90, include_upper=True), Band("baik", "Baik", 90, 120, include_upper=True)))),
     "overlap"),
    (baseline_rule_set("rusak-kode", "R", "1", indicators=(
        Indicator("X-1", "A", "x", "kuantitas"), Indicator("X-1", "B", "x", "kuantitas"))),
     "duplicate indicator codes: X-1"),
    (baseline_rule_set("rusak-rujukan", "R", "1", training=(
        TrainingRule("t", "Pelatihan", indicators=("TIDAK-ADA",)),)),
     "unknown indicator 'TIDAK-ADA'"),
])
def test_broken_plugin_is_refused_at_start_up_with_its_name(broken, fault):
    with pytest.raises(PluginError) as info:
        _start(_plugin(broken))
    message = str(info.value)
    assert f"plugin_{broken.code.replace('-', '_')}" in message
    assert fault in message


def test_duplicate_rule_set_code_names_both_plugins():
    with pytest.raises(PluginError, match="registered by both 'nasional' and 'plugin_nasional'"):
        _start(_plugin(nasional.RULE_SET))


def test_misspelled_hook_is_refused():
    class plugin_typo:  # noqa: N801 - named like a module
        @staticmethod
        @hookimpl
        def kinerja_period_results(rule_set, evaluation):
            return None

    with pytest.raises(PluginError, match="plugin_typo"):
        _start(plugin_typo)


# --- per-rule-set dispatch and every hook ---------------------------------------------------

CALLS: list[tuple[str, str]] = []


def _recording(code):
    rs = baseline_rule_set(code, code, "1")

    def record(hook, answer):
        def impl(rule_set, **kwargs):
            CALLS.append((code, hook))
            return answer
        return impl

    hooks = {
        "kinerja_plan_lock_blockers": lambda rule_set, planning, settings: (
            CALLS.append((code, "plan")) or [f"{code}: belum"]),
        "kinerja_achievement": lambda rule_set, indicator, target, realisation: CALLS.append((code, "ach")),
        "kinerja_evaluation_blockers": lambda rule_set, evaluation, settings: CALLS.append((code, "eval")) or [],
        "kinerja_period_result": lambda rule_set, evaluation: CALLS.append((code, "period")),
        "kinerja_annual_result": lambda rule_set, periodic, has_innovation: CALLS.append((code, "annual")),
        "kinerja_distribution_check": lambda rule_set, organisation_predikat, employee_predikat: (
            CALLS.append((code, "dist"))),
        "kinerja_training_recommendations": lambda rule_set, result, evaluation, settings: (
            CALLS.append((code, "train")) or [TrainingRecommendation("x", "Pelatihan X", (), code)]),
        "kinerja_follow_ups": lambda rule_set, signal, settings: (
            CALLS.append((code, "follow")) or [FollowUp("pembinaan", "Pembinaan", "uji", 7, code)]),
    }
    return _plugin(rs, **hooks)


def test_each_rule_set_reaches_only_its_own_plugin_and_every_hook_is_called():
    CALLS.clear()
    registry = build_registry([_recording("uji-satu"), _recording("uji-dua")])
    rules = registry.for_rule_set("uji-satu")
    evaluation = sample_evaluation(rules.rule_set)
    assert rules.plan_lock_blockers(PlanningInput("T1", date(2026, 1, 31))) == ["uji-satu: belum"]
    assert rules.evaluation_blockers(evaluation) == []
    assert rules.achievement("UMUM-01", None, 100).nilai == 109.0        # our hook returned None
    result = rules.period_result(evaluation)
    assert result.predikat_code == "baik"
    assert rules.annual_result([result, result]).predikat_code == "baik"
    assert rules.distribution_check("baik", ["baik"]).mode == "warn"
    assert [r.code for r in rules.training_recommendations(result, evaluation)] == ["x"]
    assert [f.kind for f in rules.follow_ups(FollowUpSignal("p"))] == ["pembinaan"]
    assert {c for c, _ in CALLS} == {"uji-satu"}
    assert {h for _, h in CALLS} == {"plan", "eval", "ach", "period", "annual", "dist", "train", "follow"}


def test_runtime_error_names_the_plugin_and_leaves_others_working(caplog):
    def explode(rule_set, evaluation):
        raise ZeroDivisionError("pembagian nol")

    failing = _plugin(baseline_rule_set("uji-gagal", "Gagal", "1"), kinerja_period_result=explode)
    registry = build_registry([failing])
    rules = registry.for_rule_set("uji-gagal")
    with pytest.raises(PluginRuntimeError) as info:
        rules.period_result(sample_evaluation(rules.rule_set))
    assert info.value.plugin == "plugin_uji_gagal" and info.value.hook == "kinerja_period_result"
    assert "plugin_uji_gagal" in caplog.text
    healthy = registry.for_rule_set("nasional")
    assert healthy.period_result(sample_evaluation(healthy.rule_set)).predikat_code == "baik"


def test_report_formats_render_through_the_runtime():
    from app.regions.documents import DocumentSubject, RenderedDocument, sample_evaluation_document
    from app.regions.reports import sample_report_data

    rules = build_registry().for_rule_set("nasional")
    pdf = rules.render_report("dokumen-evaluasi", sample_evaluation_document())
    assert isinstance(pdf, RenderedDocument) and pdf.media_type == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf.filename.endswith("-triwulan-i-2026.pdf")
    with pytest.raises(TypeError, match="renders EvaluationDocumentData, not ReportData"):
        rules.render_report("dokumen-evaluasi", sample_report_data())
    csv_text = rules.render_report("rekap-predikat", sample_report_data())
    assert csv_text.splitlines()[0].startswith("Unit kerja,Sangat Baik,Baik")
    assert [f.code for f in rules.formats_for(DocumentSubject.EVALUATION)] == ["evaluasi-kinerja",
                                                                                 "dokumen-evaluasi"]
    assert [f.code for f in rules.formats_for(DocumentSubject.SKP)] == ["skp"]


# --- tenant settings -------------------------------------------------------------------------


def test_settings_defaults_overrides_and_errors():
    rs = build_registry().get("ambon")
    defaults = effective_settings(rs, {})
    assert defaults["objection_window_days"] == 14 and defaults["min_peer_ratings"] == 1
    assert defaults["weights"] == {"skp": 60, "perilaku": 40}
    eff = effective_settings(rs, {"objection_window_days": 21, "min_peer_ratings": 2})
    assert (eff["objection_window_days"], eff["min_peer_ratings"]) == (21, 2)
    with pytest.raises(SettingsError, match="berjumlah 100"):
        effective_settings(rs, {"weights": {"skp": 70, "perilaku": 40}})
    with pytest.raises(SettingsError, match="tidak_ada"):
        effective_settings(rs, {"tidak_ada": 1})
    with pytest.raises(SettingsError, match="objection_window_days"):
        effective_settings(rs, {"objection_window_days": 0})
    changed = apply_settings(rs, {"weights": {"skp": 70, "perilaku": 30}, "distribution_mode": "block"})
    assert [c.weight for c in changed.components] == [70, 30]
    assert changed.distribution.mode.value == "block"


def test_onboarding_validates_settings(app):
    from app.errors import Invalid
    from app.platform.services import TenantSpec, validate_spec

    with app.app_context():
        spec = TenantSpec("kota-uji", "Kota Uji", "kota", "Uji", "ambon", settings={"min_peer_ratings": -1})
        with pytest.raises(Invalid) as info:
            validate_spec(spec)
        assert info.value.field == "settings"
        validate_spec(replace(spec, settings={"min_peer_ratings": 2}))


# --- history is never rewritten --------------------------------------------------------------


def test_plugin_upgrade_leaves_a_finished_result_identical():
    v1 = pp30_rule_set("uji-versi", "Uji Versi", "1.0.0")
    # v2 moves the Baik band down to 80: the same inputs now give Baik instead of Cukup.
    v2_bands = (PP30_BANDS[0], PP30_BANDS[1], replace(PP30_BANDS[2], upper=80),
                replace(PP30_BANDS[3], lower=80), PP30_BANDS[4])
    v2 = replace(v1, version="2.0.0", scheme=replace(PP30_SCHEME, bands=v2_bands))
    evaluation = EvaluationInput("p", "Triwulan I 2026",
                                 (IndicatorRealisation("UMUM-01", Target.point(100), 90),),
                                 behaviours=sample_evaluation(v1).behaviours)
    # 90% → 80; 80 × 70% + 100 × 30% = 86 → Cukup under v1.
    rules_v1 = build_registry([_plugin(v1)]).for_rule_set("uji-versi")
    finished = rules_v1.period_result(evaluation)
    stored = json.loads(json.dumps({"snapshot": rules_v1.snapshot(), "result": finished.to_dict()}))
    assert (finished.score, finished.predikat_code) == (86.0, "cukup")

    rules_v2 = build_registry([_plugin(v2)]).for_rule_set("uji-versi")   # the upgrade
    assert rules_v2.period_result(evaluation).predikat_code == "baik"
    again = period_result(stored["snapshot"], evaluation)
    assert again.to_dict() == stored["result"]
    assert (again.rule_set_version, again.predikat_code) == ("1.0.0", "cukup")


def test_snapshot_round_trips_every_built_in():
    registry = build_registry()
    for rs in registry.rule_sets.values():
        data = json.loads(json.dumps(snapshot(rs)))
        assert restore(data) == replace(rs, report_formats=(), settings_schema=None)
        assert data["version"] == rs.version and data["code"] == rs.code


def test_snapshot_keeps_tenant_overrides():
    rules = build_registry().for_rule_set("sawahlunto", {"weights": {"skp": 70, "perilaku": 30, "pelatihan": 0}})
    assert {c["code"]: c["weight"] for c in rules.snapshot()["components"]} == {
        "skp": 70, "perilaku": 30, "pelatihan": 0}


def test_follow_up_inputs_are_typed():
    signal = FollowUpSignal("p", complaints=(Complaint("ADU-1", date(2026, 2, 1), True),))
    rules = build_registry().for_rule_set("salor")
    assert {f.kind for f in rules.follow_ups(signal)} == {"evaluasi_ulang", "pelatihan"}
