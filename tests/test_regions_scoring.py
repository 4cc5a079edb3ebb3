"""The national scoring rules against hand-worked examples (DOMAIN.md)."""

from __future__ import annotations

from dataclasses import replace

import pytest

import plugins.nasional as nasional
from app.regions.achievement import achievement, capaian
from app.regions.api import (
    DISTRIBUTION_QUOTAS_6_2022,
    PP30_BANDS,
    PP46_BANDS,
    PP46_COMPONENTS,
    PP46_CURVE,
    PP46_SCHEME,
    pp30_rule_set,
)
from app.regions.distribution import check_distribution
from app.regions.inputs import BehaviourAssessment, EvaluationInput, IndicatorRealisation
from app.regions.scoring import ScoringInputError, annual_result, band_for, period_result
from app.regions.training import training_recommendations
from app.regions.types import (
    AnnualAggregation,
    Direction,
    DistributionMode,
    DistributionPolicy,
    Expectation,
    Rater,
    SmallUnitRounding,
    Target,
)

NAS = nasional.RULE_SET
A, S, B = Expectation.DI_ATAS, Expectation.SESUAI, Expectation.DI_BAWAH


# --- PermenPANRB 8/2021: capaian and nilai ------------------------------------------


@pytest.mark.parametrize(("realisation", "capaian_", "nilai"), [
    (100, 100.0, 109.0),   # the worked example: 100% → 109
    (98, 98.0, 88.0),      # 70 + (89 − 70)/(99 − 80) × (98 − 80) = 70 + 18 = 88
    (80, 80.0, 70.0),
    (60, 60.0, 50.0),      # 50 + 19/19 × 0
    (59, 59.0, 49.0),      # 59/59 × 49
    (111, 111.0, 120.0),   # > 110% → 120
])
def test_capaian_to_nilai_higher_is_better(realisation, capaian_, nilai):
    result = achievement(NAS, "UMUM-01", Target.point(100), realisation)
    assert (result.capaian, result.nilai) == (capaian_, nilai)
    assert result.rule_set_code == "nasional" and result.rule_set_version == NAS.version


def test_lower_is_better_range_target_uses_the_bound_passed():
    # Target 7–8 months, realised in 6.5: better than the range's best end (7), so 7 is used.
    #   6.5 / 7 = 0.928571…;  1 − 0.928571 = 0.071429;  1 + 0.071429 = 1.071429;  × 100 = 107.14%
    result = achievement(NAS, "UMUM-03", Target.range(7, 8), 6.5)
    assert result.target_used == 7
    assert result.capaian == 107.14
    assert round(result.capaian) == 107
    assert "(1 + (1 − 6.5 / 7))" in result.explain()


def test_range_target_missed_uses_the_worse_bound_and_within_is_100():
    # Lower is better, 9 months against 7–8: missed, so 8 is used: (1 + (1 − 9/8)) × 100 = 87.5%.
    assert capaian(Direction.LOWER_IS_BETTER, Target.range(7, 8), 9)[:2] == (87.5, 8)
    assert capaian(Direction.LOWER_IS_BETTER, Target.range(7, 8), 7.5)[0] == 100.0
    # Higher is better, 90–100%: 105 passes the upper bound (105/100), 81 misses the lower (81/90).
    assert capaian(Direction.HIGHER_IS_BETTER, Target.range(90, 100), 105)[:2] == (105.0, 100)
    assert capaian(Direction.HIGHER_IS_BETTER, Target.range(90, 100), 81)[:2] == (90.0, 90)


def test_lower_is_better_point_target():
    # 4 days against 5: (1 + (1 − 4/5)) × 100 = 120%; 10 days: (1 + (1 − 2)) × 100 = 0%.
    assert achievement(NAS, "UMUM-03", Target.point(5), 4).capaian == 120.0
    assert achievement(NAS, "UMUM-03", Target.point(5), 10).nilai == 0.0


# --- PermenPANRB 6/2022: the predikat matrix, every cell -------------------------------------


