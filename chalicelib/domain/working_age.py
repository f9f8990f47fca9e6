"""Legal working age under the gradual retirement reform (docs/domain.md §8).

NPC Standing Committee decision of 2024-09-13, in force 2025-01-01. Month
index m = 12·year + month − 1; the delay depends only on the birth month.

Day convention: a person reaches an age on the same day-of-month as their
birth, in the month the age falls due, clamped to that month's last day
(born 31 Aug -> 30 Sep; born 29 Feb -> 28 Feb in a common year). The 16th
birthday and the retirement date are both reached that way, so working age
is the half-open interval [16th birthday, retirement date).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

MALE = "male"
FEMALE = "female"
FEMALE_ORIGINAL_AGES = (50, 55)
MIN_WORKING_AGE_MONTHS = 16 * 12


@dataclass(frozen=True)
class _Rule:
    base_years: int
    months_per_step: int  # original-retirement months per extra month of delay
    max_delay: int


_REFORM_START = 12 * 2025 + 0  # m(2025-01)
_MALE_RULE = _Rule(base_years=60, months_per_step=4, max_delay=36)
_FEMALE_RULES = {
    55: _Rule(base_years=55, months_per_step=4, max_delay=36),
    50: _Rule(base_years=50, months_per_step=2, max_delay=60),
}


def retirement_age_months(birth: date, gender: str, female_original_age: int = 55) -> int:
    """Statutory retirement age in months, delay included (60y1m -> 721)."""
    rule = _rule(gender, female_original_age)
    base = rule.base_years * 12
    original = _month_index(birth) + base
    if original < _REFORM_START:
        return base
    delay = (original - _REFORM_START) // rule.months_per_step + 1
    return base + min(delay, rule.max_delay)


def retirement_date(birth: date, gender: str, female_original_age: int = 55) -> date:
    """First day no longer of working age: birth + retirement age (see module note)."""
    return _add_months(birth, retirement_age_months(birth, gender, female_original_age))


def legal_working_age(birth: date, gender: str, on: date, female_original_age: int = 55) -> bool:
    """From the 16th birthday inclusive up to the retirement date exclusive."""
    start = _add_months(birth, MIN_WORKING_AGE_MONTHS)
    return start <= on < retirement_date(birth, gender, female_original_age)


def past_retirement(birth: date, gender: str, on: date, female_original_age: int = 55) -> bool:
    """On or after the statutory retirement date (not a refusal by itself: docs/domain.md §7)."""
    return on >= retirement_date(birth, gender, female_original_age)


def _rule(gender: str, female_original_age: int) -> _Rule:
    if gender == MALE:
        return _MALE_RULE
    if gender != FEMALE:
        raise ValueError(f"gender must be {MALE!r} or {FEMALE!r}, got {gender!r}")
    rule = _FEMALE_RULES.get(female_original_age)
    if rule is None:
        raise ValueError(
            f"female_original_age must be one of {FEMALE_ORIGINAL_AGES}, got {female_original_age}"
        )
    return rule


def _month_index(d: date) -> int:
    return 12 * d.year + d.month - 1


def _add_months(d: date, months: int) -> date:
    year, month0 = divmod(_month_index(d) + months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last_day))
