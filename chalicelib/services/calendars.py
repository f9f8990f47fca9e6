"""The working-day calendar the service uses: the library's data, overridden by the
versioned files in ``chalicelib/data/holidays`` and then by years an admin loaded into the
table. Cached for a few minutes, so loaded data takes effect without a deployment."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from chalicelib.domain.calendar import WorkCalendar, YearData, load_year_data
from chalicelib.domain.problems import Problem
from chalicelib.errors import InvalidInput, InvalidState
from chalicelib.store.records import CalendarYearRecord
from chalicelib.store.repository import CaseRepository

if TYPE_CHECKING:
    from chalicelib.services.context import Services


HOLIDAYS = Path(__file__).resolve().parent.parent / "data" / "holidays"


def bundled_years() -> dict[int, YearData]:
    years = {}
    for entry in sorted(HOLIDAYS.iterdir()):  # a plain read: see api.routing
        if entry.name.endswith(".json"):
            data = load_year_data(json.loads(entry.read_text("utf-8")))
            years[data.year] = data
    return years


def as_year_data(record: CalendarYearRecord) -> YearData:
    return load_year_data(record.model_dump())


class CachedCalendar:
    def __init__(
        self, repo: CaseRepository, ttl_s: float, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._repo, self._ttl, self._now = repo, ttl_s, now
        self._lock = threading.Lock()
        self._calendar: WorkCalendar | None = None
        self._expires = 0.0

    def __call__(self) -> WorkCalendar:
        with self._lock:
            if self._calendar is None or self._now() >= self._expires:
                years = bundled_years()
                years.update({r.year: as_year_data(r) for r in self._repo.calendar_years()})
                self._calendar = WorkCalendar(years)
                self._expires = self._now() + self._ttl
            return self._calendar

    def invalidate(self) -> None:
        with self._lock:
            self._calendar = None


@dataclass(frozen=True)
class YearLoad:
    """An admin's load of a year's official holiday data."""

    year: int
    holidays: list[date]
    workdays: list[date]
    source: str
    replace: bool = False  # the year already has official data: replace it on purpose


def store_year(svc: Services, load: YearLoad, at: str, by: str | None) -> CalendarYearRecord:
    """Validate and store a year's official data as its next version (earlier versions are
    kept); it is used from the next cache refresh. A year that already has official data,
    bundled or loaded, is replaced only when the admin says so."""
    current = next((r for r in svc.repo.calendar_years() if r.year == load.year), None)
    record = CalendarYearRecord(
        year=load.year,
        holidays=sorted(d.isoformat() for d in load.holidays),
        workdays=sorted(d.isoformat() for d in load.workdays),
        source=load.source,
        loaded_at=at,
        version=current.version + 1 if current else 1,
        loaded_by=by,
    )
    try:
        as_year_data(record)
    except ValueError as exc:
        raise InvalidInput(
            problems=[Problem("holidays", "calendar.invalid", f"节假日数据无效：{exc}")]
        ) from exc
    if (current or svc.calendar.is_known_year(load.year)) and not load.replace:
        raise InvalidState(
            f"{load.year} 年已有官方节假日数据；确需替换请设置 replace: true（旧版本保留可查）",
            code="calendar.year_exists",
        )
    svc.repo.put_calendar_year(record)
    svc.calendars.invalidate()  # this container at once; others within the cache's lifetime
    return record