@pytest.mark.parametrize(("hasil", "perilaku", "predikat"), [
    (A, B, "kurang"), (A, S, "baik"), (A, A, "sangat_baik"),
    (S, B, "kurang"), (S, S, "baik"), (S, A, "baik"),
    (B, B, "sangat_kurang"), (B, S, "butuh_perbaikan"), (B, A, "butuh_perbaikan"),
])
def test_predikat_matrix(hasil, perilaku, predikat):
    evaluation = EvaluationInput("p", "Triwulan I 2026", hasil_kerja_rating=hasil, perilaku_rating=perilaku)
    result = period_result(NAS, evaluation)
    assert result.predikat_code == predikat
    # Issue #9: the steps read as words, not codes such as "di_atas".
    words = {h: h.value.replace("_", " ") + " ekspektasi" for h in (hasil, perilaku)}
    assert f"hasil kerja {words[hasil]} × perilaku {words[perilaku]}" in result.explain()


def test_matrix_suggests_hasil_kerja_rating_from_nilai_and_needs_perilaku():
    evaluation = EvaluationInput("p", "T1", (IndicatorRealisation("UMUM-01", Target.point(100), 98),),
                                 perilaku_rating=S)
    assert period_result(NAS, evaluation).hasil_kerja_rating == "di_bawah"   # nilai 88 < 90
    with pytest.raises(ScoringInputError):
        period_result(NAS, replace(evaluation, perilaku_rating=None))


# --- PP 30/2019: 70/30 and 60/40, bands, the innovation condition ------------------------------


def _numeric(rs, realisation, behaviours, innovation=False, **kw):
    return period_result(rs, EvaluationInput(
        "p", "T1", (IndicatorRealisation("UMUM-01", Target.point(100), realisation),),
        behaviours=tuple(behaviours), has_innovation=innovation, **kw))


def test_pp30_70_30():
    rs = pp30_rule_set("uji-pp30", "Uji", "1")
    # SKP: capaian 100% → 109; perilaku 100: 109 × 70% + 100 × 30% = 76.3 + 30 = 106.3 → Baik
    result = _numeric(rs, 100, [BehaviourAssessment("akuntabel", score=100)])
    assert (result.score, result.predikat_code) == (106.3, "baik")
    # SKP 120 (capaian 111%), perilaku 110: 84 + 33 = 117 → Baik, Sangat Baik only with innovation
    top = [BehaviourAssessment("akuntabel", score=110)]
    assert _numeric(rs, 111, top).predikat_label == "Baik"
    with_idea = _numeric(rs, 111, top, innovation=True)
    assert (with_idea.score, with_idea.predikat_label) == (117.0, "Sangat Baik")
    assert "dengan inovasi" in with_idea.explain()


def test_pp30_60_40_with_360():
    rs = pp30_rule_set("uji-360", "Uji", "1", with_360=True)   # atasan 50, rekan 25, bawahan 25
    behaviours = [BehaviourAssessment("akuntabel", Rater.ATASAN, 100),
                  BehaviourAssessment("akuntabel", Rater.REKAN, 80),
                  BehaviourAssessment("akuntabel", Rater.BAWAHAN, 90)]
    # perilaku = (50 × 100 + 25 × 80 + 25 × 90) / 100 = 92.5; SKP 98% → 88
    # 88 × 60% + 92.5 × 40% = 52.8 + 37 = 89.8 → Cukup (70 ≤ x < 90)
    result = _numeric(rs, 98, behaviours)
    assert [c.value for c in result.components] == [88.0, 92.5]
    assert (result.score, result.predikat_code) == (89.8, "cukup")


@pytest.mark.parametrize(("value", "innovation", "code"), [
    (0, False, "sangat_kurang"), (49.99, False, "sangat_kurang"), (50, False, "kurang"),
    (69.99, False, "kurang"), (70, False, "cukup"), (89.99, False, "cukup"), (90, False, "baik"),
    (110, False, "baik"), (120, False, "baik"), (109.99, True, "baik"), (110, True, "sangat_baik"),
    (120, True, "sangat_baik"),
])
def test_pp30_bands(value, innovation, code):
    assert band_for(PP30_BANDS, value, innovation).code == code


@pytest.mark.parametrize(("value", "code"), [
    (100, "sangat_baik"), (91, "sangat_baik"), (90, "baik"), (76, "baik"), (75, "cukup"),
    (61, "cukup"), (60, "kurang"), (51, "kurang"), (50, "buruk"), (0, "buruk"),
])
def test_pp46_bands(value, code):
    assert band_for(PP46_BANDS, value).code == code


