"""What each department decides on an item, from the facts alone (docs/domain.md §2)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from chalicelib.domain.business import Business
from chalicelib.domain.case import ItemStatus
from chalicelib.domain.items import (
    Facts,
    confirm_taxpayer,
    employment_certificate,
    pension_registration,
    startup_subsidy,
    verify_licence,
)

TODAY = date(2026, 11, 27)
NAME = "洛阳市老城区示例小吃店"
USCC = "92410302MA47K2NQ4D"
FACTS = Facts(
    today=TODAY,
    person_key="person-1",
    birth_date=date(1990, 1, 1),
    gender="male",
    business_name=NAME,
    uscc=USCC,
    female_retirement_age=55,
    subsidy_category="returning_migrant_worker",
    pension_base=4000,
)
BUSINESS = Business(
    uscc=USCC,
    name=NAME,
    operator_key="person-1",
    registered_on=date(2025, 10, 15),
    state="active",
)
RETIRED = dataclasses.replace(FACTS, birth_date=date(1960, 1, 1), gender="male")


def facts(**changes: object) -> Facts:
    return dataclasses.replace(FACTS, **changes)


def _about(base: Facts, **known: object) -> Facts:
    """The facts with what the handler looked up for the rule (the registry, a grant)."""
    return dataclasses.replace(base, **known)


def business(**changes: object) -> Business:
    return dataclasses.replace(BUSINESS, **changes)


def assert_refused(outcome, reason_code: str) -> None:
    assert outcome.status is ItemStatus.REFUSED
    assert not outcome.succeeded
    assert outcome.result["reason_code"] == reason_code
    assert outcome.result["reason"] == outcome.detail
    assert any("\u4e00" <= ch <= "\u9fff" for ch in outcome.detail)
    assert not outcome.wait_for_person


# verify_licence ---------------------------------------------------------------------------


def test_a_registered_active_licence_of_the_applicant_is_verified():
    outcome = verify_licence(_about(FACTS, business=BUSINESS))
    assert outcome.status is ItemStatus.COMPLETED and outcome.succeeded
    assert outcome.result == {
        "verified": True,
        "business_name": NAME,
        "uscc": USCC,
        "registered_on": "2025-10-15",
    }


@pytest.mark.parametrize(
    ("found", "reason_code"),
    [
        (None, "licence.not_found"),
        (business(state="cancelled"), "licence.not_active"),
        (business(state="revoked"), "licence.not_active"),
        (business(uscc="91410300MA44T3E030"), "licence.not_individual_business"),
        (business(uscc="93410311MA3Y0G1R4C"), "licence.not_individual_business"),
        (business(operator_key="person-2"), "licence.operator_mismatch"),
    ],
)
def test_a_licence_that_does_not_check_out_is_refused(found, reason_code):
    outcome = verify_licence(_about(FACTS, business=found))
    assert_refused(outcome, reason_code)
    assert outcome.result["verified"] is False


ZHENGZHOU = "92410105MA9CH7Q36T"  # the demo registry's 郑州市金水区示例面馆


@pytest.mark.parametrize("found", [business(uscc=ZHENGZHOU, name="郑州市金水区示例面馆"), None])
def test_a_licence_registered_outside_luoyang_is_refused_whatever_the_registry_says(found):
    outcome = verify_licence(
        _about(facts(uscc=ZHENGZHOU, business_name="郑州市金水区示例面馆"), business=found)
    )
    assert_refused(outcome, "licence.outside_luoyang")
    assert outcome.result["verified"] is False
    assert "410105" in outcome.detail
    assert "在洛阳市行政区域内创办个体工商户的各类人员" in outcome.detail


def test_a_cancelled_licence_is_refused_before_its_name_is_compared():
    found = business(state="cancelled", name="别的店")
    assert_refused(verify_licence(_about(FACTS, business=found)), "licence.not_active")


@pytest.mark.parametrize(
    ("registered", "typed"),
    [
        ("洛阳市老城区示例小吃店（分店）", "洛阳市老城区示例小吃店(分店)"),
        ("洛阳市老城区示例小吃店(分店)", "洛阳市老城区示例小吃店（分店）"),
        ("洛阳市老城区示例小吃店", "洛阳市老城区 示例小吃店"),
        ("洛阳市老城区示例小吃店", " 洛阳市老城区示例小吃店　"),  # ideographic space
    ],
)
def test_names_match_up_to_full_width_parentheses_and_spaces(registered, typed):
    outcome = verify_licence(_about(facts(business_name=typed), business=business(name=registered)))
    assert outcome.status is ItemStatus.COMPLETED


@pytest.mark.parametrize("typed", ["洛阳市老城区示例小吃铺", "洛阳市老城区别的小吃店"])
def test_a_name_that_differs_asks_the_applicant_to_correct_it(typed):
    outcome = verify_licence(_about(facts(business_name=typed), business=BUSINESS))
    assert outcome.status is ItemStatus.CORRECTION_REQUIRED
    assert outcome.wait_for_person and not outcome.succeeded
    assert outcome.result["verified"] is False
    assert outcome.result["reason_code"] == "licence.name_mismatch"
    assert [c["field"] for c in outcome.result["corrections"]] == ["business.name"]


# working age ------------------------------------------------------------------------------


def test_a_man_born_in_1960_is_past_working_age_for_the_employment_certificate():
    assert_refused(
        employment_certificate(RETIRED),
        "age.outside_working_age",
    )


def test_a_man_born_in_1960_waits_for_the_officer_for_pension_registration_with_a_flag():
    """Past retirement age is no refusal (the plan states none; 延长缴费, docs/domain.md §7)."""
    outcome = pension_registration(RETIRED)
    assert outcome.status is ItemStatus.IN_REVIEW and outcome.wait_for_person
    assert outcome.result == {"contribution_base": 4000}
    assert outcome.review == {
        "flags": [
            {
                "code": "pension.past_retirement_age",
                "text": "已达法定退休年龄，请核实是否属于延长缴费情形",
            }
        ],
        "conditions": [],
    }
    assert "延长缴费" in outcome.detail


def test_a_man_born_in_1960_is_past_working_age_for_the_subsidy():
    assert_refused(
        startup_subsidy(_about(RETIRED, business=BUSINESS, had_subsidy=False)),
        "age.outside_working_age",
    )


@pytest.mark.parametrize(
    "person",
    [
        facts(birth_date=date(2010, 11, 28)),  # 16 tomorrow
        facts(birth_date=None),  # a permit without a known birth date
    ],
)
def test_someone_not_known_to_be_of_working_age_is_refused(person):
    assert_refused(employment_certificate(person), "age.outside_working_age")
    assert_refused(pension_registration(person), "age.outside_working_age")


def test_the_sixteenth_birthday_is_within_working_age():
    outcome = employment_certificate(facts(birth_date=date(2010, 11, 27)))
    assert outcome.status is ItemStatus.COMPLETED


def test_the_female_original_retirement_age_decides_for_women():
    woman = facts(gender="female", birth_date=date(1974, 1, 1))
    assert employment_certificate(woman).status is ItemStatus.COMPLETED
    at_fifty = dataclasses.replace(woman, female_retirement_age=50)
    assert_refused(
        employment_certificate(at_fifty),
        "age.outside_working_age",
    )


# employment certificate and pension ---------------------------------------------------------


def test_someone_of_working_age_goes_on_to_hrss_for_the_employment_certificate():
    outcome = employment_certificate(FACTS)
    assert outcome.status is ItemStatus.COMPLETED and not outcome.wait_for_person
    assert outcome.result == {}  # the number is HRSS's to issue (services.department_calls)


def test_pension_registration_waits_for_an_officer_with_the_chosen_base():
    outcome = pension_registration(FACTS)
    assert outcome.status is ItemStatus.IN_REVIEW
    assert outcome.wait_for_person and not outcome.succeeded
    assert outcome.result == {"contribution_base": 4000}
    assert outcome.review is None  # nothing to flag


# start-up subsidy -------------------------------------------------------------------------


def test_the_subsidy_is_refused_to_someone_who_already_had_it():
    assert_refused(
        startup_subsidy(_about(FACTS, business=BUSINESS, had_subsidy=True)),
        "subsidy.already_granted",
    )


def test_the_subsidy_needs_a_registered_business():
    assert_refused(
        startup_subsidy(_about(FACTS, business=None, had_subsidy=False)), "licence.not_found"
    )


def test_an_eligible_subsidy_is_scheduled_one_year_after_registration():
    outcome = startup_subsidy(_about(FACTS, business=BUSINESS, had_subsidy=False))
    assert outcome.status is ItemStatus.REMINDER_SCHEDULED and outcome.succeeded
    assert outcome.result == {
        "reminder_date": "2026-10-15",
        "category": "returning_migrant_worker",
        "amount": 5000,
    }
    assert "2026-10-15" in outcome.detail


@pytest.mark.parametrize(
    ("registered", "reminder"),
    [
        (date(2024, 2, 29), "2025-02-28"),
        (date(2023, 2, 28), "2024-02-28"),
        (date(2025, 12, 31), "2026-12-31"),
    ],
)
def test_the_reminder_falls_on_the_same_date_next_year_or_28_february(registered, reminder):
    outcome = startup_subsidy(
        _about(FACTS, business=business(registered_on=registered), had_subsidy=False)
    )
    assert outcome.result["reminder_date"] == reminder


# taxpayer confirmation --------------------------------------------------------------------


def test_a_licence_is_all_the_taxpayer_confirmation_needs_before_the_tax_system():
    outcome = confirm_taxpayer(FACTS)
    assert outcome.status is ItemStatus.COMPLETED and outcome.succeeded
    assert outcome.result == {}  # the tax system confirms and answers the taxpayer id


def test_taxpayer_confirmation_does_not_depend_on_age():
    assert confirm_taxpayer(RETIRED).status is ItemStatus.COMPLETED


def test_the_taxpayer_confirmation_tells_the_applicant_the_next_step_in_the_plans_words():
    # 附件4 七.2: "信息确认后纳税人及时到税务机关办理后续相关涉税业务"
    assert "信息确认后纳税人及时到税务机关办理后续相关涉税业务" in confirm_taxpayer(FACTS).detail
