from __future__ import annotations

import pytest

from chalicelib.domain.uscc import (
    ALPHABET,
    check_uscc,
    is_individual_business,
    normalize_uscc,
    org_code_check_char,
    registered_in_luoyang,
    uscc_check_char,
    uscc_division,
)

VALID = [
    "92410302MA47K2NQ4D",
    "91410300MA44T3E030",
    "93410311MA3Y0G1R4C",
    "92410311MA9XW3T19H",
    "92410305MA5KLC722U",
    "92410307MA7D2H6QX3",
    "92410323MA3R8E0N7Y",
]


def _codes(code: str) -> list[str]:
    return [p.code for p in check_uscc(code)]


def _seal(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def test_alphabet_is_gb32100_without_i_o_s_v_z() -> None:
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)


@pytest.mark.parametrize("code", VALID)
def test_known_valid_codes_pass(code: str) -> None:
    assert check_uscc(code) == []


@pytest.mark.parametrize("code", VALID)
def test_lowercase_and_padding_are_normalized(code: str) -> None:
    assert check_uscc(f"  {code.lower()} ") == []
    assert normalize_uscc(f" {code.lower()}\t") == code


@pytest.mark.parametrize("code", VALID)
def test_check_char_matches_position_18(code: str) -> None:
    assert uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", VALID)
def test_org_code_check_matches_position_17(code: str) -> None:
    assert org_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize("code", VALID)
def test_wrong_outer_check_char_is_reported(code: str) -> None:
    wrong = "0" if code[17] != "0" else "1"
    problems = check_uscc(code[:17] + wrong, "licence.code")
    assert [(p.field, p.code) for p in problems] == [("licence.code", "uscc.check_digit")]


@pytest.mark.parametrize("code", VALID)
def test_wrong_inner_org_code_check_is_reported_even_with_valid_outer_check(
    code: str,
) -> None:
    wrong = "0" if code[16] != "0" else "1"
    forged = _seal(code[:16] + wrong)
    assert _codes(forged) == ["uscc.org_code_check"]


def test_both_checks_failing_are_reported_together() -> None:
    assert _codes("92410302MA47K2NQ5C") == ["uscc.check_digit", "uscc.org_code_check"]


def test_org_code_x_check_char() -> None:
    # 10 -> X on position 17 (from 92410307MA7D2H6QX3).
    assert org_code_check_char("MA7D2H6Q") == "X"


def test_org_code_uses_gb11714_letter_values_not_alphabet_positions() -> None:
    # J is 19 in GB 11714 but 18 in the GB 32100 alphabet; the results differ.
    assert org_code_check_char("J0000000") == str(11 - (19 * 3) % 11)


@pytest.mark.parametrize("code", ["", "   "])
def test_blank_code_is_required(code: str) -> None:
    assert _codes(code) == ["uscc.required"]


@pytest.mark.parametrize("code", ["92410302MA47K2NQ4", "92410302MA47K2NQ4DD", "9241"])
def test_wrong_length_is_a_format_problem(code: str) -> None:
    assert _codes(code) == ["uscc.format"]


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "-", "中", "５"])
def test_characters_outside_the_alphabet_are_a_charset_problem(bad: str) -> None:
    assert _codes("92410302MA47K2NQ4" + bad) == ["uscc.charset"]


def test_wrong_length_and_charset_are_reported_together() -> None:
    assert _codes("92410302MA47K2NQO") == ["uscc.format", "uscc.charset"]


def test_non_numeric_division_is_reported() -> None:
    body = "92A10302MA47K2NQ"
    forged = _seal(body + org_code_check_char(body[8:16]))
    assert _codes(forged) == ["uscc.division"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("92410302MA47K2NQ4D", True),
        ("92410311ma9xw3t19h", True),
        ("91410300MA44T3E030", False),
        ("93410311MA3Y0G1R4C", False),
        ("", False),
    ],
)
def test_individual_business_is_prefix_92(code: str, expected: bool) -> None:
    assert is_individual_business(code) is expected


@pytest.mark.parametrize(
    ("code", "division"),
    [("92410302MA47K2NQ4D", "410302"), ("92410323ma3r8e0n7y", "410323")],
)
def test_division_is_positions_3_to_8(code: str, division: str) -> None:
    assert uscc_division(code) == division


@pytest.mark.parametrize(
    ("code", "luoyang"),
    [
        ("92410302MA47K2NQ4D", True),
        ("92410300MA44T3E03X", True),  # the city's own authority
        ("92410381MA44T3E03X", True),  # 偃师市 before 2021: a code keeps its division
        ("92410105MA9CH7Q36T", False),  # 郑州市金水区
        ("92410403MA44T3E03X", False),  # 平顶山市
        ("92110105MA44T3E03X", False),  # 北京市朝阳区
    ],
)
def test_registered_in_luoyang_reads_the_division_4103xx(code: str, luoyang: bool) -> None:
    assert registered_in_luoyang(code) is luoyang


def test_division_of_a_short_code_is_an_error() -> None:
    with pytest.raises(ValueError):
        uscc_division("92410302")


@pytest.mark.parametrize("bad", ["92410302MA47K2NQ", "92410302MA47K2NQ4D", "92410302MA47K2NQI"])
def test_uscc_check_char_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        uscc_check_char(bad)


@pytest.mark.parametrize("bad", ["MA47K2N", "MA47K2NQ4", "ma47k2nq", "MA47K2N-"])
def test_org_code_check_char_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        org_code_check_char(bad)
