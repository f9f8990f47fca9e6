from __future__ import annotations

import importlib
import subprocess
import sys
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from chalicelib.domain import calendar as cal_module
from chalicelib.domain.calendar import (
    Deadline,
    WorkCalendar,
    YearData,
    end_of_local_day,
    load_year_data,
    local_date,
    one_year_after,
)


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# State Council notice of 2025-11-04 (国办发明电〔2025〕7号) for 2026.
HOLIDAYS_2026 = [
    *_span(date(2026, 1, 1), date(2026, 1, 3)),  # 元旦
    *_span(date(2026, 2, 15), date(2026, 2, 23)),  # 春节
    *_span(date(2026, 4, 4), date(2026, 4, 6)),  # 清明节
    *_span(date(2026, 5, 1), date(2026, 5, 5)),  # 劳动节
    *_span(date(2026, 6, 19), date(2026, 6, 21)),  # 端午节
    *_span(date(2026, 9, 25), date(2026, 9, 27)),  # 中秋节
    *_span(date(2026, 10, 1), date(2026, 10, 7)),  # 国庆节
]
MAKEUP_WORKDAYS_2026 = [
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
]

# Synthetic: the official 2027 notice is not out when this was written.
DATA_2027 = {"year": 2027, "holidays": ["2027-01-01"], "workdays": []}


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    cal_module._shanghai.cache_clear()
    cal_module._library_workday_fn.cache_clear()
    yield
    cal_module._shanghai.cache_clear()
    cal_module._library_workday_fn.cache_clear()


@pytest.mark.parametrize("day", HOLIDAYS_2026, ids=str)
def test_2026_statutory_holidays_are_not_working_days(calendar: WorkCalendar, day: date) -> None:
    assert calendar.is_working_day(day) is False


@pytest.mark.parametrize("day", MAKEUP_WORKDAYS_2026, ids=str)
def test_2026_makeup_weekend_days_are_working_days(calendar: WorkCalendar, day: date) -> None:
    assert day.weekday() >= 5
    assert calendar.is_working_day(day) is True


def test_2026_has_no_other_exceptions_to_the_weekend_rule(
    calendar: WorkCalendar,
) -> None:
    year = _span(date(2026, 1, 1), date(2026, 12, 31))
    off_weekdays = {d for d in year if d.weekday() < 5 and not calendar.is_working_day(d)}
    on_weekends = {d for d in year if d.weekday() >= 5 and calendar.is_working_day(d)}
    assert off_weekdays == {d for d in HOLIDAYS_2026 if d.weekday() < 5}
    assert on_weekends == set(MAKEUP_WORKDAYS_2026)


@pytest.mark.parametrize(
    ("accepted", "due"),
    [
        (date(2026, 9, 28), date(2026, 10, 16)),  # 10-10 Saturday is a make-up day
        (date(2026, 2, 13), date(2026, 3, 5)),  # across Spring Festival
        (date(2026, 3, 2), date(2026, 3, 16)),  # ordinary fortnight
        (date(2026, 4, 30), date(2026, 5, 18)),  # Labour Day, 5-9 make-up day
        (date(2025, 12, 31), date(2026, 1, 15)),  # 2026-01-04 Sunday is a make-up day
    ],
)
def test_deadline_is_tenth_working_day_after_acceptance(
    calendar: WorkCalendar, accepted: date, due: date
) -> None:
    assert calendar.add_working_days(accepted, 10) == Deadline(due, provisional=False)


def test_deadline_reaching_an_unknown_year_is_provisional(
    calendar: WorkCalendar,
) -> None:
    deadline = calendar.add_working_days(date(2026, 12, 20), 10)
    assert deadline == Deadline(date(2027, 1, 1), provisional=True)


def test_deadline_with_override_data_is_not_provisional() -> None:
    calendar = WorkCalendar({2027: load_year_data(DATA_2027)})
    deadline = calendar.add_working_days(date(2026, 12, 20), 10)
    assert deadline == Deadline(date(2027, 1, 4), provisional=False)


