"""Each seed region's own rules, and that the five are visibly different."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.regions.conformance import sample_evaluation
from app.regions.inputs import (
    BehaviourAssessment,
    Complaint,
    ComponentValue,
    CriteriaConsultation,
    EvaluationInput,
    FeedbackSession,
    FollowUpSignal,
    IndicatorRealisation,
    PlanningInput,
    TrainingParticipation,
    UnitSatisfaction,
)
from app.regions.manager import build_registry
from app.regions.periods import periods_in_year
from app.regions.reports import sample_report_data
from app.regions.snapshot import snapshot
from app.regions.types import Direction, Rater, ReportAudience, Target

SEEDS = ("sawahlunto", "ambon", "salor", "palangkaraya", "walesi")


@pytest.fixture(scope="module")
def registry():
    return build_registry()


def test_the_five_regions_differ(registry):
    shapes = set()
    for code in SEEDS:
        rs = registry.get(code)
        data = snapshot(rs)
        shapes.add(repr((data["period_scheme"], data["scheme"]["kind"], data["components"],
                         data["rater_weights"], [i["code"] for i in data["indicators"]])))
        assert rs.real_rules and rs.defaults, f"{code} must say which numbers are real and which defaults"
        assert len(rs.report_formats) >= 2
        assert "Dokumen Evaluasi Kinerja Pegawai" in {f.name for f in rs.report_formats}
        assert "Rekap Predikat per Unit" in {f.name for f in rs.report_formats}
    assert len(shapes) == len(SEEDS)


# --- Sawahlunto ---------------------------------------------------------------------------


def test_sawahlunto_sector_indicators(registry):
    rs = registry.get("sawahlunto")
    health = {i.code: i for i in rs.indicators_for("kesehatan")}
    assert health["KES-01"].name == "Jumlah pelayanan kesehatan yang diberikan"
    assert "DIK-01" not in health and "UMUM-01" in health
    assert {"kesehatan", "pendidikan", "pariwisata", "kependudukan"} <= set(rs.sectors)


def test_sawahlunto_criteria_consultation_before_plans_lock(registry):
    rules = registry.for_rule_set("sawahlunto")
    lock = date(2026, 1, 31)
    assert rules.plan_lock_blockers(PlanningInput("Triwulan I 2026", lock)) == [
        "Indikator periode ini belum dikonsultasikan kepada pegawai."]
    short = CriteriaConsultation(date(2026, 1, 20), date(2026, 1, 27), 3, False)
    problems = rules.plan_lock_blockers(PlanningInput("Triwulan I 2026", lock, consultation=short))
    assert problems == ["Konsultasi indikator kurang dari 14 hari.",
                        "Tanggapan atas masukan pegawai belum diumumkan."]
    done = CriteriaConsultation(date(2026, 1, 2), date(2026, 1, 20), 3, True)
    assert rules.plan_lock_blockers(PlanningInput("Triwulan I 2026", lock, consultation=done)) == []
    relaxed = registry.for_rule_set("sawahlunto", {"consultation_days": 7, "require_published_responses": False})
    assert relaxed.plan_lock_blockers(PlanningInput("Triwulan I 2026", lock, consultation=short)) == []


def test_sawahlunto_training_participation_counts(registry):
    rules = registry.for_rule_set("sawahlunto")
    evaluation = EvaluationInput(
        "p", "Triwulan I 2026", (IndicatorRealisation("KES-01", Target.point(600), 600),),
        behaviours=(BehaviourAssessment("akuntabel", score=100),), training=TrainingParticipation(10, 1))
    result = rules.period_result(evaluation)
    # SKP 109 × 60% + perilaku 100 × 30% + pelatihan (10/20 JP → 50) × 10% = 65.4 + 30 + 5 = 100.4
    assert [c.value for c in result.components] == [109.0, 100.0, 50.0]
    assert result.score == 100.4
    full = rules.period_result(replace(evaluation, training=TrainingParticipation(20, 2)))
    assert full.score == 105.4
    codes = {r.code for r in rules.training_recommendations(result, evaluation)}
    assert {"kekurangan-jp", "pengembangan-kompetensi"} <= codes


# --- Ambon ----------------------------------------------------------------------------------


def test_ambon_360_with_unit_ikm_and_60_40(registry):
    rules = registry.for_rule_set("ambon")
    evaluation = EvaluationInput(
        "p", "Triwulan I 2026", (IndicatorRealisation("UMUM-01", Target.point(100), 100),),
        behaviours=(BehaviourAssessment("akuntabel", Rater.ATASAN, 100),
                    BehaviourAssessment("akuntabel", Rater.REKAN, 90),
                    BehaviourAssessment("akuntabel", Rater.BAWAHAN, 80)),
        unit_satisfaction=UnitSatisfaction("DINKES", 70.0, 150))
    result = rules.period_result(evaluation)
    # perilaku = 40% × 100 + 20% × 90 + 20% × 80 + 20% × IKM 70 = 40 + 18 + 16 + 14 = 88
    # nilai = 109 × 60% + 88 × 40% = 65.4 + 35.2 = 100.6 → Baik
    assert [c.value for c in result.components] == [109.0, 88.0]
    assert (result.score, result.predikat_label) == (100.6, "Baik")
    assert "IKM unit DINKES 70.00" in result.explain()


def test_ambon_needs_peer_ratings_and_known_indicators(registry):
    rules = registry.for_rule_set("ambon")
    evaluation = EvaluationInput("p", "T1", (IndicatorRealisation("LAIN-01", Target.point(1), 1),),
                                 behaviours=(BehaviourAssessment("akuntabel", Rater.ATASAN, 100),))
    assert rules.evaluation_blockers(evaluation) == [
        "Indikator LAIN-01 tidak ada dalam pustaka indikator yang diumumkan.",
        "Penilaian perilaku oleh rekan kerja baru 0, minimal 1."]


def test_ambon_workshop_and_ikm_follow_up(registry):
    rules = registry.for_rule_set("ambon")
    signal = FollowUpSignal("p", unit_satisfaction=UnitSatisfaction("DINKES", 70.0), predikat_code="cukup")
    assert [f.kind for f in rules.follow_ups(signal)] == ["lokakarya", "pelatihan"]
    assert rules.follow_ups(FollowUpSignal("p", unit_satisfaction=UnitSatisfaction("DINKES", 90.0),
                                           predikat_code="baik")) == []


# --- Salor ----------------------------------------------------------------------------------


def test_salor_components_and_lower_is_better_document_time(registry):
    rules = registry.for_rule_set("salor")
    doc = rules.rule_set.indicator("SLR-DOK-01")
    assert doc.direction is Direction.LOWER_IS_BETTER
    evaluation = EvaluationInput(
        "p", "Januari 2026", (IndicatorRealisation("SLR-DOK-01", Target.point(3), 2.7),),
        behaviours=(BehaviourAssessment("akuntabel", score=100),),
        component_values=(ComponentValue("disiplin", 90), ComponentValue("kompetensi", 100),
                          ComponentValue("inovasi", 80)))
    result = rules.period_result(evaluation)
    # 2.7 days against 3: (1 + (1 − 2.7/3)) × 100 = 110% → nilai 120
    # 120 × 50% + 100 × 20% + 90 × 10% + 100 × 10% + 80 × 10% = 60 + 20 + 9 + 10 + 8 = 107
    assert result.achievements[0].capaian == 110.0
    assert [c.code for c in result.components] == ["hasil_kerja", "perilaku", "disiplin", "kompetensi", "inovasi"]
    assert result.score == 107.0
    assert periods_in_year(rules.rule_set.period_scheme, 2026)[0].label == "Januari 2026"


def test_salor_substantiated_complaint_triggers_evaluation_and_training(registry):
    rules = registry.for_rule_set("salor")
    complaints = (Complaint("ADU-7", date(2026, 2, 3), True, "pelayanan lambat"),
                  Complaint("ADU-8", date(2026, 2, 4), False))
    follow = rules.follow_ups(FollowUpSignal("p", complaints=complaints))
    assert [(f.kind, f.due_in_days) for f in follow] == [("evaluasi_ulang", 30), ("pelatihan", 30)]
    assert "ADU-8" not in " ".join(f.reason for f in follow)
    evaluation = replace(sample_evaluation(rules.rule_set), complaints=complaints)
    recs = rules.training_recommendations(rules.period_result(evaluation), evaluation)
    assert "etika-pelayanan" in {r.code for r in recs}
    survey = rules.follow_ups(FollowUpSignal("p", unit_satisfaction=UnitSatisfaction("DPMPTSP", 70.0)))
    assert [f.kind for f in survey] == ["evaluasi_layanan"]


# --- Palangkaraya ------------------------------------------------------------------------------


def test_palangkaraya_process_and_result_and_face_to_face(registry):
    rules = registry.for_rule_set("palangkaraya")
    evaluation = EvaluationInput(
        "p", "Triwulan II 2026", (IndicatorRealisation("PKY-SKP-01", Target.point(100), 100),),
        behaviours=(BehaviourAssessment("adaptif", score=100),),
        component_values=(ComponentValue("proses", 90),))
    result = rules.period_result(evaluation)
    # hasil 109 × 50% + proses 90 × 20% + perilaku 100 × 30% = 54.5 + 18 + 30 = 102.5
    assert result.score == 102.5
    assert rules.evaluation_blockers(evaluation) == ["Sesi umpan balik tatap muka baru 0, minimal 1 per periode."]
    online = (FeedbackSession(date(2026, 5, 2), False),)
    assert rules.evaluation_blockers(replace(evaluation, feedback_sessions=online))
    met = (FeedbackSession(date(2026, 5, 2), True, "dialog kinerja"),)
    assert rules.evaluation_blockers(replace(evaluation, feedback_sessions=met)) == []


def test_palangkaraya_recommends_it_training(registry):
    rules = registry.for_rule_set("palangkaraya")
    evaluation = EvaluationInput(
        "p", "Triwulan II 2026", (IndicatorRealisation("PKY-TI-01", Target.point(80), 48),),
        behaviours=(BehaviourAssessment("adaptif", score=80),), component_values=(ComponentValue("proses", 95),))
    recs = rules.training_recommendations(rules.period_result(evaluation), evaluation)
    it = next(r for r in recs if r.code == "pelatihan-ti")
    assert it.name.startswith("Pelatihan Teknologi Informasi")
    assert any("PKY-TI-01" in reason for reason in it.reasons)
    assert any("adaptif" in reason for reason in it.reasons)


# --- Walesi -----------------------------------------------------------------------------------


def test_walesi_semesters_programmes_and_public_report(registry):
    rules = registry.for_rule_set("walesi")
    rs = rules.rule_set
    assert [p.label for p in periods_in_year(rs.period_scheme, 2026)] == ["Semester I 2026", "Semester II 2026"]
    assert {i.programme for i in rs.indicators if i.programme} == {"Pengentasan Kemiskinan", "Vaksinasi"}
    public = [f for f in rs.report_formats if f.audience is ReportAudience.PUBLIC]
    assert [f.name for f in public] == ["Laporan Kinerja untuk Publik"]
    html = rules.render_report(public[0].code, sample_report_data())
    assert "Capaian program" in html and "Vaksinasi" in html
    assert "Siti Aminah" not in html and "198004112005012001" not in html
    # Vaccination coverage 96% against a 90–95% range: past the upper bound, so 96/95 = 101.05%.
    assert rules.achievement("WLS-VAK-01", None, 96).capaian == 101.05
    results = [rules.period_result(replace(sample_evaluation(rs), period_label=p)) for p in ("S1", "S2")]
    assert rules.annual_result(results).periods == ("S1", "S2")
