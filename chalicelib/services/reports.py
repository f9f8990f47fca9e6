"""Use case: the working group's summary, aggregated from the counters kept at write time."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from chalicelib.domain import catalogue
from chalicelib.domain.calendar import local_date
from chalicelib.domain.contact import LUOYANG_COUNTIES
from chalicelib.domain.problems import Problem
from chalicelib.domain.rating import LEVELS, RatingStage
from chalicelib.domain.sms import SmsState
from chalicelib.domain.stats import percentile
from chalicelib.errors import InvalidInput
from chalicelib.services.context import Services

MAX_DAYS = 366
# The SMS channel's states, as the notification list names them (services.sms counts each
# notification once per state it reaches).
# every state a notification's SMS can end a day in (``sending`` is a sender's own, brief)
SMS_STATES = tuple(s.value for s in SmsState if s is not SmsState.SENDING)
DEFAULT_DAYS = 30  # without ``from``: the 30 days ending on ``to``


def _dates(first: str, last: str) -> tuple[date, date]:
    try:
        a, b = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError as exc:
        raise InvalidInput(
            problems=[Problem("from", "date.format", "from / to 应为 YYYY-MM-DD 日期")]
        ) from exc
    if b < a or (b - a).days >= MAX_DAYS:
        raise InvalidInput(
            problems=[Problem("to", "range.invalid", "日期范围应为 1 至 366 天，且 to 不早于 from")]
        )
    return a, b


def default_period(svc: Services, first: str | None, last: str | None) -> tuple[str, str]:
    """``to`` defaults to today (Luoyang); ``from`` to the 30 days ending on ``to``."""
    last = last or local_date(svc.clock()).isoformat()
    if first:
        return first, last
    try:
        end = date.fromisoformat(last)
    except ValueError:
        return last, last  # reported once, by _dates, as a bad date
    return (end - timedelta(days=DEFAULT_DAYS - 1)).isoformat(), last


def summary(svc: Services, first: str | None, last: str | None) -> dict[str, Any]:
    a, b = _dates(*default_period(svc, first, last))
    by_county: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for _day, county, counts in svc.repo.counters(a.isoformat(), b.isoformat()):
        by_county[county] += counts.get("cases", 0)
        totals.update(counts)
    return {
        "from": a.isoformat(),
        "to": b.isoformat(),
        "cases": totals["cases"],
        "by_county": dict(sorted(by_county.items())),
        "by_channel": _group(totals, "channel."),
        "by_item": _group(totals, "chosen."),
        "finished_by_item": _group(totals, "finished."),
        "working_days": _durations(totals),
        "on_time": _group(totals, "on_time."),
        "breaches": _group(totals, "breaches."),
        "breaches_closed": _group(totals, "breaches_closed."),
        "ratings": {str(level): totals[f"rating.{level}"] for level in range(1, 6)},
        "ratings_by_stage": _ratings_by_stage(totals),
        "ended": _group(totals, "ended."),
        "sms": {state: totals[f"sms.{state}"] for state in SMS_STATES},
    }


def _group(totals: Counter[str], prefix: str) -> dict[str, int]:
    return {k[len(prefix) :]: v for k, v in sorted(totals.items()) if k.startswith(prefix) and v}


def _ratings_by_stage(totals: Counter[str]) -> dict[str, dict[str, int]]:
    """Ratings per stage and level. Ratings given before ratings had stages were given after
    the end (one per case): what the levels' totals hold beyond the stages' is completion's."""
    staged = {
        stage.value: {str(level): totals[f"rating.{stage}.{level}"] for level in LEVELS}
        for stage in RatingStage
    }
    for level in LEVELS:
        earlier = totals[f"rating.{level}"] - sum(s[str(level)] for s in staged.values())
        staged[RatingStage.COMPLETION][str(level)] += max(earlier, 0)
    return {stage: dict(sorted(levels.items())) for stage, levels in staged.items()}


def _durations(totals: Counter[str]) -> dict[str, dict[str, Any]]:
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    for name, count in totals.items():
        if name.startswith("days."):
            _, item, bucket = name.split(".")
            histograms[item][int(bucket)] = count
    return {
        item: {
            "median": percentile(h, 0.5),
            "p90": percentile(h, 0.9),
            "count": sum(h.values()),
            "histogram": {str(days): h[days] for days in sorted(h)},
        }
        for item, h in sorted(histograms.items())
    }


def current(svc: Services) -> dict[str, Any]:
    """What holds now, not over a period: open deadline breaches per department and county
    (the breach index, one ``Query`` per department and county), and which years around
    today have official holiday data."""
    today = local_date(svc.clock())
    open_breaches: dict[str, dict[str, int]] = {}
    for department in catalogue.department_codes():
        found = {c: len(svc.repo.breaches(department, c)) for c in LUOYANG_COUNTIES}
        open_breaches[str(department)] = {c: n for c, n in found.items() if n}
    work_calendar = svc.calendar
    loaded = {r.year: r.source for r in svc.repo.calendar_years()}
    years = range(today.year - 1, today.year + 2)
    return {
        "at": svc.now_iso(),
        "open_breaches": open_breaches,
        "calendar": {
            "today": today.isoformat(),
            "years": [
                {"year": y, "known": work_calendar.is_known_year(y), "loaded": loaded.get(y)}
                for y in years
            ],
            "next_year_known": work_calendar.is_known_year(today.year + 1),
            "loaded": sorted(loaded),
        },
    }
