"""The jobs' work lists on the table's sparse indexes: exactly the rows that are due, a page
at a time (never a Scan). Part of the DynamoDB repository, which owns the key scheme."""

from __future__ import annotations

from typing import Any

from chalicelib.store import codec, keys
from chalicelib.store.listings import BreachListing
from chalicelib.store.records import CaseRecord, FollowUpRecord, ItemRecord
from chalicelib.store.repository import Cursor, Page, Scheduled

_SCHEDULED: dict[str, type[Scheduled]] = {
    "case": CaseRecord,
    "item": ItemRecord,
    "follow_up": FollowUpRecord,
}


def scheduled_records(items: list[dict[str, Any]]) -> list[Scheduled]:
    return [_SCHEDULED[codec.kind_of(i)](**codec.load(i)) for i in items]


def breach_listing(item: dict[str, Any], provisional: bool = False) -> BreachListing:
    """A breach list's row, from the attributes its index projects (store.schema). A
    provisional one was seen passing at the instant its sort key starts with (store.codec)."""
    row, kind = codec.load(item), codec.kind_of(item)
    label = {"case": "case", "follow_up": "follow_up"}.get(kind) or str(row["code"])
    seen = str(codec.unmarshal(item)[f"{keys.GSI_BREACH}SK"]).split("#", 1)[0]
    return BreachListing(
        case_id=str(row["id"] if kind == "case" else row["case_id"]),
        item=label,
        due_date=str(row["due_date"]),
        flagged_at=seen if provisional else str(row.get("breached_at") or row["updated_at"]),
        provisional=provisional,
    )


class WorkLists:
    """``CaseRepository``'s work-list queries, for the DynamoDB repository."""

    _client: Any
    _table: str

    def _scheduled(self, index: str, partition: str, upto: str, cursor: Cursor, limit: int) -> Page:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            # "~" sorts after every character the sort keys use: the whole of ``upto`` is due.
            "KeyConditionExpression": f"{index}PK = :pk AND {index}SK <= :upto",
            "ExpressionAttributeValues": codec.marshal({":pk": partition, ":upto": upto + "~"}),
            "Limit": limit,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = cursor
        response = self._client.query(**kwargs)
        items = response.get("Items", [])
        return Page(scheduled_records(items), response.get("LastEvaluatedKey"), len(items))

    def due(self, before: str, cursor: Cursor, limit: int) -> Page:
        return self._scheduled(keys.GSI_DUE, keys.DUE_PK, before, cursor, limit)

    def reminders_due(self, on: str, cursor: Cursor, limit: int) -> Page:
        return self._scheduled(keys.GSI_REMIND, keys.REMIND_PK, on, cursor, limit)

    def unstarted(self, accepted_before: str, cursor: Cursor, limit: int) -> Page:
        return self._scheduled(
            keys.GSI_UNSTARTED, keys.UNSTARTED_PK, accepted_before, cursor, limit
        )

    def lost_retries(self, before: str, cursor: Cursor, limit: int) -> Page:
        return self._scheduled(keys.GSI_REMIND, keys.RETRY_PK, before, cursor, limit)

    def failed_items(self, cursor: Cursor, limit: int) -> Page:
        return self._scheduled(keys.GSI_UNSTARTED, keys.FAILED_PK, "9999", cursor, limit)

    def provisional(self, cursor: Cursor, limit: int) -> Page:
        far = "9999"  # every provisional row, whatever its due date
        return self._scheduled(keys.GSI_PROVISIONAL, keys.PROVISIONAL_PK, far, cursor, limit)
