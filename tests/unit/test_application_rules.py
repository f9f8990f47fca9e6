"""application_problems(): the form's rules on the raw request, every problem at once."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from chalicelib.api.schemas import APPLICATION_EXAMPLE
from chalicelib.domain.application import FormContext, application_problems
from chalicelib.domain.identity import mod11_2_check_char
from chalicelib.domain.problems import Problem
from chalicelib.domain.uscc import uscc_check_char

CTX = FormContext(today=date(2026, 11, 27), pension_base_min=3756, pension_base_max=18780)
BASIC = ["license_verification", "taxpayer_confirmation"]


def form(**changes: Any) -> dict[str, Any]:
    """The example form; ``section__field=value`` changes one field, None removes it."""
    raw = copy.deepcopy(APPLICATION_EXAMPLE)
    for key, value in changes.items():
        section, _, name = key.partition("__")
        target = raw.setdefault(section, {}) if name else raw
        name = name or section
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
    return raw


def pairs(raw: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in application_problems(raw, CTX)}


def resident_id(first17: str) -> str:
    return first17 + mod11_2_check_char(first17)


def test_the_documented_example_has_no_problems():
    assert application_problems(form(), CTX) == []


def test_every_problem_carries_a_chinese_message():
    raw = form(consent=False, county="110101", applicant__phone="123", items=BASIC)
    problems = application_problems(raw, CTX)
    assert len(problems) >= 4
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p.message) for p in problems)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"applicant__id_number": "410302199001019017"}, ("id_number", "id_number.check_digit")),
        (
            {"applicant__id_number": resident_id("41030219900230901")},
            ("id_number", "id_number.birth_date"),
        ),
        (
            {"applicant__id_number": resident_id("41030220990101901")},
            ("id_number", "id_number.future_birth_date"),
        ),
        ({"applicant__id_number": "4103021990"}, ("id_number", "id_number.format")),
        ({"applicant__id_type": "passport"}, ("id_type", "id_type.unknown")),
        ({"applicant__gender": "female"}, ("gender", "gender.mismatch")),
        ({"applicant__birth_date": "1990-01-02"}, ("birth_date", "birth_date.mismatch")),
        ({"applicant__phone": "1380013800"}, ("phone", "phone.format")),
        ({"applicant__ethnicity": "穿青人"}, ("ethnicity", "ethnicity.unknown")),
    ],
)
def test_applicant_rules_report_on_the_applicant_field(changes, expected):
    field, code = expected
    assert (f"applicant.{field}", code) in pairs(form(**changes))


@pytest.mark.parametrize(
    ("id_type", "number"), [("hk_macao_permit", "M1234567801"), ("taiwan_permit", "12345678")]
)
def test_permits_without_a_birth_date_in_the_number_need_one_on_the_form(id_type, number):
    raw = form(applicant__id_type=id_type, applicant__id_number=number)
    assert pairs(raw) == {("applicant.birth_date", "required")}
    raw["applicant"]["birth_date"] = "1990-01-01"
    assert pairs(raw) == set()


def test_a_null_birth_date_on_a_permit_is_still_required():
    raw = form(applicant__id_type="hk_macao_permit", applicant__id_number="H12345678")
    raw["applicant"]["birth_date"] = None
    assert ("applicant.birth_date", "required") in pairs(raw)


def test_a_future_birth_date_on_the_form_is_refused():
    raw = form(applicant__id_type="taiwan_permit", applicant__id_number="12345678")
    raw["applicant"]["birth_date"] = "2026-11-28"
    assert pairs(raw) == {("applicant.birth_date", "birth_date.future")}
    raw["applicant"]["birth_date"] = "2026-11-27"
    assert pairs(raw) == set()


def test_residence_permits_carry_birth_date_and_gender_like_resident_ids():
    number = resident_id("82000019851231002")
    raw = form(applicant__id_type="hkmt_residence_permit", applicant__id_number=number)
    assert pairs(raw) == {("applicant.gender", "gender.mismatch")}
    raw["applicant"]["gender"] = "female"
    assert pairs(raw) == set()


def test_a_lowercase_check_x_is_accepted():
    assert pairs(form(applicant__id_number="41030219900101169x")) == set()


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["license_verification", "license_verification"], {("items", "items.duplicate")}),
        (BASIC, set()),
        ([], set()),  # emptiness is the shape's concern (min_length)
    ],
)
def test_items_may_not_repeat(items, expected):
    assert pairs(form(items=items, pension=None, subsidy=None)) == expected


@pytest.mark.parametrize(
    ("base", "ok"), [(3755, False), (3756, True), (4000, True), (18780, True), (18781, False)]
)
def test_contribution_base_must_lie_within_the_configured_bounds_inclusive(base, ok):
    expected = set() if ok else {("pension.contribution_base", "pension.base_out_of_range")}
    assert pairs(form(pension__contribution_base=base)) == expected


def test_contribution_bounds_come_from_the_context():
    ctx = FormContext(today=CTX.today, pension_base_min=5000, pension_base_max=6000)
    [problem] = application_problems(form(pension__contribution_base=4000), ctx)
    assert problem.code == "pension.base_out_of_range"
    assert "5000" in problem.message and "6000" in problem.message


@pytest.mark.parametrize("base", [True, "4000", 4000.5, None])
def test_a_contribution_base_of_the_wrong_type_is_left_to_the_shape(base):
    assert pairs(form(pension={"contribution_base": base})) == set()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"pension": None}, {("pension", "required")}),
        ({"subsidy": None}, {("subsidy", "required")}),
        ({"items": BASIC}, {("pension", "not_applicable"), ("subsidy", "not_applicable")}),
        ({"items": BASIC, "pension": None, "subsidy": None}, set()),
    ],
)
def test_pension_and_subsidy_sections_go_with_their_items(changes, expected):
    assert pairs(form(**changes)) == expected


@pytest.mark.parametrize(
    ("account", "ok"),
    [
        ("123456789012", True),
        ("1" * 30, True),
        ("12345678901", False),
        ("1" * 31, False),
        ("6216 6102 0000 1234", False),
        ("62166102000O1234567", False),
    ],
)
def test_subsidy_account_is_12_to_30_digits(account, ok):
    expected = set() if ok else {("subsidy.account", "account.format")}
    assert pairs(form(subsidy__account=account)) == expected


@pytest.mark.parametrize("account", ["６２１６６１０２００００１２３４", "12345678901²"])
def test_subsidy_account_digits_are_ascii(account):
    assert pairs(form(subsidy__account=account)) == {("subsidy.account", "account.format")}


@pytest.mark.parametrize(
    ("delivery", "expected"),
    [
        ({"method": "mail"}, {"delivery.address", "delivery.recipient", "delivery.phone"}),
        (
            {"method": "mail", "address": "  ", "recipient": "张三", "phone": "13800138000"},
            {"delivery.address"},
        ),
        ({"method": "pickup"}, {"delivery.service_center"}),
        ({"method": "pickup", "service_center": "洛阳市民之家"}, set()),
    ],
)
def test_delivery_needs_the_details_of_its_method(delivery, expected):
    assert pairs(form(delivery=delivery)) == {(field, "required") for field in expected}


def test_the_mail_recipient_phone_must_be_a_phone_number():
    assert pairs(form(delivery__phone="0379-612345")) == {("delivery.phone", "phone.format")}
    assert pairs(form(delivery__phone="0379-63211234")) == set()  # a landline will do


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"consent": False}, ("consent", "consent.required")),
        ({"county": "410102"}, ("county", "county.outside_luoyang")),
        ({"county": "410306"}, ("county", "county.unknown")),
        ({"business__uscc": "92410302MA47K2NQ4E"}, ("business.uscc", "uscc.check_digit")),
        (
            {"business__uscc": "92410302MA47K2NQ5" + uscc_check_char("92410302MA47K2NQ5")},
            ("business.uscc", "uscc.org_code_check"),
        ),
    ],
)
def test_commitment_county_and_licence_code_rules(changes, expected):
    assert pairs(form(**changes)) == {expected}


def test_a_lowercase_credit_code_is_accepted():
    assert pairs(form(business__uscc="92410302ma47k2nq4d")) == set()


def test_independent_problems_are_all_reported_together():
    raw = form(
        items=[*BASIC, "pension_registration", "pension_registration"],
        applicant__id_number="410302199001019017",
        applicant__phone="2",
        applicant__ethnicity="汉",
        business__uscc="92410302MA47K2NQ4E",
        pension__contribution_base=1,
        subsidy__account="x",
        delivery={"method": "pickup"},
        consent=False,
        county="410102",
    )
    assert {p.field for p in application_problems(raw, CTX)} == {
        "applicant.id_number",
        "applicant.phone",
        "applicant.ethnicity",
        "items",
        "pension.contribution_base",
        "subsidy",
        "subsidy.account",
        "delivery.service_center",
        "consent",
        "county",
        "business.uscc",
    }


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"applicant": "张三", "items": "pension_registration", "business": ["x"]},
        {"applicant": None, "items": None, "pension": [], "subsidy": 1, "delivery": "mail"},
        {"applicant": {"id_type": 1, "id_number": None, "gender": 3, "birth_date": 19900101}},
        {"applicant": {"phone": 138, "ethnicity": ["汉族"]}, "county": 410302, "consent": "no"},
        {
            "items": [1, None, {"a": 1}, "pension_registration"],
            "pension": {"contribution_base": []},
        },
        {
            "delivery": {"method": ["mail"]},
            "business": {"uscc": 92410302},
            "subsidy": {"account": 1},
        },
    ],
)
def test_malformed_sections_do_not_crash_the_rules(raw):
    problems = application_problems(raw, CTX)
    assert all(isinstance(p, Problem) for p in problems)


def test_items_that_are_not_a_list_choose_nothing():
    raw = form(items="pension_registration, startup_subsidy")
    assert pairs(raw) == {("pension", "not_applicable"), ("subsidy", "not_applicable")}


def test_an_applicant_that_is_not_an_object_leaves_its_report_to_the_shape():
    assert pairs(form(applicant="张三")) == set()
