"""A period's result and the annual result, as pure functions of a rule set
(or its snapshot) and typed inputs. Every result says how it was reached.

Two schemes exist (``RuleSet.scheme``):

* ``MatrixScheme`` — PermenPANRB 6/2022: the penilai rates hasil kerja and
  perilaku against expectations and the matrix gives the predikat;
* ``NumericScheme`` — PP 30/2019 / PP 46/2011 and regional variants: weighted
  components make a score 0–120 (0–100), bands make it a predikat.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import mean
from typing import Any

from app.regions.achievement import Achievement, achievement
from app.regions.inputs import EvaluationInput
from app.regions.snapshot import as_rule_set, jsonable
from app.regions.types import (
    AnnualAggregation,
    Band,
    Component,
    ComponentSource,
    Expectation,
    MatrixScheme,
    NumericScheme,
    Rater,
    RuleSet,
)


class ScoringInputError(ValueError):
    """The inputs are incomplete or inconsistent (not a plugin fault)."""


@dataclass(frozen=True)
class ComponentScore:
    code: str
    name: str
    weight: float
    value: float
    weighted: float


@dataclass(frozen=True)
class PeriodResult:
    """One employee's result for one period."""

    rule_set_code: str
    rule_set_version: str
    scheme: str
    employee_ref: str
    period_label: str
    achievements: tuple[Achievement, ...]
    components: tuple[ComponentScore, ...]
    hasil_kerja_rating: str | None
    perilaku_rating: str | None
    score: float | None
    predikat_code: str
    predikat_label: str
    steps: tuple[str, ...]
    has_innovation: bool = False

    def explain(self) -> str:
        return "\n".join(self.steps)

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


@dataclass(frozen=True)
class AnnualResult:
    rule_set_code: str
    rule_set_version: str
    aggregation: str
    periods: tuple[str, ...]
    score: float | None
    predikat_code: str
    predikat_label: str
    steps: tuple[str, ...]

    def explain(self) -> str:
        return "\n".join(self.steps)

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


# --- words for the steps (codes never reach the screen) -----------------------------

_EXPECTATION_TEXT = {
    Expectation.DI_ATAS: "di atas ekspektasi",
    Expectation.SESUAI: "sesuai ekspektasi",
    Expectation.DI_BAWAH: "di bawah ekspektasi",
}
_AGGREGATION_TEXT = {
    AnnualAggregation.MEAN: "rata-rata",
    AnnualAggregation.LAST: "terakhir",
    AnnualAggregation.LOWEST: "terendah",
}


def _expectation(value: Expectation) -> str:
    return _EXPECTATION_TEXT.get(value, value.value)


# --- rounding ---------------------------------------------------------------------

TWO_PLACES = Decimal("0.01")


def round_score(value: float | Decimal | int) -> Decimal:
    """The one rounding rule of scores: exact decimal, half-up to two places.

    A float is read by its shortest decimal representation (``89.995`` is
    89.995, not 89.99499…), so 89.995 → 90.00 and 89.994 → 89.99. Applied to
    each component, to a numeric total, to a matrix hasil kerja nilai, to the
    annual score and to an objection's new score; bands are decided on the
    rounded value, which is the value shown.
    """
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    if not exact.is_finite():
        raise ScoringInputError(f"Nilai {value} bukan angka.")
    return exact.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _rounded(value: float | Decimal) -> float:
    """``round_score`` as the float the results carry (exactly the two-place value)."""
    return float(round_score(value))


# --- bands ------------------------------------------------------------------------


def band_for(bands: Sequence[Band], value: float, has_innovation: bool = False) -> Band:
    """The band ``value`` falls in; conditional (innovation) bands win when met.

    The band is decided on the value rounded half-up to two places — the value
    shown — never on more digits than the page shows."""
    value = _rounded(value)
    for band in bands:
        if band.requires_innovation and has_innovation and band.contains(value):
            return band
    for band in bands:
        if not band.requires_innovation and band.contains(value):
            return band
    raise ScoringInputError(f"Nilai {value} di luar rentang predikat.")


# --- a period ---------------------------------------------------------------------


def period_result(
    rule_set: RuleSet | Mapping[str, Any], evaluation: EvaluationInput
) -> PeriodResult:
    """Score one employee's period with ``rule_set`` (or a stored snapshot)."""
    rs = as_rule_set(rule_set)
    achievements = tuple(
        achievement(rs, r.indicator_code, r.target, r.realisation)
        for r in evaluation.indicator_results
    )
    steps = [f"rule set {rs.code} {rs.version}, {evaluation.period_label}"]
    steps += [f"{a.indicator_code}: capaian {a.capaian:.2f}% → nilai {a.nilai:.2f}" for a in achievements]
    if isinstance(rs.scheme, MatrixScheme):
        return _matrix_result(rs, rs.scheme, evaluation, achievements, steps)
    if isinstance(rs.scheme, NumericScheme):
        return _numeric_result(rs, rs.scheme, evaluation, achievements, steps)
    raise ScoringInputError(f"Rule set {rs.code} has no scoring scheme.")


