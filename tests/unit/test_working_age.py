from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.working_age import (
    legal_working_age,
    retirement_age_months,
    retirement_date,
)


@pytest.mark.parametrize(
    ("birth", "gender", "original", "months"),
    [
        # Worked examples from docs/domain.md §8.
        (date(1965, 1, 1), "male", 55, 60 * 12 + 1),
        (date(1976, 9, 1), "male", 55, 63 * 12),
        (date(1984, 11, 1), "female", 50, 55 * 12),
        # Original retirement month before 2025-01: no delay.
        (date(1964, 12, 31), "male", 55, 60 * 12),
        (date(1969, 12, 1), "female", 55, 55 * 12),
        (date(1974, 12, 1), "female", 50, 50 * 12),
        # Step boundaries: one more month every 4 (or 2) months of birth.
        (date(1965, 4, 1), "male", 55, 721),
        (date(1965, 5, 1), "male", 55, 722),
        (date(1970, 1, 1), "female", 55, 661),
        (date(1970, 5, 1), "female", 55, 662),
        (date(1975, 1, 1), "female", 50, 601),
        (date(1975, 2, 1), "female", 50, 601),
        (date(1975, 3, 1), "female", 50, 602),
        # Caps: 36 months (men, women-55), 60 months (women-50).
        (date(1976, 8, 1), "male", 55, 755),
        (date(1990, 1, 1), "male", 55, 756),
        (date(1981, 9, 1), "female", 55, 58 * 12),
        (date(2000, 1, 1), "female", 55, 58 * 12),
        (date(1984, 10, 1), "female", 50, 659),
        (date(2000, 1, 1), "female", 50, 55 * 12),
    ],
)
def test_retirement_age_follows_the_gradual_reform(
    birth: date, gender: str, original: int, months: int
) -> None:
    assert retirement_age_months(birth, gender, original) == months


def test_female_default_original_age_is_55() -> None:
    assert retirement_age_months(date(1970, 1, 1), "female") == 661


def test_female_original_age_is_ignored_for_men() -> None:
    assert retirement_age_months(date(1965, 1, 1), "male", 50) == 721


@pytest.mark.parametrize(
    ("birth", "gender", "original", "expected"),
    [
        (date(1965, 1, 15), "male", 55, date(2025, 2, 15)),
        (date(1964, 12, 15), "male", 55, date(2024, 12, 15)),
        (date(1976, 9, 3), "male", 55, date(2039, 9, 3)),
        (date(1984, 11, 20), "female", 50, date(2039, 11, 20)),
        # Day clamped to the end of a shorter retirement month.
        (date(1965, 7, 31), "male", 55, date(2025, 9, 30)),  # 60y2m
        (date(1980, 2, 29), "male", 55, date(2043, 2, 28)),
    ],
)
def test_retirement_date_is_birth_plus_retirement_age(
    birth: date, gender: str, original: int, expected: date
) -> None:
    assert retirement_date(birth, gender, original) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(1981, 1, 14), False),  # day before 16th birthday
        (date(1981, 1, 15), True),  # 16th birthday
        (date(2025, 1, 15), True),  # 60th birthday: delay of 1 month
        (date(2025, 2, 14), True),  # last day of working age
        (date(2025, 2, 15), False),  # reaches 60y1m
        (date(1960, 1, 1), False),  # before birth
    ],
)
def test_working_age_is_16th_birthday_inclusive_to_retirement_exclusive(
    on: date, expected: bool
) -> None:
    assert legal_working_age(date(1965, 1, 15), "male", on) is expected


def test_working_age_starts_on_the_sixteenth_birthday_date() -> None:
    birth = date(2008, 2, 29)
    assert legal_working_age(birth, "female", date(2024, 2, 28)) is False
    assert legal_working_age(birth, "female", date(2024, 2, 29)) is True
    birth = date(2009, 3, 31)
    assert legal_working_age(birth, "female", date(2025, 3, 30)) is False
    assert legal_working_age(birth, "female", date(2025, 3, 31)) is True


def test_female_category_changes_the_answer() -> None:
    birth, on = date(1984, 11, 20), date(2036, 1, 1)
    assert legal_working_age(birth, "female", on, female_original_age=50) is True
    assert legal_working_age(birth, "female", date(2039, 11, 20), 50) is False
    assert legal_working_age(birth, "female", date(2039, 11, 20), 55) is True


@pytest.mark.parametrize("gender", ["", "M", "Male", "other"])
def test_unknown_gender_is_an_error(gender: str) -> None:
    with pytest.raises(ValueError):
        retirement_age_months(date(1980, 1, 1), gender)


@pytest.mark.parametrize("original", [45, 60, 0])
def test_unknown_female_category_is_an_error(original: int) -> None:
    with pytest.raises(ValueError):
        legal_working_age(date(1980, 1, 1), "female", date(2026, 1, 1), original)
