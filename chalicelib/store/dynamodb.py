"""The repository on one DynamoDB table (single-table design; keys in ``keys``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.events import FeedScope
from chalicelib.errors import (
    AlreadyExistsError,
    StaleStateError,
    SubsidyAlreadyGranted,
    UploadAlreadyCited,
)
from chalicelib.store import codec, counters, feed, health, keys
from chalicelib.store import transactions as tx
from chalicelib.store.grants import Grants
from chalicelib.store.listings import BreachListing, CaseListing, TaskListing
from chalicelib.store.records import (
    CaseBundle,
    CaseRecord,
    CertificateRecord,
    DeliveryRecord,
    EventRecord,
    FollowUpRecord,
    IdempotencyRecord,
    ItemRecord,
    NoticeRecord,
    NotificationRecord,
    Row,
    SubsidyGrantRecord,
    UploadCitationRecord,
    Versioned,
)
from chalicelib.store.repository import (
    CaseChange,
    CaseRepository,
    ConnectorHealth,
    FeedPage,
)
from chalicelib.store.trails import Trails
from chalicelib.store.worklists import WorkLists, breach_listing


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _cited(rows: Sequence[Row]) -> dict[int, str]:
    """The operation index of each upload citation among ``rows`` (written in their order, at
    the head of the transaction), and the upload it cites."""
    return {n: r.key for n, r in enumerate(rows) if isinstance(r, UploadCitationRecord)}


def _check_citations(codes: list[str], cited: dict[int, str]) -> None:
    """``UploadAlreadyCited`` when a citation's put failed: another case cites that upload."""
    taken = [key for n, key in cited.items() if n < len(codes) and codes[n] == tx.FAILED]
    if taken:
        raise UploadAlreadyCited(taken)