def _hasil_kerja_nilai(
    scheme: NumericScheme | MatrixScheme,
    evaluation: EvaluationInput,
    achievements: Sequence[Achievement],
    steps: list[str],
) -> float:
    if not achievements:
        raise ScoringInputError("Belum ada realisasi indikator untuk dinilai.")
    base = mean(a.nilai for a in achievements)
    extra = 0.0
    if isinstance(scheme, NumericScheme):
        extra = min(max(evaluation.additional_points, 0.0), scheme.max_additional_points)
    value = _rounded(min(base + extra, scheme.maximum))
    steps.append(
        f"hasil kerja = rata-rata nilai IKI {base:.2f}"
        + (f" + tugas tambahan {extra:g} (maks. {scheme.max_additional_points:g})" if extra else "")
        + f" = {value:.2f}"
    )
    return value


def _perilaku_nilai(rs: RuleSet, evaluation: EvaluationInput, steps: list[str]) -> float:
    scored = [b for b in evaluation.behaviours if b.score is not None]
    groups: dict[Rater, list[float]] = {}
    for b in scored:
        groups.setdefault(b.rater, []).append(float(b.score))  # type: ignore[arg-type]
    if rs.rater_weights:
        if Rater.MASYARAKAT not in groups and evaluation.unit_satisfaction is not None:
            groups[Rater.MASYARAKAT] = [evaluation.unit_satisfaction.ikm]
            steps.append(
                f"penilaian masyarakat = IKM unit {evaluation.unit_satisfaction.unit_code}"
                f" {evaluation.unit_satisfaction.ikm:.2f}"
            )
        weights = {r: w for r, w in rs.rater_weights if r in groups}
        if not weights:
            raise ScoringInputError("Belum ada penilaian perilaku.")
        total_weight = sum(weights.values())
        value = sum(w * mean(groups[r]) for r, w in weights.items()) / total_weight
        parts = " + ".join(f"{w:g}% × {r.value} {mean(groups[r]):.2f}" for r, w in weights.items())
        note = "" if total_weight == 100 else f" (dibagi {total_weight:g}: tidak semua pihak menilai)"
        steps.append(f"perilaku 360° = ({parts}) / {total_weight:g}{note} = {value:.2f}")
        return value
    atasan = groups.get(Rater.ATASAN) or [s for g in groups.values() for s in g]
    if not atasan:
        raise ScoringInputError("Belum ada penilaian perilaku.")
    value = mean(atasan)
    steps.append(f"perilaku = rata-rata {len(atasan)} nilai perilaku = {value:.2f}")
    return value


def _component_value(
    rs: RuleSet,
    scheme: NumericScheme,
    component: Component,
    evaluation: EvaluationInput,
    achievements: Sequence[Achievement],
    steps: list[str],
) -> float:
    source = component.source
    if source is ComponentSource.HASIL_KERJA:
        return _hasil_kerja_nilai(scheme, evaluation, achievements, steps)
    if source is ComponentSource.PERILAKU:
        return _perilaku_nilai(rs, evaluation, steps)
    if source is ComponentSource.UNIT_IKM:
        if evaluation.unit_satisfaction is None:
            raise ScoringInputError(f"Komponen {component.name} memerlukan IKM unit kerja.")
        steps.append(f"{component.code} = IKM unit {evaluation.unit_satisfaction.ikm:.2f}")
        return evaluation.unit_satisfaction.ikm
    if source is ComponentSource.PELATIHAN:
        hours = evaluation.training.hours if evaluation.training else 0.0
        value = min(hours / rs.required_training_hours, 1.0) * 100 if rs.required_training_hours else 100.0
        steps.append(
            f"{component.code} = min({hours:g} JP / {rs.required_training_hours:g} JP, 1) × 100 = {value:.2f}"
        )
        return value
    value = next((c.value for c in evaluation.component_values if c.component_code == component.code), None)
    if value is None:
        raise ScoringInputError(f"Komponen {component.name} belum diisi.")
    steps.append(f"{component.code} = {value:g} (diisi penilai)")
    return float(value)


