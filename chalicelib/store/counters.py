"""The statistics counters a change moves, as one DynamoDB update added to its transaction
(so a counter moves exactly when the change commits, never twice)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from chalicelib.domain.calendar import local_date
from chalicelib.domain.stats import increments
from chalicelib.store import codec, keys
from chalicelib.store.records import CaseRecord, EventRecord, ItemRecord, Versioned
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
    taken = {i.code: i.working_days_taken for i in items if i.working_days_taken is not None}
    rating = case.rating["level"] if case is not None and case.rating else None
    counts = increments(
        ((e.type, e.item) for e in events),
        channel=case.channel if case else None,
        chosen=case.items if case else (),
        taken=taken,
        rating=rating,
    )
    if not counts:
        return None
    day = local_date(datetime.fromisoformat(events[0].at)).isoformat()
    rows: list[Versioned] = [r for r in (case, *items, *others) if r is not None]
    return day, _county(rows), counts


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