def test_pp46_60_40():
    rs = pp30_rule_set("uji-pp46", "Uji", "1", scheme=PP46_SCHEME, components=PP46_COMPONENTS,
                       achievement_curve=PP46_CURVE)
    # SKP 80 × 60% + perilaku 85 × 40% = 48 + 34 = 82 → Baik (76–90)
    result = _numeric(rs, 80, [BehaviourAssessment("akuntabel", score=85)])
    assert (result.score, result.predikat_code) == (82.0, "baik")


def test_additional_work_adds_at_most_ten_points():
    rs = pp30_rule_set("uji-tambahan", "Uji", "1")
    result = _numeric(rs, 98, [BehaviourAssessment("akuntabel", score=90)], additional_points=15)
    assert result.components[0].value == 98.0   # 88 + 10, not 88 + 15


# --- the year ---------------------------------------------------------------------------


def test_annual_result_numeric_mean_last_lowest():
    rs = pp30_rule_set("uji-tahun", "Uji", "1")
    periodic = [_numeric(rs, r, [BehaviourAssessment("akuntabel", score=100)]) for r in (100, 98, 80)]
    scores = [p.score for p in periodic]   # 106.3, 91.6, 79.0
    assert scores == [106.3, 91.6, 79.0]
    assert annual_result(rs, periodic).score == round(sum(scores) / 3, 2)   # 92.3 → Baik
    assert annual_result(replace(rs, annual_aggregation=AnnualAggregation.LAST), periodic).predikat_code == "cukup"
    assert annual_result(replace(rs, annual_aggregation=AnnualAggregation.LOWEST), periodic).score == 79.0


def test_annual_result_matrix_mean_of_ranks_rounds_towards_weaker():
    results = [period_result(NAS, EvaluationInput("p", f"T{i}", hasil_kerja_rating=h, perilaku_rating=p))
               for i, (h, p) in enumerate([(A, A), (S, S)])]   # ranks 1 and 2 → 1.5 → 2 (Baik)
    assert annual_result(NAS, results).predikat_code == "baik"


# --- distribution curve ---------------------------------------------------------------------


def test_distribution_curve_quotas():
    # Unit rated Baik, 10 employees: at most 70% Baik (7) and at least one Butuh Perbaikan/Kurang.
    spread = ["baik"] * 8 + ["sangat_baik"] * 2
    check = check_distribution(NAS, "baik", spread)
    assert check.mode == "warn" and not check.blocks
    assert [v.predikat for v in check.violations] == [("baik",), ("butuh_perbaikan", "kurang")]
    fine = ["baik"] * 7 + ["sangat_baik", "sangat_baik", "butuh_perbaikan"]
    assert check_distribution(NAS, "baik", fine).ok


def test_distribution_small_units_rounding_and_block():
    block = replace(NAS, distribution=DistributionPolicy(DistributionMode.BLOCK, DISTRIBUTION_QUOTAS_6_2022))
    # Istimewa unit of 2, both Sangat Baik: 70% of 2 = 1.4 → lenient allows 2, strict allows 1.
    assert check_distribution(block, "istimewa", ["sangat_baik"] * 2).ok
    strict = replace(block, distribution=replace(block.distribution, rounding=SmallUnitRounding.STRICT))
    check = check_distribution(strict, "istimewa", ["sangat_baik"] * 2)
    assert check.blocks and "paling banyak 1 orang" in check.violations[0].message
    off = replace(NAS, distribution=DistributionPolicy(DistributionMode.OFF, DISTRIBUTION_QUOTAS_6_2022))
    assert check_distribution(off, "baik", ["baik"] * 10).ok


# --- training ---------------------------------------------------------------------------------


def test_training_recommendations_from_weak_behaviour_and_indicator():
    evaluation = EvaluationInput(
        "p", "T1", (IndicatorRealisation("UMUM-03", Target.point(5), 8),),
        behaviours=(BehaviourAssessment("berorientasi-pelayanan", rating=B),),
        hasil_kerja_rating=S, perilaku_rating=B)
    result = period_result(NAS, evaluation)
    codes = {r.code for r in training_recommendations(NAS, result, evaluation)}
    assert codes == {"pelayanan-prima", "manajemen-waktu"}
