"""The change feeds' rows, derived from the rows a change writes (so a feed row exists exactly
when the change it describes committed: same transaction, no lost or phantom events).

Each published history entry gets one small row per audience that may see its case, the
same audiences as ``domain.access.can_view_case``: the applicant (person key), the county's
clerks, the officers of every department the case involves in its county, and admins (one
partition for the whole city: a few events a second at the very most, far below what one
partition takes, and it keeps the admin feed one ordered Query)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chalicelib.domain import catalogue
from chalicelib.domain.events import FeedScope, event_type
from chalicelib.store import codec, keys
from chalicelib.store.records import (
    CaseRecord,
    DeliveryRecord,
    EventRecord,
    FeedRecord,
    FollowUpRecord,
    ItemRecord,
    Row,
)
from chalicelib.store.repository import FeedPage


@dataclass(frozen=True)
class Audience:
    person_key: str | None
    county: str
    departments: tuple[str, ...]

    def feeds(self) -> list[str]:
        found = [keys.FEED_ALL_PK, keys.feed_county_pk(self.county)]
        found += [keys.feed_department_pk(d, self.county) for d in self.departments]
        if self.person_key:
            found.append(keys.feed_person_pk(self.person_key))
        return found


def audience_of(rows: Sequence[Row]) -> Audience | None:
    """Whose case the rows belong to: the case row says it all; item, delivery and follow-up
    rows carry the same facts for changes that do not touch the case row."""
    for row in rows:
        if isinstance(row, CaseRecord):
            return Audience(row.person_key, row.county, tuple(sorted(row.departments)))
    for row in rows:
        if isinstance(row, ItemRecord):
            departments = row.case_departments or [row.department]
            return Audience(row.person_key, row.county, tuple(sorted(departments)))
        if isinstance(row, DeliveryRecord | FollowUpRecord):
            departments = row.case_departments or _own(row)
            return Audience(row.person_key, row.county, tuple(sorted(departments)))
    return None


def _own(row: DeliveryRecord | FollowUpRecord) -> list[str]:
    return [row.department] if isinstance(row, FollowUpRecord) else []


def event_id(entry: EventRecord) -> str:
    """Stable and the same in every feed: a digest of the history entry's own key."""
    text = f"{entry.case_id}|{entry.at}|{entry.seq}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _status(entry: EventRecord, rows: Sequence[Row]) -> str | None:
    """The status of what the entry is about, after the change."""
    for row in rows:
        if entry.item and isinstance(row, ItemRecord) and row.code == entry.item:
            return row.status
        if not entry.item and isinstance(row, CaseRecord):
            return row.status
    for row in rows:
        if isinstance(row, DeliveryRecord | FollowUpRecord):
            return row.status
    return None


def feed_rows(
    rows: Sequence[Row], events: Sequence[EventRecord], recorded_at: str
) -> list[FeedRecord]:
    """The feed rows of a change that writes ``rows`` and the history ``events``."""
    audience = audience_of(rows)
    if audience is None:
        return []
    found = []
    codes = catalogue.codes()
    for entry in events:
        kind = event_type(entry.type, entry.item)
        if kind is None:
            continue
        common = {
            "recorded_at": recorded_at,
            "case_id": entry.case_id,
            "seq": entry.seq,
            "id": event_id(entry),
            "type": kind.value,
            "occurred_at": entry.at,
            "item": entry.item if entry.item in codes else None,
            "status": _status(entry, rows),
        }
        found += [FeedRecord(feed=feed, **common) for feed in audience.feeds()]
    return found


def read_page(
    client: Any, table: str, partition: str, after: str, upto: str, limit: int
) -> FeedPage:
    """One Query: the feed's events after ``after`` and recorded at or before ``upto``."""
    high = keys.feed_upto(upto)
    low = keys.feed_after(after) if after else ""
    if low > high:  # a position past the settled part of the feed: nothing yet
        return FeedPage([], after, False)
    condition = "PK = :pk AND " + ("SK BETWEEN :low AND :high" if low else "SK <= :high")
    values = {":pk": partition, ":high": high} | ({":low": low} if low else {})
    response = client.query(
        TableName=table,
        KeyConditionExpression=condition,
        ExpressionAttributeValues=codec.marshal(values),
        ConsistentRead=True,  # with the settle window, nothing committed is skipped
        Limit=limit + 1,  # one more tells whether another page is ready
    )
    items = response.get("Items", [])
    page = items[:limit]
    position = str(codec.unmarshal(page[-1])["SK"]) if page else after
    return FeedPage([FeedRecord(**codec.load(i)) for i in page], position, len(items) > limit)


def partition_of(scope: FeedScope) -> str:
    """The feed partition a scope reads (the same audiences ``Audience.feeds`` writes)."""
    if scope.person_key:
        return keys.feed_person_pk(scope.person_key)
    if scope.department and scope.county:
        return keys.feed_department_pk(scope.department, scope.county)
    if scope.county:
        return keys.feed_county_pk(scope.county)
    return keys.FEED_ALL_PK
