"""Luoyang dates and working-day deadlines (docs/domain.md §5).

Holiday data comes from, in order: override tables loaded as data (so a new
year's State Council notice needs no code change), then ``chinese_calendar``,
and otherwise weekends only, in which case any deadline that depended on the
guess is marked provisional and must be recomputed once data exists.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any

_DAY = timedelta(days=1)
# China has observed no DST since 1991, so a fixed +08:00 gives the same
# local dates as Asia/Shanghai for any instant this service will handle.
_FIXED_UTC8 = timezone(timedelta(hours=8), "Asia/Shanghai")
# Display offset for instants: China keeps no daylight saving time, so +08:00 all year.
SHANGHAI_OFFSET = _FIXED_UTC8


class YearDataError(ValueError):
    """Holiday data that cannot be trusted; a ValueError so callers need not know it."""


@dataclass(frozen=True)
class YearData:
    """One year's statutory holidays and make-up workdays (调休上班日)."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]

    def __post_init__(self) -> None:
        _require_in_year(self.year, "holidays", self.holidays)
        _require_in_year(self.year, "workdays", self.workdays)
        both = self.holidays & self.workdays
        if both:
            raise YearDataError(f"{self.year}: dates both holiday and workday: {_iso(both)}")
        # A make-up workday only means something on a weekend.
        weekdays = {d for d in self.workdays if d.weekday() < 5}
        if weekdays:
            raise YearDataError(f"{self.year}: make-up workdays must be weekends: {_iso(weekdays)}")


@dataclass(frozen=True)
class Deadline:
    due_date: date
    provisional: bool


class WorkCalendar:
    """Working days in mainland China; overrides win over chinese_calendar."""

    def __init__(self, overrides: Mapping[int, YearData] | None = None) -> None:
        self._overrides: dict[int, YearData] = dict(overrides or {})
        for key, data in self._overrides.items():
            if key != data.year:
                raise YearDataError(f"override keyed {key} holds data for {data.year}")
        self._library_years: dict[int, bool] = {}

    def is_known_year(self, year: int) -> bool:
        """True when official holiday data exists for the year."""
        return year in self._overrides or self._library_knows(year)

    def is_working_day(self, d: date) -> bool:
        data = self._overrides.get(d.year)
        if data is not None:
            return d in data.workdays or (d.weekday() < 5 and d not in data.holidays)
        if self._library_knows(d.year):
            return _library_is_workday(d)
        return d.weekday() < 5

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The n-th working day after start (start itself not counted)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day, provisional, remaining = start, False, n
        while remaining:
            day += _DAY
            provisional = provisional or not self.is_known_year(day.year)
            if self.is_working_day(day):
                remaining -= 1
        return Deadline(due_date=day, provisional=provisional)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; 0 when end is not after start."""
        count, day = 0, start
        while day < end:
            day += _DAY
            if self.is_working_day(day):
                count += 1
        return count

    def _library_knows(self, year: int) -> bool:
        known = self._library_years.get(year)
        if known is None:
            known = _library_has_year(year)
            self._library_years[year] = known
        return known


# The State Council's notice of next year's holidays usually comes out in November: from
# this day on, a year without it is worth telling the admins about (docs/domain.md §5).
WATCH_NEXT_YEAR_FROM = (11, 1)  # month, day


def missing_next_year(today: date, work_calendar: WorkCalendar) -> int | None:
    """Next year, if from 1 November on its official holiday data is still missing."""
    if (today.month, today.day) < WATCH_NEXT_YEAR_FROM:
        return None
    year = today.year + 1
    return None if work_calendar.is_known_year(year) else year


def load_year_data(obj: Mapping[str, Any]) -> YearData:
    """Parse {"year": 2027, "holidays": [ISO dates], "workdays": [ISO dates]}."""
    year = obj.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise YearDataError(f"'year' must be an integer, got {year!r}")
    return YearData(
        year=year,
        holidays=_parse_dates(year, "holidays", obj.get("holidays")),
        workdays=_parse_dates(year, "workdays", obj.get("workdays")),
    )


def local_date(instant: datetime) -> date:
    """The Luoyang calendar date of an aware instant."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(_shanghai()).date()


def end_of_local_day(d: date) -> datetime:
    """Last microsecond of local day d (next local midnight − 1 µs), in UTC."""
    next_midnight = datetime.combine(d + _DAY, time(0), tzinfo=_shanghai())
    return (next_midnight - timedelta(microseconds=1)).astimezone(UTC)


def years_after(d: date, years: int) -> date:
    """Same date ``years`` later; 29 Feb -> 28 Feb (民法典 arts. 201-202)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return date(d.year + years, 2, 28)


def one_year_after(d: date) -> date:
    return years_after(d, 1)


@lru_cache(maxsize=1)
def _shanghai() -> tzinfo:
    # Lambda images may lack the system tz database and the tzdata package.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:
        return _FIXED_UTC8


@lru_cache(maxsize=1)
def _library_workday_fn() -> Callable[[date], bool] | None:
    # Imported lazily so importing this module stays cheap; imported through
    # importlib because the package ships without type information.
    try:
        module = importlib.import_module("chinese_calendar")
    except ImportError:
        return None
    fn: Callable[[date], bool] = module.is_workday
    return fn


def _library_has_year(year: int) -> bool:
    fn = _library_workday_fn()
    if fn is None:
        return False
    try:
        fn(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _library_is_workday(d: date) -> bool:
    fn = _library_workday_fn()
    if fn is None:
        return d.weekday() < 5
    try:
        return bool(fn(d))
    except NotImplementedError:
        return d.weekday() < 5


def calendar_date(item: object) -> date:
    """A holiday file's date: YYYY-MM-DD only (fromisoformat would also take "20270101");
    ``ValueError`` naming what is wrong otherwise."""
    if not isinstance(item, str) or len(item) != 10:
        raise ValueError(f"{item!r} is not a YYYY-MM-DD date")
    try:
        return date.fromisoformat(item)
    except ValueError:
        raise ValueError(f"{item!r} is not a real date") from None


def _parse_dates(year: int, key: str, raw: object) -> frozenset[date]:
    if not isinstance(raw, list):
        raise YearDataError(f"{year}: '{key}' must be a list of ISO dates (YYYY-MM-DD)")
    parsed: set[date] = set()
    for item in raw:
        try:
            parsed.add(calendar_date(item))
        except ValueError as exc:
            raise YearDataError(f"{year}: '{key}' entry {exc}") from None
    return frozenset(parsed)


def _require_in_year(year: int, key: str, dates: Iterable[date]) -> None:
    outside = {d for d in dates if d.year != year}
    if outside:
        raise YearDataError(f"{year}: '{key}' has dates outside the year: {_iso(outside)}")


def _iso(dates: Iterable[date]) -> str:
    return ", ".join(d.isoformat() for d in sorted(dates))
