"""Issue #9: scores are exact decimals rounded half-up to two places; the band is decided on the shown value."""

from __future__ import annotations

from decimal import Decimal

from app.regions.api import PP30_BANDS, band_for, round_score


def test_half_up_on_the_decimal_that_was_typed():
    assert round_score(89.995) == Decimal("90.00")  # float round() gives 89.99 here
    assert round_score(89.994) == Decimal("89.99")
    assert round_score(Decimal("100.405")) == Decimal("100.41")


def test_the_band_is_decided_on_the_value_shown():
    shown = round_score(89.999)
    assert f"{shown:.2f}" == "90.00"
    assert band_for(PP30_BANDS, 89.999).code == band_for(PP30_BANDS, float(shown)).code == "baik"