def _numeric_result(rs, scheme: NumericScheme, evaluation, achievements, steps) -> PeriodResult:
    scores = []
    for component in rs.components:
        value = _component_value(rs, scheme, component, evaluation, achievements, steps)
        value = min(max(value, scheme.minimum), scheme.maximum)
        exact = round_score(value)
        weighted = exact * Decimal(repr(float(component.weight))) / 100
        scores.append(ComponentScore(component.code, component.name, component.weight,
                                     float(exact), _rounded(weighted)))
    total = _rounded(sum((round_score(s.value) * Decimal(repr(float(s.weight))) / 100 for s in scores),
                         Decimal(0)))
    formula = " + ".join(f"{s.value:.2f} × {s.weight:g}%" for s in scores)
    steps.append(f"nilai kinerja = {formula} = {total:.2f}")
    band = band_for(scheme.bands, total, evaluation.has_innovation)
    condition = " dengan inovasi" if band.requires_innovation else ""
    steps.append(f"{total:.2f}{condition} → {band.label}")
    return PeriodResult(
        rs.code, rs.version, scheme.kind, evaluation.employee_ref, evaluation.period_label,
        achievements, tuple(scores), None, None, total, band.code, band.label, tuple(steps),
        evaluation.has_innovation,
    )


def _matrix_result(rs, scheme: MatrixScheme, evaluation, achievements, steps) -> PeriodResult:
    nilai = None
    if achievements:
        nilai = _rounded(_hasil_kerja_nilai(scheme, evaluation, achievements, steps))
    hasil = evaluation.hasil_kerja_rating
    if hasil is None:
        if nilai is None or not scheme.hasil_kerja_rating_bands:
            raise ScoringInputError("Penilai belum menilai hasil kerja.")
        hasil = Expectation(band_for(scheme.hasil_kerja_rating_bands, nilai).code)
        steps.append(f"hasil kerja (usulan dari nilai {nilai:.2f}) = {_expectation(hasil)}")
    perilaku = evaluation.perilaku_rating
    if perilaku is None:
        raise ScoringInputError("Penilai belum menilai perilaku kerja.")
    return _matrix_lookup(rs, scheme, evaluation, achievements, nilai, hasil, perilaku, steps)


def _matrix_lookup(rs, scheme, evaluation, achievements, nilai, hasil, perilaku, steps) -> PeriodResult:
    cell = next(c for c in scheme.cells if c.hasil_kerja is hasil and c.perilaku is perilaku)
    pred = next(p for p in scheme.predikat if p.code == cell.predikat)
    steps.append(f"matriks: hasil kerja {_expectation(hasil)} × perilaku {_expectation(perilaku)} → {pred.label}")
    return PeriodResult(
        rs.code, rs.version, scheme.kind, evaluation.employee_ref, evaluation.period_label,
        achievements, (), hasil.value, perilaku.value, nilai, pred.code, pred.label, tuple(steps),
        evaluation.has_innovation,
    )


# --- the year ----------------------------------------------------------------------


def annual_result(
    rule_set: RuleSet | Mapping[str, Any],
    periodic: Sequence[PeriodResult],
    has_innovation: bool = False,
) -> AnnualResult:
    """The annual result from the periodic ones, by ``rule_set.annual_aggregation``."""
    rs = as_rule_set(rule_set)
    if not periodic:
        raise ScoringInputError("Belum ada hasil periodik.")
    how = rs.annual_aggregation
    labels = tuple(p.period_label for p in periodic)
    steps = [f"rule set {rs.code} {rs.version}: tahunan = {_AGGREGATION_TEXT[how]} dari {', '.join(labels)}"]
    if isinstance(rs.scheme, NumericScheme):
        values = [p.score for p in periodic if p.score is not None]
        if how is AnnualAggregation.LAST:
            score = values[-1]
        elif how is AnnualAggregation.LOWEST:
            score = min(values)
        else:
            score = mean(Decimal(repr(float(v))) for v in values)
        score = _rounded(score)
        band = band_for(rs.scheme.bands, score, has_innovation)
        steps.append(f"{_AGGREGATION_TEXT[how]}({', '.join(f'{v:.2f}' for v in values)}) = {score:.2f} → {band.label}")
        return AnnualResult(rs.code, rs.version, how.value, labels, score, band.code, band.label, tuple(steps))
    if isinstance(rs.scheme, MatrixScheme):
        ranks = {p.code: p.rank for p in rs.scheme.predikat}
        period_ranks = [ranks[p.predikat_code] for p in periodic]
        if how is AnnualAggregation.LAST:
            rank = period_ranks[-1]
        elif how is AnnualAggregation.LOWEST:
            rank = max(period_ranks)
        else:
            rank = math.floor(mean(period_ranks) + 0.5)  # half up: toward the weaker predikat
        pred = next(p for p in rs.scheme.predikat if p.rank == rank)
        steps.append(f"peringkat periodik {period_ranks} → peringkat {rank} = {pred.label}")
        return AnnualResult(rs.code, rs.version, how.value, labels, None, pred.code, pred.label, tuple(steps))
    raise ScoringInputError(f"Rule set {rs.code} has no scoring scheme.")
