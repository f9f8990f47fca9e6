"""The statistics counters a change moves, as one DynamoDB update added to its transaction
(so a counter moves exactly when the change commits, never twice)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from chalicelib.domain.calendar import local_date
from chalicelib.domain.stats import CASE, FOLLOW_UP, Closings, Rated, increments
from chalicelib.store import codec, keys
from chalicelib.store.records import (
    CaseRecord,
    EventRecord,
    FollowUpRecord,
    ItemRecord,
    Versioned,
)
from chalicelib.store.repository import CaseChange


def _county(rows: Sequence[Versioned]) -> str:
    return next((str(getattr(r, "county", "")) for r in rows if getattr(r, "county", "")), "")


def counts_for(
    case: CaseRecord | None,
    items: Sequence[ItemRecord],
    events: Sequence[EventRecord],
    others: Sequence[Versioned] = (),
) -> tuple[str, str, Counter[str]] | None:
    """(day, county, counts) of a change; None when it moves no counter."""
    if not events:
        return None
    counts = increments(
        ((e.type, e.item) for e in events),
        channel=case.channel if case else None,
        chosen=case.items if case else (),
        rating=_rating_given(case, events),
        closings=_closings(case, items, others),
    )
    if not counts:
        return None
    day = local_date(datetime.fromisoformat(events[0].at)).isoformat()
    rows: list[Versioned] = [r for r in (case, *items, *others) if r is not None]
    return day, _county(rows), counts


def _rating_given(case: CaseRecord | None, events: Sequence[EventRecord]) -> Rated | None:
    """The rating a change gives: a change rates one stage, appended last (services.feedback)."""
    if case is None or not case.ratings or not any(e.type == "rated" for e in events):
        return None
    given = case.ratings[-1]
    return Rated(str(given["stage"]), int(given["level"]))


def _closings(
    case: CaseRecord | None, items: Sequence[ItemRecord], others: Sequence[Versioned]
) -> Closings:
    """What the changed rows say about what the change closes (see ``stats.Closings``)."""
    finished: list[CaseRecord | ItemRecord] = [i for i in items if i.finished_at]
    names = {id(i): i.code for i in items}
    if case is not None and case.finished_at:
        finished.append(case)
        names[id(case)] = CASE
    breached = {names[id(r)] for r in finished if r.breached_at}
    if any(isinstance(o, FollowUpRecord) and o.breached_at for o in others):
        breached.add(FOLLOW_UP)
    return Closings(
        taken={i.code: i.working_days_taken for i in items if i.working_days_taken is not None},
        on_time={names[id(r)] for r in finished if r.working_days_late is None},
        breached=breached,
    )


def update(table: str, day: str, county: str, counts: Counter[str]) -> dict[str, Any]:
    names = {f"#c{n}": name for n, name in enumerate(sorted(counts))}
    values = {f":c{n}": counts[name] for n, name in enumerate(sorted(counts))}
    shard = random.randrange(keys.STAT_SHARDS)  # noqa: S311 - spreading writes, not secrecy  # nosec B311
    key = {"PK": keys.stats_pk(day), "SK": keys.stats_sk(day, county, shard)}
    return {
        "Update": {
            "TableName": table,
            "Key": codec.marshal(key),
            "UpdateExpression": "ADD " + ", ".join(f"{n} :{n[1:]}" for n in names),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": codec.marshal(values),
        }
    }


def for_change(table: str, change: CaseChange) -> list[dict[str, Any]]:
    found = counts_for(change.case, change.items, change.events, change.others)
    return [update(table, *found)] if found else []


def read(
    query_all: Callable[..., list[dict[str, Any]]], first_day: str, last_day: str
) -> list[tuple[str, str, dict[str, int]]]:
    """Every (day, county, counts) row from the first day to the last, month by month."""
    rows = []
    for month in _months(first_day, last_day):
        items = query_all(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :a AND :b",
            ExpressionAttributeValues=codec.marshal(
                {":pk": keys.stats_pk(month), ":a": first_day, ":b": last_day + "#~"}
            ),
        )
        for item in items:
            plain = codec.unmarshal(item)
            day, county, _ = str(plain.pop("SK")).split("#")
            plain.pop("PK")
            rows.append((day, county, {k: int(v) for k, v in plain.items()}))
    return rows


def _months(first_day: str, last_day: str) -> list[str]:
    """Each month (YYYY-MM) from the first day's to the last day's."""
    year, month = int(first_day[:4]), int(first_day[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last_day[:7]:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
