from __future__ import annotations

import pytest

from chalicelib.domain.contact import (
    ETHNICITIES,
    LUOYANG_COUNTIES,
    check_ethnicity,
    check_luoyang_county,
    check_phone,
    ethnicity_code,
    mask_account,
    mask_phone,
)
from chalicelib.domain.sms import mainland_mobile


@pytest.mark.parametrize(
    "phone", ["13800138000", "19912345678", "15037912345", "16600000000", "17712345678"]
)
def test_mainland_mobile_numbers_pass(phone: str) -> None:
    assert check_phone(phone, "applicant.phone") == []


@pytest.mark.parametrize(
    "phone",
    [
        "12800138000",  # second digit 2
        "10800138000",
        "23800138000",  # not starting with 1
        "1380013800",  # 10 digits
        "138001380000",  # 12 digits
        "138-0013-8000",
        "+8613800138000",
        " 13800138000",
        "１３８00138000",  # full-width digits
        "0379--63211234",
        "0379-1234567890",  # too long
        "0379-03211234",  # a local number does not start with 0
        "010-6234567",  # Beijing numbers have 8 digits
        "63211234",  # no area code
        "+852 912345678",  # Hong Kong: 8 digits
        "+853 6612345",  # Macao: 8 digits
        "+886 0912345678",  # Taiwan: the national number without its trunk 0
        "+886 812345",
        "+852  91234567",  # one separator at a time
        "+1 2025550123",  # a country the form does not take
        "０３７９-63211234",
    ],
)
def test_other_numbers_are_a_format_problem(phone: str) -> None:
    problems = check_phone(phone, "delivery.phone")
    assert [(p.field, p.code) for p in problems] == [("delivery.phone", "phone.format")]


@pytest.mark.parametrize(
    "phone",
    [
        "0379-63211234",  # 洛阳 landline, 区号-号码
        "0379-6321123",  # 7-digit local number (4-digit area codes)
        "010-62345678",
        "021-62345678",
        "0379-63211234-801",  # with an extension
        "037963211234",  # the hyphen left out
        "0379 63211234",
        "(0379)63211234",
        "+852 9123 4567",  # Hong Kong mobile
        "+85221234567",  # Hong Kong landline
        "+853 6612 3456",  # Macao mobile
        "+853-2871-2345",  # Macao landline
        "+886 912 345 678",  # Taiwan mobile: 9 digits from 9
        "+886912345678",
        "+886 2 2345 6789",  # Taipei landline
        "+886-7-123-4567",  # Kaohsiung landline
    ],
)
def test_landlines_and_hong_kong_macao_and_taiwan_numbers_pass_but_get_no_sms(phone: str) -> None:
    assert check_phone(phone, "applicant.phone") == []
    assert mainland_mobile(phone) is None  # only a mainland mobile is texted


@pytest.mark.parametrize("phone", ["", "  "])
def test_blank_phone_is_required(phone: str) -> None:
    assert [p.code for p in check_phone(phone, "applicant.phone")] == ["phone.required"]


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800138000", "138****8000"),
        ("19912345678", "199****5678"),
        ("1234567", "*******"),
    ],
)
def test_mask_phone_keeps_first_three_and_last_four(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("account", "masked"),
    [
        ("6217001234567", "****4567"),
        ("6228 4800 1234 5674 567", "****4567"),
        ("4567", "****"),
        ("", "****"),
    ],
)
def test_mask_account_keeps_last_four_only(account: str, masked: str) -> None:
    assert mask_account(account) == masked


def test_there_are_exactly_56_distinct_ethnic_groups() -> None:
    assert len(ETHNICITIES) == 56
    assert len(set(ETHNICITIES)) == 56
    assert all(name.endswith("族") for name in ETHNICITIES)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("汉族", "01"),
        ("蒙古族", "02"),
        ("回族", "03"),
        ("满族", "11"),
        ("土家族", "15"),
        ("高山族", "23"),
        ("土族", "30"),
        ("德昂族", "46"),
        ("京族", "49"),
        ("门巴族", "54"),
        ("基诺族", "56"),
    ],
)
def test_ethnicities_follow_gb3304_code_order(name: str, code: str) -> None:
    assert ethnicity_code(name) == code
    assert ETHNICITIES[int(code) - 1] == name


@pytest.mark.parametrize("name", ETHNICITIES)
def test_each_recognised_group_passes(name: str) -> None:
    assert check_ethnicity(name, "applicant.ethnicity") == []


@pytest.mark.parametrize("name", ["汉", "Han", "穿青人", "其他", "汉族 ", "崩龙族"])
def test_unrecognised_ethnicity_is_reported(name: str) -> None:
    problems = check_ethnicity(name, "applicant.ethnicity")
    assert [(p.field, p.code) for p in problems] == [("applicant.ethnicity", "ethnicity.unknown")]
    assert ethnicity_code(name) is None


def test_blank_ethnicity_is_required() -> None:
    assert [p.code for p in check_ethnicity(" ", "f")] == ["ethnicity.required"]


def test_luoyang_has_the_city_and_fourteen_county_level_units() -> None:
    assert len(LUOYANG_COUNTIES) == 15
    assert LUOYANG_COUNTIES["410300"] == "洛阳市"
    assert LUOYANG_COUNTIES["410304"] == "瀍河回族区"
    assert LUOYANG_COUNTIES["410307"] == "偃师区"
    assert LUOYANG_COUNTIES["410308"] == "孟津区"
    assert all(code.startswith("4103") and len(code) == 6 for code in LUOYANG_COUNTIES)


@pytest.mark.parametrize("code", sorted(LUOYANG_COUNTIES))
def test_every_luoyang_code_passes(code: str) -> None:
    assert check_luoyang_county(code, "applicant.county") == []


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("", "county.required"),
        ("41030", "county.format"),
        ("4103021", "county.format"),
        ("41030a", "county.format"),
        (" 410302", "county.format"),
        ("410102", "county.outside_luoyang"),  # 郑州 中原区
        ("110101", "county.outside_luoyang"),
        ("410306", "county.unknown"),  # 吉利区, merged into 孟津区 in 2021
        ("410322", "county.unknown"),  # former 孟津县
        ("410381", "county.unknown"),  # former 偃师市
        ("410399", "county.unknown"),
    ],
)
def test_non_luoyang_or_obsolete_codes_are_reported(code: str, problem: str) -> None:
    problems = check_luoyang_county(code, "applicant.county")
    assert [(p.field, p.code) for p in problems] == [("applicant.county", problem)]
