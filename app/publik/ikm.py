"""The satisfaction index (IKM) of PermenPANRB 14/2017 — pure functions.

* Each of the nine elements (unsur) is answered 1–4. Its mean over the
  respondents is the element's NRR (nilai rata-rata).
* IKM = the mean of the nine element means × 25 (each element weighted
  exactly 1/9; the regulation's worked examples round the weight to 0.111,
  which would put a perfect survey at 99.9 instead of 100 — we do not).
* Quality band: A 88.31–100 (Sangat Baik), B 76.61–88.30 (Baik),
  C 65.00–76.60 (Kurang Baik), D 25.00–64.99 (Tidak Baik).

Rounding, decided once: everything is computed exactly (fractions); the
index is then rounded half up to two decimals, and the band is read from
the rounded index. So 88.305 is shown as 88.31 and is band A, and every
two-decimal value falls in exactly one band (no gaps between 88.30 and
88.31). Element means are rounded the same way, for display only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ELEMENTS: tuple[tuple[str, str], ...] = (
    ("U1", "Persyaratan"),
    ("U2", "Sistem, mekanisme, dan prosedur"),
    ("U3", "Waktu penyelesaian"),
    ("U4", "Biaya/tarif"),
    ("U5", "Produk spesifikasi jenis pelayanan"),
    ("U6", "Kompetensi pelaksana"),
    ("U7", "Perilaku pelaksana"),
    ("U8", "Penanganan pengaduan, saran, dan masukan"),
    ("U9", "Sarana dan prasarana"),
)
SCALE = (1, 2, 3, 4)
CONVERSION = 25  # IKM = mean NRR × 25

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class QualityBand:
    code: str  # "A" … "D"
    label: str  # mutu pelayanan, in Indonesian
    lower: Decimal  # inclusive, on the two-decimal index


BANDS: tuple[QualityBand, ...] = (
    QualityBand("A", "Sangat Baik", Decimal("88.31")),
    QualityBand("B", "Baik", Decimal("76.61")),
    QualityBand("C", "Kurang Baik", Decimal("65.00")),
    QualityBand("D", "Tidak Baik", Decimal("25.00")),
)


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    element_means: tuple[Decimal, ...]  # NRR per element, two decimals
    index: Decimal  # two decimals
    band: QualityBand


class IkmInputError(ValueError):
    """Answers that are not nine values on the 1–4 scale."""


def round_half_up(value: Fraction | Decimal | float | int) -> Decimal:
    """Two decimals, half up (88.305 → 88.31), computed without float error."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(value))
    return exact.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def quality_band(index: Decimal | float | str) -> QualityBand:
    """The band of an index; the index is first rounded to two decimals."""
    value = round_half_up(Decimal(str(index)))
    if value > Decimal("100") or value < BANDS[-1].lower:
        raise IkmInputError(f"IKM {value} is outside 25.00–100.00.")
    return next(band for band in BANDS if value >= band.lower)


def _check(answers: Sequence[int]) -> None:
    if len(answers) != len(ELEMENTS):
        raise IkmInputError(f"Expected {len(ELEMENTS)} answers, got {len(answers)}.")
    if any(a not in SCALE for a in answers):
        raise IkmInputError(f"Answers must be 1–4: {tuple(answers)}.")


def exact_element_means(responses: Sequence[Sequence[int]]) -> tuple[Fraction, ...]:
    """NRR per element as exact fractions."""
    if not responses:
        raise IkmInputError("No responses.")
    for answers in responses:
        _check(answers)
    n = len(responses)
    return tuple(Fraction(sum(r[i] for r in responses), n) for i in range(len(ELEMENTS)))


def index_from_means(means: Sequence[Fraction | Decimal | float]) -> Decimal:
    """IKM from the nine element means: their mean × 25, two decimals."""
    if len(means) != len(ELEMENTS):
        raise IkmInputError(f"Expected {len(ELEMENTS)} element means, got {len(means)}.")
    exact = [m if isinstance(m, Fraction) else Fraction(Decimal(str(m))) for m in means]
    return round_half_up(sum(exact, Fraction(0)) / len(exact) * CONVERSION)


def ikm(responses: Sequence[Sequence[int]]) -> IkmResult:
    """The full result for a set of responses (each nine answers, 1–4)."""
    means = exact_element_means(responses)
    index = index_from_means(means)
    return IkmResult(len(responses), tuple(round_half_up(m) for m in means), index, quality_band(index))


def ikm_from_sums(respondents: int, element_sums: Sequence[int]) -> IkmResult:
    """The same result from per-element sums (what an SQL aggregate returns)."""
    if respondents <= 0:
        raise IkmInputError("No responses.")
    if len(element_sums) != len(ELEMENTS):
        raise IkmInputError(f"Expected {len(ELEMENTS)} element sums, got {len(element_sums)}.")
    means = tuple(Fraction(int(s), respondents) for s in element_sums)
    if any(m < 1 or m > 4 for m in means):
        raise IkmInputError("Element sums are outside the 1–4 scale.")
    index = index_from_means(means)
    return IkmResult(respondents, tuple(round_half_up(m) for m in means), index, quality_band(index))
