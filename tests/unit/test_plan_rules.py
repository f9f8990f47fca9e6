"""The plan's rules on time limits and ratings, and the calendar watch, as pure functions."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain import catalogue
from chalicelib.domain.calendar import WorkCalendar, YearData, missing_next_year
from chalicelib.domain.rating import RatingStage, may_rate, stage_for
from chalicelib.domain.stats import Rated, increments

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


@pytest.mark.parametrize(
    ("asked", "finished", "stage"),
    [
        (None, False, RatingStage.ACCEPTANCE),
        (None, True, RatingStage.COMPLETION),
        (RatingStage.ACCEPTANCE, True, RatingStage.ACCEPTANCE),
        (RatingStage.COMPLETION, False, RatingStage.COMPLETION),
    ],
)
def test_a_rating_without_a_stage_rates_what_the_case_has_reached(asked, finished, stage):
    assert stage_for(asked, finished) is stage


def test_the_completion_may_be_rated_only_once_the_case_has_finished():
    assert may_rate(RatingStage.ACCEPTANCE, finished=False)
    assert not may_rate(RatingStage.COMPLETION, finished=False)
    assert may_rate(RatingStage.COMPLETION, finished=True)


def test_a_rating_counts_in_its_levels_total_and_its_stage():
    counts = increments([("rated", None)], rating=Rated("acceptance", 4))
    assert counts == {"rating.4": 1, "rating.acceptance.4": 1}


@pytest.mark.parametrize(
    ("today", "missing"),
    [(date(2026, 10, 31), None), (date(2026, 11, 1), 2027), (date(2026, 12, 31), 2027)],
)
def test_from_november_a_missing_next_year_is_noticed(today, missing):
    assert missing_next_year(today, WorkCalendar()) == missing


def test_a_loaded_next_year_is_not_missing():
    loaded = WorkCalendar({2027: YearData(2027, frozenset({date(2027, 1, 1)}), frozenset())})
    assert missing_next_year(date(2026, 11, 15), loaded) is None