def test_unknown_years_fall_back_to_weekends(calendar: WorkCalendar) -> None:
    assert calendar.is_working_day(date(2027, 1, 1)) is True  # a Friday
    assert calendar.is_working_day(date(2027, 1, 2)) is False
    assert calendar.add_working_days(date(2030, 6, 3), 5) == Deadline(date(2030, 6, 10), True)


def test_zero_working_days_is_the_start_day(calendar: WorkCalendar) -> None:
    assert calendar.add_working_days(date(2027, 3, 1), 0) == Deadline(date(2027, 3, 1), False)


def test_negative_working_days_is_an_error(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 3, 1), -1)


@pytest.mark.parametrize(
    ("year", "known"),
    [(2004, True), (2026, True), (2003, False), (2027, False), (2100, False)],
)
def test_known_years_are_those_with_official_data(
    calendar: WorkCalendar, year: int, known: bool
) -> None:
    assert calendar.is_known_year(year) is known


def test_override_year_is_known() -> None:
    assert WorkCalendar({2027: load_year_data(DATA_2027)}).is_known_year(2027) is True


def test_overrides_win_over_the_library() -> None:
    data = YearData(2026, frozenset({date(2026, 3, 2)}), frozenset({date(2026, 3, 7)}))
    calendar = WorkCalendar({2026: data})
    assert calendar.is_working_day(date(2026, 10, 1)) is True
    assert calendar.is_working_day(date(2026, 3, 2)) is False
    assert calendar.is_working_day(date(2026, 3, 7)) is True
    assert calendar.is_working_day(date(2026, 3, 8)) is False


def test_override_keyed_by_the_wrong_year_is_rejected() -> None:
    with pytest.raises(ValueError, match="2028"):
        WorkCalendar({2028: load_year_data(DATA_2027)})


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2026, 9, 28), date(2026, 10, 16), 10),
        (date(2026, 2, 13), date(2026, 3, 5), 10),
        (date(2026, 9, 28), date(2026, 9, 28), 0),
        (date(2026, 10, 16), date(2026, 9, 28), 0),
        (date(2026, 9, 30), date(2026, 10, 8), 1),  # only 10-08 in (09-30, 10-08]
        (date(2026, 10, 1), date(2026, 10, 10), 3),  # 10-08, 10-09 and Saturday 10-10
    ],
)
def test_working_days_between_counts_half_open_interval(
    calendar: WorkCalendar, start: date, end: date, count: int
) -> None:
    assert calendar.working_days_between(start, end) == count


@pytest.mark.parametrize("start", _span(date(2026, 1, 1), date(2026, 12, 31))[::7])
def test_working_days_between_inverts_add_working_days(calendar: WorkCalendar, start: date) -> None:
    due = calendar.add_working_days(start, 10).due_date
    assert calendar.working_days_between(start, due) == 10
    assert calendar.working_days_between(start, due - timedelta(days=1)) == 9


