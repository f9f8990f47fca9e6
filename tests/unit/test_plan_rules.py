"""The plan's rules on time limits, as pure functions."""

from __future__ import annotations

import pytest

from chalicelib.domain import catalogue

INSTANT = ["license_verification", "taxpayer_confirmation", "employment_certificate"]


@pytest.mark.parametrize(
    ("items", "limit"),
    [
        (INSTANT, 0),  # 附件5: 即时办结
        (["license_verification"], 0),
        ([*INSTANT, "pension_registration"], 10),
        ([*INSTANT, "startup_subsidy"], 0),  # the subsidy's reminder is no case time limit
        (catalogue.codes(), 10),
    ],
)
def test_the_case_has_its_longest_items_time_limit(items, limit):
    assert catalogue.case_time_limit(items, 10) == limit


def test_the_case_time_limit_never_exceeds_the_ceiling():
    assert catalogue.case_time_limit(["pension_registration"], 7) == 7
