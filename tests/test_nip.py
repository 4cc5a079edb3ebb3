from datetime import date

import pytest

from app.org.nip import EmployeeType, NipError, Sex, format_nip, mask_nip, validate_nip

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _ctx(app_context):
    """Error messages are lazy strings: they need an app."""


def test_valid_pns_nip_is_decoded():
    info = validate_nip("196804111993031009", EmployeeType.PNS, TODAY)
    assert info.birth_date == date(1968, 4, 11)
    assert (info.appointment_year, info.appointment_month) == (1993, 3)
    assert info.sex is Sex.L
    assert info.sequence == 9


def test_display_form_with_spaces_is_accepted_and_formatted():
    info = validate_nip("19680411 199303 1 009", "PNS", TODAY)
    assert format_nip(info.nip) == "19680411 199303 1 009"


def test_valid_pppk_nip_has_a_year_and_code_not_a_month():
    # Digits 9-12: appointment year 2023; 13-14: code 21 (would be month 21 for a PNS).
    info = validate_nip("199002142023212001", EmployeeType.PPPK, TODAY)
    assert info.appointment_year == 2023
    assert info.appointment_month is None
    assert info.sex is Sex.P


def test_pppk_nip_is_not_valid_under_the_pns_rule():
    with pytest.raises(NipError) as exc:
        validate_nip("199002142023212001", EmployeeType.PNS, TODAY)
    assert exc.value.code == "appointment"


@pytest.mark.parametrize(
    "nip, code",
    [
        ("196802301993031009", "birth_date"),  # 30 February
        ("196813111993031009", "birth_date"),  # month 13
        ("203001011993031009", "birth_date"),  # born in the future
        ("196804111993131009", "appointment"),  # TMT month 13
        ("196804111960031009", "appointment"),  # appointed before birth
        ("196804112030031009", "appointment"),  # appointed in the future
        ("196804111975031009", "appointment"),  # appointed at six years old
        ("196804111993033009", "sex"),  # sex digit 3
        ("196804111993030009", "sex"),  # sex digit 0
        ("196804111993031000", "sequence"),  # sequence 000
        ("19680411199303100", "length"),  # 17 digits
        ("1968041119930310091", "length"),  # 19 digits
        ("19680411199303100X", "length"),  # not digits
        ("", "length"),
    ],
)
def test_impossible_nips_are_refused_with_the_reason(nip, code):
    with pytest.raises(NipError) as exc:
        validate_nip(nip, EmployeeType.PNS, TODAY)
    assert exc.value.code == code
    assert str(exc.value.message)  # a message for the user


def test_pppk_impossible_dates_refused():
    with pytest.raises(NipError) as exc:
        validate_nip("199002302023212001", EmployeeType.PPPK, TODAY)
    assert exc.value.code == "birth_date"
    with pytest.raises(NipError) as exc:
        validate_nip("199002141989212001", EmployeeType.PPPK, TODAY)
    assert exc.value.code == "appointment"


def test_mask_keeps_only_the_last_three_digits():
    assert mask_nip("196804111993031009") == "*" * 15 + "009"
    assert "19680411" not in mask_nip("196804111993031009")


@pytest.mark.parametrize("nip", [
    "19680411199303100²",  # a superscript two: isdigit() says yes, int() says no
    "١٩٦٨٠٤١١١٩٩٣٠٣1٠٠٩",  # Arabic-Indic digits around an ASCII sex digit
    "１９６８０４１１１９９３０３１００９",  # full-width digits
])
def test_only_ascii_digits_make_a_nip(nip):
    with pytest.raises(NipError) as exc:
        validate_nip(nip, EmployeeType.PNS, TODAY)
    assert exc.value.code == "length"



@pytest.mark.parametrize(("term", "bounds"), [
    ("1980 0101", ["19800101", "19800102"]),
    ("1299", ["1299", "13"]),  # trailing nines: the next prefix up, not "129:"
    ("999", ["999"]),          # nothing sorts after every NIP starting with 999
])
def test_a_nip_prefix_is_a_range_whose_bounds_are_digits(term, bounds):
    # Digits only, so the range holds in any collation (":" after "9" holds only in "C").
    from app.org.search import nip_prefix

    assert list(nip_prefix(term).compile().params.values()) == bounds


@pytest.mark.parametrize("term", ["²", "１２３", "12a", "٣", ""])
def test_a_term_that_is_not_ascii_digits_is_no_nip_prefix(term):
    from app.org.search import nip_prefix

    assert nip_prefix(term) is None