def test_load_year_data_parses_dates() -> None:
    data = load_year_data(
        {
            "year": 2027,
            "holidays": ["2027-01-01", "2027-02-08"],
            "workdays": ["2027-02-06"],
        }
    )
    assert data == YearData(
        2027,
        frozenset({date(2027, 1, 1), date(2027, 2, 8)}),
        frozenset({date(2027, 2, 6)}),
    )


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({"holidays": [], "workdays": []}, "year"),
        ({"year": "2027", "holidays": [], "workdays": []}, "year"),
        ({"year": True, "holidays": [], "workdays": []}, "year"),
        ({"year": 2027, "workdays": []}, "holidays"),
        ({"year": 2027, "holidays": []}, "workdays"),
        ({"year": 2027, "holidays": "2027-01-01", "workdays": []}, "holidays"),
        ({"year": 2027, "holidays": [20270101], "workdays": []}, "20270101"),
        ({"year": 2027, "holidays": ["20270101"], "workdays": []}, "20270101"),
        ({"year": 2027, "holidays": ["2027-02-30"], "workdays": []}, "2027-02-30"),
        (
            {"year": 2027, "holidays": ["2026-12-31"], "workdays": []},
            "outside the year",
        ),
        (
            {"year": 2027, "holidays": [], "workdays": ["2028-01-08"]},
            "outside the year",
        ),
        (
            {"year": 2027, "holidays": ["2027-02-06"], "workdays": ["2027-02-06"]},
            "both",
        ),
        ({"year": 2027, "holidays": [], "workdays": ["2027-02-08"]}, "weekends"),
    ],
)
def test_load_year_data_rejects_bad_data_clearly(obj: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_year_data(obj)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2026, 9, 27, 16, 0, tzinfo=UTC), date(2026, 9, 28)),
        (datetime(2026, 9, 27, 15, 59, 59, 999999, tzinfo=UTC), date(2026, 9, 27)),
        (
            datetime(2026, 9, 28, 0, 30, tzinfo=timezone(timedelta(hours=8))),
            date(2026, 9, 28),
        ),
        (
            datetime(2026, 9, 27, 12, 0, tzinfo=timezone(timedelta(hours=-5))),
            date(2026, 9, 28),
        ),
    ],
)
def test_local_date_is_the_shanghai_date(instant: datetime, expected: date) -> None:
    assert local_date(instant) == expected


def test_local_date_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        local_date(datetime(2026, 9, 28, 12, 0))


def test_end_of_local_day_is_last_microsecond_before_next_local_midnight() -> None:
    end = end_of_local_day(date(2026, 10, 16))
    assert end == datetime(2026, 10, 16, 15, 59, 59, 999999, tzinfo=UTC)
    assert end.utcoffset() == timedelta(0)
    assert local_date(end) == date(2026, 10, 16)
    assert local_date(end + timedelta(microseconds=1)) == date(2026, 10, 17)


def test_missing_tz_database_falls_back_to_fixed_utc8(
    monkeypatch: pytest.MonkeyPatch, fresh_caches: None
) -> None:
    def missing(key: str) -> zoneinfo.ZoneInfo:
        raise zoneinfo.ZoneInfoNotFoundError(key)

    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    assert local_date(datetime(2026, 9, 27, 16, 0, tzinfo=UTC)) == date(2026, 9, 28)
    assert end_of_local_day(date(2026, 10, 16)) == datetime(
        2026, 10, 16, 15, 59, 59, 999999, tzinfo=UTC
    )


def test_missing_holiday_library_degrades_to_provisional_deadlines(
    monkeypatch: pytest.MonkeyPatch, fresh_caches: None
) -> None:
    real_import = importlib.import_module

    def no_holiday_module(name: str, package: str | None = None) -> ModuleType:
        if name == "chinese_calendar":
            raise ImportError(name)
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", no_holiday_module)
    calendar = WorkCalendar()
    assert calendar.is_known_year(2026) is False
    assert calendar.add_working_days(date(2026, 9, 28), 10) == Deadline(date(2026, 10, 12), True)


def test_importing_the_module_does_not_load_the_holiday_library() -> None:
    code = "import sys, chalicelib.domain.calendar; sys.exit('chinese_calendar' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, check=False)
    assert result.returncode == 0


@pytest.mark.parametrize(
    ("start", "anniversary"),
    [
        (date(2026, 9, 28), date(2027, 9, 28)),
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2027, 2, 28), date(2028, 2, 28)),
        (date(2026, 12, 31), date(2027, 12, 31)),
        (date(2028, 3, 1), date(2029, 3, 1)),
    ],
)
def test_one_year_after_is_same_date_next_year(start: date, anniversary: date) -> None:
    assert one_year_after(start) == anniversary
