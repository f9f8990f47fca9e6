"""The report's figures: the API's summary for the whole period and for each week in it
(``GET /v1/reports/summary``), nothing computed from anything else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rich.console import Console

from ops.api import Api
from ops.console import progress

MAX_DAYS = 366  # what the API answers for one period


@dataclass(frozen=True)
class Week:
    first: date  # the Monday, or the period's first day
    last: date  # the Sunday, or the period's last day

    @property
    def span(self) -> str:
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


@dataclass(frozen=True)
class Figures:
    first: date
    last: date
    total: dict[str, Any]  # the summary of the whole period
    weeks: list[tuple[Week, dict[str, Any]]]  # each week's own summary


def weeks(first: date, last: date) -> list[Week]:
    """Calendar weeks (Monday to Sunday) cut to the period."""
    found = []
    start = first
    while start <= last:
        sunday = start + timedelta(days=6 - start.weekday())
        found.append(Week(start, min(sunday, last)))
        start = sunday + timedelta(days=1)
    return found


def period(first: str, last: str) -> tuple[date, date]:
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    if b < a or (b - a).days >= MAX_DAYS:
        raise ValueError(f"--from … --to must be 1 to {MAX_DAYS} days, --to not before --from")
    return a, b


def fetch(api: Api, console: Console, first: date, last: date) -> Figures:
    found = weeks(first, last)
    summaries = []
    with progress(console, "reading weekly figures 读取每周数据", len(found) + 1) as advance:
        total = _summary(api, first, last)
        advance(1)
        for week in found:
            summaries.append((week, _summary(api, week.first, week.last)))
            advance(1)
    return Figures(first, last, total, summaries)


def _summary(api: Api, first: date, last: date) -> dict[str, Any]:
    query = {"from": first.isoformat(), "to": last.isoformat()}
    summary: dict[str, Any] = api.get("/v1/reports/summary", query)
    return summary
