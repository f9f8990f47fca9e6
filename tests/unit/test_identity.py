from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.identity import (
    ID_TYPES,
    IdentityInfo,
    check_agreement,
    check_id,
    mask_id,
    mod11_2_check_char,
)

TODAY = date(2026, 6, 1)


def _with_check(first17: str) -> str:
    return first17 + mod11_2_check_char(first17)


def _codes(id_type: str, number: str, today: date = TODAY) -> list[str]:
    return [p.code for p in check_id(id_type, number, today)[1]]


def test_id_types_are_the_five_documented_types() -> None:
    assert ID_TYPES == (
        "resident_id_card",
        "social_security_card",
        "hkmt_residence_permit",
        "hk_macao_permit",
        "taiwan_permit",
    )


@pytest.mark.parametrize(
    ("number", "gender", "birth"),
    [
        ("410302199001019018", "male", date(1990, 1, 1)),
        ("410311200306159021", "female", date(2003, 6, 15)),
        ("410305196503109131", "male", date(1965, 3, 10)),
        ("41030719950520311X", "male", date(1995, 5, 20)),
        ("410323198808086243", "female", date(1988, 8, 8)),
    ],
)
@pytest.mark.parametrize("id_type", ["resident_id_card", "social_security_card"])
def test_valid_resident_numbers_yield_gender_birth_and_division(
    id_type: str, number: str, gender: str, birth: date
) -> None:
    info, problems = check_id(id_type, number, TODAY)
    assert problems == []
    assert info == IdentityInfo(
        normalized=number,
        identity_key=number,
        birth_date=birth,
        gender=gender,
        division=number[:6],
    )


def test_lowercase_x_is_accepted_and_stored_uppercase() -> None:
    info, problems = check_id("resident_id_card", "41030719950520311x", TODAY)
    assert problems == []
    assert info is not None
    assert info.normalized == "41030719950520311X"
    assert info.identity_key == "41030719950520311X"


def test_surrounding_whitespace_is_ignored() -> None:
    info, problems = check_id("resident_id_card", " 410302199001019018 ", TODAY)
    assert problems == []
    assert info is not None and info.normalized == "410302199001019018"


def test_division_code_is_not_checked_against_a_dated_table() -> None:
    # 410302 did not exist before 1983; stdnum's table would reject this.
    number = _with_check("41030219600101123")
    assert _codes("resident_id_card", number) == []


@pytest.mark.parametrize(
    "number",
    [
        "41030219900101901",  # 17 chars
        "4103021990010190188",  # 19 chars
        "41030219900101901A",  # letter other than X
        "4103021990X1019018",  # X not in last position
        "４１０３０２199001019018",  # full-width digits
        "410302-99001019018",
    ],
)
def test_malformed_resident_numbers_report_format_only(number: str) -> None:
    info, problems = check_id("resident_id_card", number, TODAY)
    assert info is None
    assert [p.code for p in problems] == ["id_number.format"]
    assert problems[0].field == "applicant.id_number"


@pytest.mark.parametrize(
    ("number", "wrong"),
    [
        ("410302199001019018", "7"),
        ("41030719950520311X", "0"),
        ("410323198808086243", "X"),
    ],
)
def test_wrong_check_character_is_reported(number: str, wrong: str) -> None:
    info, problems = check_id("resident_id_card", number[:17] + wrong, TODAY)
    assert info is None
    assert [p.code for p in problems] == ["id_number.check_digit"]


@pytest.mark.parametrize(
    "first17",
    [
        "41030219900230901",
        "41030219901301901",
        "41030219900100901",
        "41030219890229901",
    ],
)
def test_impossible_birth_dates_are_reported(first17: str) -> None:
    assert _codes("resident_id_card", _with_check(first17)) == ["id_number.birth_date"]


def test_birth_date_after_today_is_reported() -> None:
    number = _with_check("41030220260602901")
    assert _codes("resident_id_card", number) == ["id_number.future_birth_date"]


def test_birth_date_equal_to_today_is_accepted() -> None:
    number = _with_check("41030220260601901")
    assert _codes("resident_id_card", number) == []


@pytest.mark.parametrize(
    "prefix", ["810000", "820000", "830000", "710000", "000000", "990000", "160000"]
)
def test_non_mainland_province_is_a_division_problem_for_resident_ids(
    prefix: str,
) -> None:
    number = _with_check(prefix + "19900101901")
    assert _codes("resident_id_card", number) == ["id_number.division"]
    assert _codes("social_security_card", number) == ["id_number.division"]


@pytest.mark.parametrize(
    "province", ["11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65"]
)
def test_every_mainland_province_boundary_is_accepted(province: str) -> None:
    assert _codes("resident_id_card", _with_check(province + "010219900101901")) == []


def test_all_independent_problems_are_reported_together() -> None:
    number = "810000" + "19900230" + "901" + "0"
    assert mod11_2_check_char(number[:17]) != "0"
    assert _codes("resident_id_card", number) == [
        "id_number.division",
        "id_number.birth_date",
        "id_number.check_digit",
    ]


