"""The start-up subsidy's conditions, judged at the licence's registration date, and what the
officer reviewing a claim is told (docs/domain.md §6)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from chalicelib.domain import subsidy
from chalicelib.domain.case import ItemStatus
from chalicelib.domain.items import FormContext, startup_subsidy, subsidy_section
from chalicelib.domain.person import match_identity
from chalicelib.domain.working_age import past_retirement
from tests.unit.test_item_rules import BUSINESS, FACTS, TODAY, assert_refused

FORM_CONTEXT = FormContext(today=TODAY, pension_base_min=3756, pension_base_max=18780)

DECLARED = {
    "category": "returning_migrant_worker",
    "bank": "中国银行",
    "account": "6216610200001234567",
    "first_startup": True,
    "employed_when_starting": False,
}


def subsidy_facts(birth: date = FACTS.birth_date, **section: object):  # type: ignore[assignment]
    return dataclasses.replace(
        FACTS,
        birth_date=birth,
        business=BUSINESS,  # registered 2025-10-15
        sections={"subsidy": {**DECLARED, **section}},
    )


def test_a_declared_earlier_start_up_refuses_the_subsidy_at_once_in_the_plans_words():
    outcome = startup_subsidy(subsidy_facts(first_startup=False))
    assert_refused(outcome, "subsidy.not_first_startup")
    assert "首次创办小微企业或从事个体经营" in outcome.detail


def test_a_declared_job_when_starting_refuses_the_subsidy_at_once_in_the_plans_words():
    outcome = startup_subsidy(subsidy_facts(employed_when_starting=True))
    assert_refused(outcome, "subsidy.employed_when_starting")
    assert "创业时不在机关事业或其他单位（企业）就业" in outcome.detail


@pytest.mark.parametrize(
    ("left", "refused"),
    [
        (date(2023, 10, 14), True),  # two years and a day before registration (2025-10-15)
        (date(2023, 10, 15), False),  # the period's last day is the registration date
        (date(2024, 6, 30), False),
        (date(2026, 6, 30), False),  # registered while still at school: for the officer
    ],
)
def test_a_graduate_is_refused_more_than_two_years_after_leaving_school_at_registration(
    left, refused
):
    outcome = startup_subsidy(
        subsidy_facts(category="recent_graduate", left_school_on=left.isoformat())
    )
    if refused:
        assert_refused(outcome, "subsidy.graduate_beyond_two_years")
        assert "离校2年内高校毕业生" in outcome.detail
    else:
        assert outcome.status is ItemStatus.REMINDER_SCHEDULED


def test_working_age_is_judged_at_registration_not_at_application():
    born = date(1965, 1, 10)  # a man: retired at 60 y 1 m, on 2025-02-10
    assert past_retirement(born, "male", FACTS.today)
    early = dataclasses.replace(
        subsidy_facts(born), business=dataclasses.replace(BUSINESS, registered_on=date(2024, 6, 1))
    )
    assert startup_subsidy(early).status is ItemStatus.REMINDER_SCHEDULED
    late = dataclasses.replace(early, today=date(2024, 6, 1), business=BUSINESS)
    assert_refused(startup_subsidy(late), "age.outside_working_age")


def test_a_form_from_before_the_declarations_is_not_refused_for_lacking_them():
    legacy = dataclasses.replace(
        FACTS, business=BUSINESS, sections={"subsidy": {"category": "veteran"}}
    )
    assert startup_subsidy(legacy).status is ItemStatus.REMINDER_SCHEDULED


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ({"category": "recent_graduate"}, ("subsidy.left_school_on", "required")),
        (
            {"category": "veteran", "left_school_on": "2024-06-30"},
            ("subsidy.left_school_on", "not_applicable"),
        ),
        (
            {"category": "recent_graduate", "left_school_on": "2026-11-28"},
            ("subsidy.left_school_on", "left_school_on.future"),
        ),
    ],
)
def test_the_leaving_date_is_asked_of_graduates_only_and_not_in_the_future(section, problem):
    found = subsidy_section({**DECLARED, **section}, FORM_CONTEXT)
    assert [(p.field, p.code) for p in found] == [problem]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p.message) for p in found)


def test_a_graduates_leaving_date_of_today_is_accepted():
    section = {**DECLARED, "category": "recent_graduate", "left_school_on": "2026-11-27"}
    assert subsidy_section(section, FORM_CONTEXT) == []


def _applicant(**section: object) -> subsidy.Applicant:
    return subsidy.Applicant({**DECLARED, **section}, date(1990, 1, 1), "male", 55)


def test_the_claim_review_says_how_each_condition_was_established():
    found = subsidy.claim_review(_applicant(), evidence=True, other_claims=[])
    assert found is not None and found["flags"] == []
    bases = {c["code"]: (c["basis"], c["met"]) for c in found["conditions"]}
    assert bases == {
        "working_age": ("system", True),
        "first_startup": ("declaration", True),
        "category": ("evidence", None),
        "not_employed_when_starting": ("declaration", True),
        "operating_one_year": ("system", True),
        "once_per_person": ("system", True),
    }


def test_a_claim_without_category_evidence_or_with_a_namesake_claim_is_flagged():
    graduate = _applicant(category="recent_graduate", left_school_on="2024-06-30")
    found = subsidy.claim_review(graduate, evidence=False, other_claims=["b", "a"])
    assert found is not None
    assert [f["code"] for f in found["flags"]] == [
        "subsidy.category_evidence_missing",
        "subsidy.possible_second_grant",
    ]
    assert found["flags"][1]["applications"] == ["a", "b"]
    assert "毕业证书" in found["flags"][0]["text"]
    conditions = {c["code"]: c["basis"] for c in found["conditions"]}
    assert conditions["category"] == "declaration"
    assert conditions["left_school_within_two_years"] == "declaration"


@pytest.mark.parametrize(
    "written", ["阿依古丽·买买提", "阿依古丽•买买提", "阿依古丽 买买提", "阿依古丽买买提"]
)
def test_the_match_identity_ignores_spaces_and_middle_dots(written):
    assert match_identity(written, date(1990, 1, 1), "female") == "阿依古丽买买提|1990-01-01|female"
