"""Which items a case handles (licence verification gates the rest) and how it ends."""

from __future__ import annotations

import pytest

from chalicelib.domain.case import CaseStatus, ItemCode, ItemStatus, Outcome
from chalicelib.domain.catalogue import case_outcome, departments_of, with_gate

LICENCE = ItemCode.LICENSE_VERIFICATION
TAX = ItemCode.TAXPAYER_CONFIRMATION
EMPLOYMENT = ItemCode.EMPLOYMENT_CERTIFICATE
PENSION = ItemCode.PENSION_REGISTRATION
SUBSIDY = ItemCode.STARTUP_SUBSIDY
S = ItemStatus

# with_gate ------------------------------------------------------------------------------


def test_licence_verification_is_added_when_not_chosen():
    assert with_gate([PENSION]) == [LICENCE, PENSION]


def test_nothing_chosen_still_verifies_the_licence():
    assert with_gate([]) == [LICENCE]


def test_items_come_in_catalogue_order_with_the_licence_first():
    assert with_gate([SUBSIDY, TAX, LICENCE, PENSION, EMPLOYMENT]) == list(ItemCode)


def test_items_are_handled_once_however_often_chosen():
    assert with_gate([TAX, TAX, LICENCE, LICENCE]) == [LICENCE, TAX]


def test_with_gate_accepts_any_iterable_once():
    assert with_gate(code for code in (EMPLOYMENT, TAX)) == [LICENCE, TAX, EMPLOYMENT]


def test_departments_of_the_gated_items():
    assert departments_of(with_gate([TAX])) == ["market_regulation", "tax"]
    assert departments_of(with_gate([PENSION, SUBSIDY])) == ["hrss", "market_regulation"]


# case_outcome -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statuses",
    [
        {LICENCE: S.COMPLETED},
        {LICENCE: S.COMPLETED, TAX: S.COMPLETED, EMPLOYMENT: S.COMPLETED},
        {LICENCE: S.COMPLETED, SUBSIDY: S.REMINDER_SCHEDULED},
        {code: S.REMINDER_SCHEDULED if code is SUBSIDY else S.COMPLETED for code in ItemCode},
    ],
)
def test_a_case_whose_every_item_succeeded_is_completed(statuses):
    assert case_outcome(statuses) is CaseStatus.COMPLETED


@pytest.mark.parametrize("other", [S.REFUSED, S.FAILED, S.NOT_HANDLED])
def test_a_case_with_a_verified_licence_and_an_unsuccessful_item_is_partially_completed(other):
    statuses = {LICENCE: S.COMPLETED, TAX: S.COMPLETED, PENSION: other}
    assert case_outcome(statuses) is CaseStatus.PARTIALLY_COMPLETED


def test_a_case_where_only_the_licence_succeeded_is_partially_completed():
    statuses = {LICENCE: S.COMPLETED, EMPLOYMENT: S.REFUSED, PENSION: S.REFUSED}
    assert case_outcome(statuses) is CaseStatus.PARTIALLY_COMPLETED


@pytest.mark.parametrize("licence", [S.REFUSED, S.FAILED, S.NOT_HANDLED])
def test_a_case_whose_licence_was_not_verified_is_rejected(licence):
    assert case_outcome({LICENCE: licence}) is CaseStatus.REJECTED


def test_a_rejected_licence_rejects_the_case_even_if_other_items_succeeded():
    statuses = {LICENCE: S.REFUSED, TAX: S.COMPLETED, SUBSIDY: S.REMINDER_SCHEDULED}
    assert case_outcome(statuses) is CaseStatus.REJECTED


def test_a_case_without_a_licence_status_is_rejected():
    assert case_outcome({TAX: S.COMPLETED}) is CaseStatus.REJECTED
    assert case_outcome({}) is CaseStatus.REJECTED


def test_a_case_outcome_is_always_a_final_status():
    final = {CaseStatus.COMPLETED, CaseStatus.PARTIALLY_COMPLETED, CaseStatus.REJECTED}
    for licence in S:
        for other in S:
            assert case_outcome({LICENCE: licence, TAX: other}) in final


# Outcome --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "succeeded"),
    [
        (S.COMPLETED, True),
        (S.REMINDER_SCHEDULED, True),
        (S.REFUSED, False),
        (S.FAILED, False),
        (S.IN_REVIEW, False),
        (S.NOT_HANDLED, False),
    ],
)
def test_an_item_outcome_succeeds_when_completed_or_scheduled(status, succeeded):
    assert Outcome(status, "说明", {}).succeeded is succeeded
