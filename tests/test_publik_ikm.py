"""IKM (PermenPANRB 14/2017) against hand-computed examples, band edges included."""

from decimal import Decimal

import pytest

from app.publik.ikm import IkmInputError, ikm, ikm_from_sums, index_from_means, quality_band


def responses_with_total(n: int, total: int) -> list[list[int]]:
    """n responses of nine answers (1–4) whose answers add up to ``total``."""
    assert 9 * n <= total <= 36 * n
    answers = [1] * (9 * n)
    extra = total - 9 * n
    for i in range(len(answers)):
        step = min(3, extra)
        answers[i] += step
        extra -= step
    return [answers[i * 9:(i + 1) * 9] for i in range(n)]


def test_perfect_and_worst_surveys():
    assert ikm([[4] * 9]).index == Decimal("100.00")
    assert ikm([[4] * 9]).band.code == "A"
    assert ikm([[1] * 9] * 3).index == Decimal("25.00")
    assert ikm([[1] * 9] * 3).band.code == "D"


def test_two_respondents_by_hand():
    # Element sums 7 8 6 5 6 7 8 5 6 → NRR 3.5 4 3 2.5 3 3.5 4 2.5 3; mean 29/9; × 25 = 80.555… → 80.56 (B).
    result = ikm([[4, 4, 3, 3, 3, 3, 4, 2, 3], [3, 4, 3, 2, 3, 4, 4, 3, 3]])
    assert result.respondents == 2
    assert result.element_means == tuple(Decimal(x) for x in
                                         ("3.50", "4.00", "3.00", "2.50", "3.00", "3.50", "4.00", "2.50", "3.00"))
    assert result.index == Decimal("80.56")
    assert (result.band.code, result.band.label) == ("B", "Baik")


@pytest.mark.parametrize("index, band", [
    ("100", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
    ("65.00", "C"), ("64.99", "D"), ("25.00", "D"),
    # Rounded half up to two decimals first, then banded:
    ("88.305", "A"), ("88.3049", "B"), ("76.605", "B"), ("64.995", "C"), ("64.9949", "D"),
])
def test_band_edges(index, band):
    assert quality_band(index).code == band


@pytest.mark.parametrize("bad", ["24.99", "100.01", "0"])
def test_out_of_range_index_is_refused(bad):
    with pytest.raises(IkmInputError):
        quality_band(bad)


# IKM = 25 × S / (9 n) for n respondents whose answers sum to S, worked by hand:
@pytest.mark.parametrize("n, total, index, band", [
    (100, 3179, "88.31", "A"),  # 79475/900 = 88.3055… → 88.31
    (100, 3178, "88.28", "B"),  # 79450/900 = 88.2777…
    (250, 7947, "88.30", "B"),  # 7947/90 = 88.3 exactly
    (250, 7948, "88.31", "A"),  # 88.311…
    (100, 2758, "76.61", "B"),  # 68950/900 = 76.6111…
    (125, 3447, "76.60", "C"),  # 86175/1125 = 76.6 exactly
    (5, 117, "65.00", "C"),  # 2925/45 = 65 exactly
    (250, 5849, "64.99", "D"),  # 5849/90 = 64.9888…
    (5, 116, "64.44", "D"),
])
def test_responses_at_the_band_edges(n, total, index, band):
    responses = responses_with_total(n, total)
    result = ikm(responses)
    assert result.index == Decimal(index)
    assert result.band.code == band
    sums = [sum(r[i] for r in responses) for i in range(9)]
    assert ikm_from_sums(n, sums) == result


def test_each_element_weighs_exactly_one_ninth():
    # With the regulation's rounded weight 0.111 a perfect survey would be 99.90.
    assert index_from_means([4] * 9) == Decimal("100.00")
    assert index_from_means([Decimal("3.5")] * 8 + [Decimal("4")]) == Decimal("88.89")


@pytest.mark.parametrize("bad", [[[4] * 8], [[5] + [4] * 8], [[0] * 9], []])
def test_invalid_answers_are_refused(bad):
    with pytest.raises(IkmInputError):
        ikm(bad)
