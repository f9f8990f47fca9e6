"""``ops calendar load FILE``: a year's official holiday arrangement (国务院办公厅关于…年部分
节假日安排的通知), checked here before it is sent, then ``PUT /v1/admin/calendar/{year}``.

The file is the one ``chalicelib/data/holidays/README.md`` describes:
``{"year": 2027, "source": "国办发明电〔2026〕N号", "holidays": [...], "workdays": [...]}``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from chalicelib.domain.calendar import calendar_date

MIN_HOLIDAYS = 20  # New Year, Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn,
# National Day: more than 20 statutory days off every year since 2008 (28 from 2025 on)


def problems(data: Any) -> list[str]:
    """Everything wrong with the file at once (empty when it may be sent)."""
    if not isinstance(data, dict):
        return ["the file must hold one JSON object"]
    found = []
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        return ["year: a year such as 2027"]
    if not str(data.get("source", "")).strip():
        found.append("source: the notice's number, e.g. 国办发明电〔2026〕N号")
    holidays, bad_h = _dates(data.get("holidays"), year, "holidays")
    workdays, bad_w = _dates(data.get("workdays"), year, "workdays")
    found += bad_h + bad_w
    if len(holidays) < MIN_HOLIDAYS and not bad_h:
        found.append(f"holidays: only {len(holidays)} days; a year has at least {MIN_HOLIDAYS}")
    found += [f"workdays: {d} is a weekday, not a make-up day" for d in workdays if _weekday(d)]
    found += [f"{d} is both a holiday and a workday" for d in sorted(holidays & workdays)]
    return found


def _dates(raw: Any, year: int, key: str) -> tuple[set[date], list[str]]:
    if not isinstance(raw, list):
        return set(), [f"{key}: a list of YYYY-MM-DD dates"]
    found: set[date] = set()
    bad = []
    for value in raw:
        try:
            day = calendar_date(value)  # the service's own rule for a holiday file's dates
        except ValueError as exc:
            bad.append(f"{key}: {exc}")
            continue
        if day.year != year:
            bad.append(f"{key}: {day} is not in {year}")
        if day in found:
            bad.append(f"{key}: {day} appears twice")
        found.add(day)
    return found, bad


def _weekday(day: date) -> bool:
    return day.weekday() < 5


def read(path: Path) -> tuple[dict[str, Any], list[str]]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        return {}, [f"{path}: {exc}"]
    return data, problems(data)


def body(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "holidays": sorted(data["holidays"]),
        "workdays": sorted(data["workdays"]),
        "source": data["source"],
    }