@pytest.mark.parametrize("division", ["810000", "820000", "830000"])
def test_residence_permits_with_hkmt_division_are_valid(division: str) -> None:
    number = _with_check(division + "19851231002")
    info, problems = check_id("hkmt_residence_permit", number, TODAY)
    assert problems == []
    assert info == IdentityInfo(number, number, date(1985, 12, 31), "female", division)


@pytest.mark.parametrize("division", ["410302", "810100", "710000"])
def test_residence_permit_with_other_division_is_rejected(division: str) -> None:
    number = _with_check(division + "19851231002")
    assert _codes("hkmt_residence_permit", number) == ["id_number.division"]


def test_residence_permit_check_character_is_verified() -> None:
    first17 = "81000019851231002"
    wrong = "0" if mod11_2_check_char(first17) != "0" else "1"
    assert _codes("hkmt_residence_permit", first17 + wrong) == ["id_number.check_digit"]


@pytest.mark.parametrize(
    ("number", "normalized", "key"),
    [
        ("H12345678", "H12345678", "H12345678"),
        ("M87654321", "M87654321", "M87654321"),
        ("H1234567801", "H1234567801", "H12345678"),
        ("m8765432103", "M8765432103", "M87654321"),
    ],
)
def test_hk_macao_permits_use_first_nine_chars_as_identity(
    number: str, normalized: str, key: str
) -> None:
    info, problems = check_id("hk_macao_permit", number, TODAY)
    assert problems == []
    assert info == IdentityInfo(normalized, key, None, None, None)


@pytest.mark.parametrize(
    "number",
    ["K12345678", "H1234567", "H123456780", "H123456789012", "12345678", "HA2345678"],
)
def test_malformed_hk_macao_permits_are_rejected(number: str) -> None:
    assert _codes("hk_macao_permit", number) == ["id_number.format"]


@pytest.mark.parametrize(
    ("number", "normalized"),
    [
        ("12345678", "12345678"),
        ("1234567801", "1234567801"),
        ("12345678b", "12345678B"),
        ("1234567801B", "1234567801B"),
    ],
)
def test_taiwan_permits_use_the_eight_digits_as_identity(number: str, normalized: str) -> None:
    info, problems = check_id("taiwan_permit", number, TODAY)
    assert problems == []
    assert info == IdentityInfo(normalized, "12345678", None, None, None)


@pytest.mark.parametrize(
    "number",
    ["1234567", "123456789", "12345678BB", "A1234567", "12345678B01", "T12345678"],
)
def test_malformed_taiwan_permits_are_rejected(number: str) -> None:
    assert _codes("taiwan_permit", number) == ["id_number.format"]


@pytest.mark.parametrize(
    ("field", "type_field"),
    [("applicant.id_number", "applicant.id_type"), ("id_number", "id_type")],
)
def test_unknown_id_type_is_reported_on_the_type_field(field: str, type_field: str) -> None:
    info, problems = check_id("passport", "E12345678", TODAY, field)
    assert info is None
    assert [(p.field, p.code) for p in problems] == [(type_field, "id_type.unknown")]


@pytest.mark.parametrize("id_type", ID_TYPES)
@pytest.mark.parametrize("number", ["", "   "])
def test_blank_number_is_required(id_type: str, number: str) -> None:
    assert _codes(id_type, number) == ["id_number.required"]


def test_problems_use_the_given_field() -> None:
    _, problems = check_id("resident_id_card", "123", TODAY, "agent.id_number")
    assert [p.field for p in problems] == ["agent.id_number"]
    assert all(p.message for p in problems)


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("41030219900101901", "8"),
        ("41031120030615902", "1"),
        ("41030719950520311", "X"),
        ("11010519491231002", "X"),
    ],
)
def test_mod11_2_check_char_matches_known_numbers(first17: str, check: str) -> None:
    assert mod11_2_check_char(first17) == check


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "4103021990010190",
        "410302199001019018",
        "4103021990010190X",
        "４1030219900101901",
    ],
)
def test_mod11_2_check_char_rejects_anything_but_17_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        mod11_2_check_char(bad)


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("410302199001019018", "4103**********9018"),
        ("41030719950520311X", "4103**********311X"),
        ("H1234567801", "H1*******01"),
        ("H12345678", "H1*****78"),
        ("12345678", "12****78"),
        ("123", "***"),
        ("", ""),
    ],
)
def test_mask_id_hides_the_middle(number: str, masked: str) -> None:
    assert mask_id(number) == masked


def test_form_agreeing_with_number_has_no_problems() -> None:
    info, _ = check_id("resident_id_card", "410311200306159021", TODAY)
    assert info is not None
    assert check_agreement(info, "female", date(2003, 6, 15)) == []


def test_form_disagreeing_with_number_reports_gender_and_birth_date() -> None:
    info, _ = check_id("resident_id_card", "410311200306159021", TODAY)
    assert info is not None
    problems = check_agreement(info, "male", date(2003, 6, 16))
    assert [(p.field, p.code) for p in problems] == [
        ("applicant.gender", "gender.mismatch"),
        ("applicant.birth_date", "birth_date.mismatch"),
    ]


def test_permits_without_gender_or_birth_never_disagree() -> None:
    info, _ = check_id("hk_macao_permit", "H12345678", TODAY)
    assert info is not None
    assert check_agreement(info, "male", date(2000, 1, 1)) == []