class DynamoDBCaseRepository(WorkLists, Trails, Grants, CaseRepository):
    def __init__(
        self, client: Any, table_name: str, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self._client = client
        self._table = table_name
        self._clock = clock  # real time: orders the change feeds, whatever the services' clock

    def _recorded_at(self, seconds_ago: int = 0) -> str:
        instant = self._clock() - timedelta(seconds=seconds_ago)
        return instant.astimezone(UTC).isoformat(timespec="microseconds")

    # -- writing -------------------------------------------------------------------------
    def create_case(
        self,
        case: CaseRecord,
        items: Sequence[ItemRecord],
        events: Sequence[EventRecord],
        idempotency: IdempotencyRecord | None,
        notes: Sequence[NotificationRecord] = (),
        citations: Sequence[UploadCitationRecord] = (),
    ) -> None:
        records: list[Row] = [case, *items, *events, *notes, *citations]
        records += feed.feed_rows([case, *items], events, self._recorded_at())
        operations = [tx.put(self._table, r, tx.ABSENT) for r in records]
        found = counters.counts_for(case, items, events)
        operations += [counters.update(self._table, *found)] if found else []
        if idempotency is not None:  # last: its cancellation reason is read below
            expired = f"{tx.ABSENT} OR expires_at <= :now"
            operations.append(
                tx.put(self._table, idempotency, expired, {":now": idempotency.created_at})
            )
        codes = tx.run(self._client, operations)
        if idempotency is not None and codes and codes[-1] == tx.FAILED:
            raise AlreadyExistsError(idempotency.client_key)
        _check_citations(codes, _cited(records))
        if codes:
            raise StaleStateError(f"case {case.id} not created: {codes}")

    def apply(self, change: CaseChange) -> None:
        versioned: list[Versioned] = [*change.items, *change.others]
        if change.case is not None:
            versioned.append(change.case)
        operations = [tx.put_version(self._table, r) for r in versioned]
        written = [*versioned, *change.created]
        feed_rows = feed.feed_rows(written, change.events, self._recorded_at())
        operations += [tx.put(self._table, r, tx.ABSENT) for r in [*change.events, *change.created]]
        operations += [tx.keep(self._table, r) for r in change.kept]
        heads = [*versioned, *change.events, *change.created]  # operations 0..len-1, in order
        grants = {n for n, r in enumerate(heads) if isinstance(r, SubsidyGrantRecord)}
        for person in change.subsidy_persons:
            grants.add(len(operations))
            operations.append(tx.absent(self._table, keys.person_pk(person), keys.SUBSIDY_SK))
        operations += counters.for_change(self._table, change)
        operations += [
            tx.put(self._table, r, tx.ABSENT) for r in feed_rows
        ]  # last: indexes above hold
        codes = tx.run(self._client, operations)
        if any(codes[n] == tx.FAILED for n in grants if n < len(codes)):
            raise SubsidyAlreadyGranted(change.case_id)
        _check_citations(codes, _cited(heads))
        if codes:
            raise StaleStateError(f"case {change.case_id} changed meanwhile: {codes}")

    # -- reading -------------------------------------------------------------------------
    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        return codec.get_row(self._client, self._table, pk, sk)

    def _query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        while True:
            response = self._client.query(TableName=self._table, **kwargs)
            rows += response.get("Items", [])
            if "LastEvaluatedKey" not in response:
                return rows
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _partition(
        self, pk: str, prefix: str, newest_first: bool = False, limit: int = 100
    ) -> list[dict[str, Any]]:
        condition, values = "PK = :pk", {":pk": pk}
        if prefix:
            condition, values = (
                f"{condition} AND begins_with(SK, :prefix)",
                values | {":prefix": prefix},
            )
        response = self._client.query(
            TableName=self._table,
            KeyConditionExpression=condition,
            ExpressionAttributeValues=codec.marshal(values),
            ScanIndexForward=not newest_first,
            Limit=limit,
        )
        return [codec.load(i) for i in response.get("Items", [])]

    def get_idempotency(self, scope: str, client_key: str) -> IdempotencyRecord | None:
        row = self._get(keys.idempotency_pk(scope, client_key), keys.IDEMPOTENCY_SK)
        return IdempotencyRecord(**row) if row else None

    def load_case(self, case_id: str) -> CaseBundle | None:
        rows = self._query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=codec.marshal({":pk": keys.case_pk(case_id)}),
            ConsistentRead=True,
        )
        by_kind: dict[str, list[dict[str, Any]]] = {"case": [], "item": [], "event": []}
        for row in rows:
            by_kind.setdefault(codec.kind_of(row), []).append(codec.load(row))
        if not by_kind["case"]:
            return None
        return CaseBundle(
            case=CaseRecord(**by_kind["case"][0]),
            items=[ItemRecord(**r) for r in by_kind["item"]],
            events=[EventRecord(**r) for r in by_kind["event"]],
        )

    def get_case(self, case_id: str) -> CaseRecord | None:
        row = self._get(keys.case_pk(case_id), keys.CASE_SK)
        return CaseRecord(**row) if row else None

    def _index_query(
        self, index: str, pk: str, limit: int, newest_first: bool
    ) -> list[dict[str, Any]]:
        response = self._client.query(
            TableName=self._table,
            IndexName=index,
            KeyConditionExpression=f"{index}PK = :pk",
            ExpressionAttributeValues=codec.marshal({":pk": pk}),
            ScanIndexForward=not newest_first,
            Limit=limit,
        )
        items: list[dict[str, Any]] = response.get("Items", [])
        return items

    def cases_of_person(self, person_key: str, limit: int = 50) -> list[CaseListing]:
        items = self._index_query(keys.GSI_OWNER, keys.person_pk(person_key), limit, True)
        return [CaseListing(**codec.load(i)) for i in items]

    def cases_of_clerk(self, clerk_id: str, limit: int = 50) -> list[CaseListing]:
        items = self._index_query(keys.GSI_QUEUE, keys.clerk_pk(clerk_id), limit, True)
        return [CaseListing(**codec.load(i)) for i in items]

    def tasks(
        self, department: str, county: str, task_status: str, limit: int = 100
    ) -> list[TaskListing]:
        pk = keys.queue_pk(department, county, task_status)
        items = self._index_query(keys.GSI_QUEUE, pk, limit, False)  # most urgent first
        return [TaskListing(**codec.load(i)) for i in items]

    def breaches(self, department: str, county: str) -> list[BreachListing]:
        items = self._index_query(keys.GSI_BREACH, keys.breach_pk(department, county), 200, False)
        return [breach_listing(i) for i in items]

    def provisional_breaches(self, department: str, county: str) -> list[BreachListing]:
        pk = keys.provisional_breach_pk(department, county)
        items = self._index_query(keys.GSI_BREACH, pk, 200, False)
        return [breach_listing(i, provisional=True) for i in items]

    def follow_ups(self, department: str, county: str, status: str) -> list[FollowUpRecord]:
        pk = keys.follow_up_pk(department, county, status)
        items = self._index_query(keys.GSI_QUEUE, pk, 200, False)
        return [FollowUpRecord(**codec.load(i)) for i in items]

    def follow_ups_of_case(self, case_id: str) -> list[FollowUpRecord]:
        rows = self._partition(keys.case_pk(case_id), keys.FOLLOW_UP_SK)
        return [FollowUpRecord(**r) for r in rows]

    def get_delivery(self, case_id: str) -> DeliveryRecord | None:
        row = self._get(keys.case_pk(case_id), keys.DELIVERY_SK)
        return DeliveryRecord(**row) if row else None

    def mark_read(self, person_key: str, notification_id: str) -> bool:
        key = {"PK": keys.person_pk(person_key), "SK": keys.notification_sk(notification_id)}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=codec.marshal(key),
                UpdateExpression="SET #read = :yes",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#read": "read"},
                ExpressionAttributeValues=codec.marshal({":yes": True}),
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def certificates(self, person_key: str) -> list[CertificateRecord]:
        rows = self._partition(keys.person_pk(person_key), keys.certificate_sk(""), limit=200)
        return [CertificateRecord(**r) for r in rows]

    def notifications(self, person_key: str, limit: int = 100) -> list[NotificationRecord]:
        rows = self._partition(keys.person_pk(person_key), "NOTE#", newest_first=True, limit=limit)
        return [NotificationRecord(**r) for r in rows]

    def notices(self, limit: int = 200) -> list[NoticeRecord]:
        return [NoticeRecord(**r) for r in self._partition(keys.NOTICE_PK, "", True, limit)]

    def feed(self, scope: FeedScope, after: str, settle_s: int, limit: int) -> FeedPage:
        upto = self._recorded_at(settle_s)
        partition = feed.partition_of(scope)
        return feed.read_page(self._client, self._table, partition, after, upto, limit)

    def connector_health(self, connector: str, since: str) -> ConnectorHealth:
        return health.read(self._client, self._table, connector, since)

    def is_feed_position(self, position: str) -> bool:
        return keys.FEED_SK_PATTERN.fullmatch(position) is not None

    def counters(self, first_day: str, last_day: str) -> list[tuple[str, str, dict[str, int]]]:
        return counters.read(self._query_all, first_day, last_day)


__all__ = ["AlreadyExistsError", "DynamoDBCaseRepository"]
