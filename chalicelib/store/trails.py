"""The table's append-only trails and the loaded calendar: the staff's reads of personal data
(the access log), the admins' actions, and every version of a year's holiday data. Part of
the DynamoDB repository (which owns the key scheme), as a mixin like ``worklists``."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import StaleStateError
from chalicelib.store import codec, keys
from chalicelib.store import transactions as tx
from chalicelib.store.records import (
    AccessRecord,
    AdminActionRecord,
    CalendarAlertRecord,
    CalendarVersionRecord,
    CalendarYearRecord,
    Row,
)


class Trails:
    """``CaseRepository``'s trails and calendar, for the DynamoDB repository."""

    _client: Any
    _table: str

    def _partition(
        self, pk: str, prefix: str, newest_first: bool = False, limit: int = 100
    ) -> list[dict[str, Any]]:
        raise NotImplementedError  # the repository's own

    def put_calendar_year(self, record: CalendarYearRecord) -> None:
        """The year's new current version, and the same as a kept version, at once; only over
        the version it replaces (``StaleStateError`` if another load came first)."""
        kept = CalendarVersionRecord(**record.model_dump())
        current = tx.put_version(self._table, record)
        codes = tx.run(self._client, [current, tx.put(self._table, kept, tx.ABSENT)])
        if codes:
            raise StaleStateError(f"calendar {record.year} changed meanwhile: {codes}")

    def calendar_versions(self, year: int) -> list[CalendarVersionRecord]:
        rows = self._partition(keys.CALENDAR_PK, f"VERSION#{year}#")
        return [CalendarVersionRecord(**r) for r in rows]

    def _put_new(self, record: Row) -> bool:
        """Write the row unless one with its key exists (a repeat: the same day's alert, the
        same request's record); whether it was written."""
        try:
            self._client.put_item(
                TableName=self._table, Item=codec.encode(record), ConditionExpression=tx.ABSENT
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def record_calendar_alert(self, record: CalendarAlertRecord) -> bool:
        return self._put_new(record)  # False: that day's alert went out already

    def record_admin_action(self, record: AdminActionRecord) -> None:
        self._put_new(record)

    def admin_actions(self, limit: int = 100) -> list[AdminActionRecord]:
        rows = self._partition(keys.ADMIN_ACTIONS_PK, "", newest_first=True, limit=limit)
        return [AdminActionRecord(**r) for r in rows]

    def record_access(self, record: AccessRecord) -> None:
        self._put_new(record)

    def access_log(
        self, case_id: str, after: str = "", limit: int = 100
    ) -> tuple[list[AccessRecord], str | None]:
        condition, values = "PK = :pk AND begins_with(SK, :read)", {":read": "READ#"}
        if after:  # the last sort key of the previous page
            condition, values = "PK = :pk AND SK > :after", {":after": after}
        response = self._client.query(
            TableName=self._table,
            KeyConditionExpression=condition,
            ExpressionAttributeValues=codec.marshal({":pk": keys.access_pk(case_id), **values}),
            Limit=limit + 1,  # one more tells whether there is another page
        )
        items = response.get("Items", [])
        page = items[:limit]
        last = str(codec.unmarshal(page[-1])["SK"]) if len(items) > limit else None
        return [AccessRecord(**codec.load(i)) for i in page], last

    def is_access_position(self, position: str) -> bool:
        return keys.ACCESS_SK_PATTERN.fullmatch(position) is not None

    def calendar_years(self) -> list[CalendarYearRecord]:
        return [CalendarYearRecord(**r) for r in self._partition(keys.CALENDAR_PK, "YEAR#")]
