"""The repository on one DynamoDB table (single-table design; keys in ``keys``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import AlreadyExistsError, StaleStateError, SubsidyAlreadyGranted
from chalicelib.store import codec, keys
from chalicelib.store.records import (
    CaseBundle,
    CaseRecord,
    CertificateRecord,
    EventRecord,
    IdempotencyRecord,
    ItemRecord,
)
from chalicelib.store.repository import CaseChange, CaseRepository

_ABSENT = "attribute_not_exists(PK)"


def _cancel_codes(exc: ClientError) -> list[str]:
    reasons = exc.response.get("CancellationReasons") or []
    return [str(r.get("Code", "None")) for r in reasons]


class DynamoDBCaseRepository(CaseRepository):
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _put(self, item: dict[str, Any], condition: str | None = None) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self._table, "Item": item}
        if condition:
            put["ConditionExpression"] = condition
        return {"Put": put}

    def _transact(self, operations: list[dict[str, Any]]) -> list[str]:
        """Run a transaction; on cancellation return each operation's reason code."""
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            return _cancel_codes(exc)
        return []

    def create_case(
        self,
        case: CaseRecord,
        items: Sequence[ItemRecord],
        events: Sequence[EventRecord],
        idempotency: IdempotencyRecord | None,
    ) -> None:
        operations = [self._put(codec.case_item(case), _ABSENT)]
        operations += [self._put(codec.item_item(i), _ABSENT) for i in items]
        operations += [self._put(codec.event_item(e), _ABSENT) for e in events]
        if idempotency is not None:
            operations.append(self._put(codec.idempotency_item(idempotency), _ABSENT))
        codes = self._transact(operations)
        if idempotency is not None and codes and codes[-1] == "ConditionalCheckFailed":
            raise AlreadyExistsError(idempotency.client_key)
        if codes:
            raise StaleStateError(f"case {case.id} not created: {codes}")

    def get_idempotency(self, scope: str, client_key: str) -> IdempotencyRecord | None:
        row = self._get(keys.idempotency_pk(scope, client_key), keys.IDEMPOTENCY_SK)
        return IdempotencyRecord(**row) if row else None

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        response = self._client.get_item(
            TableName=self._table, Key=codec.marshal({"PK": pk, "SK": sk}), ConsistentRead=True
        )
        item = response.get("Item")
        return codec.load(item) if item else None

    def load_case(self, case_id: str) -> CaseBundle | None:
        rows = self._query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=codec.marshal({":pk": keys.case_pk(case_id)}),
            ConsistentRead=True,
        )
        by_kind: dict[str, list[dict[str, Any]]] = {"case": [], "item": [], "event": []}
        for row in rows:
            by_kind.setdefault(row["kind"]["S"], []).append(codec.load(row))
        if not by_kind["case"]:
            return None
        return CaseBundle(
            case=CaseRecord(**by_kind["case"][0]),
            items=[ItemRecord(**r) for r in by_kind["item"]],
            events=[EventRecord(**r) for r in by_kind["event"]],
        )

    def _query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        while True:
            response = self._client.query(TableName=self._table, **kwargs)
            rows += response.get("Items", [])
            if "LastEvaluatedKey" not in response:
                return rows
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def get_case(self, case_id: str) -> CaseRecord | None:
        row = self._get(keys.case_pk(case_id), keys.CASE_SK)
        return CaseRecord(**row) if row else None

    def get_item(self, case_id: str, code: str) -> ItemRecord | None:
        row = self._get(keys.case_pk(case_id), keys.item_sk(code))
        return ItemRecord(**row) if row else None

    def apply(self, change: CaseChange) -> None:
        operations: list[dict[str, Any]] = []
        for item_change in change.items:
            names = {f":s{n}": s for n, s in enumerate(item_change.expected)}
            put = self._put(codec.item_item(item_change.item), f"#st IN ({', '.join(names)})")
            put["Put"]["ExpressionAttributeNames"] = {"#st": "status"}
            put["Put"]["ExpressionAttributeValues"] = codec.marshal(names)
            operations.append(put)
        if change.case_status:
            operations.append(self._case_update(change))
        operations += [self._put(codec.event_item(e), _ABSENT) for e in change.events]
        operations += [self._put(codec.certificate_item(c), _ABSENT) for c in change.certificates]
        if change.subsidy_person:
            operations.append(self._absent(keys.person_pk(change.subsidy_person), keys.SUBSIDY_SK))
        codes = self._transact(operations)
        if change.subsidy_person and codes and codes[-1] == "ConditionalCheckFailed":
            raise SubsidyAlreadyGranted(change.case_id)
        if codes:
            raise StaleStateError(f"case {change.case_id} changed meanwhile: {codes}")

    def _absent(self, pk: str, sk: str) -> dict[str, Any]:
        return {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": codec.marshal({"PK": pk, "SK": sk}),
                "ConditionExpression": _ABSENT,
            }
        }

    def _case_update(self, change: CaseChange) -> dict[str, Any]:
        values: dict[str, Any] = {":status": change.case_status, ":at": change.at}
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": codec.marshal({"PK": keys.case_pk(change.case_id), "SK": keys.CASE_SK}),
            "UpdateExpression": "SET #st = :status, updated_at = :at ADD version :one",
            "ExpressionAttributeNames": {"#st": "status"},
        }
        values[":one"] = 1
        if change.case_expected:
            allowed = {f":c{n}": s for n, s in enumerate(change.case_expected)}
            values |= allowed
            update["ConditionExpression"] = f"#st IN ({', '.join(allowed)})"
        update["ExpressionAttributeValues"] = codec.marshal(values)
        return {"Update": update}

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
        return [codec.load(i) for i in response.get("Items", [])]

    def cases_of_person(self, person_key: str, limit: int = 50) -> list[CaseRecord]:
        rows = self._index_query(keys.GSI_OWNER, keys.person_pk(person_key), limit, True)
        return [CaseRecord(**r) for r in rows]

    def cases_of_clerk(self, clerk_id: str, limit: int = 50) -> list[CaseRecord]:
        rows = self._index_query(keys.GSI_QUEUE, keys.clerk_pk(clerk_id), limit, True)
        return [CaseRecord(**r) for r in rows]

    def tasks(
        self, department: str, county: str, task_status: str, limit: int = 100
    ) -> list[ItemRecord]:
        pk = keys.queue_pk(department, county, task_status)
        rows = self._index_query(keys.GSI_QUEUE, pk, limit, False)  # most urgent first
        return [ItemRecord(**r) for r in rows]

    def certificates(self, person_key: str) -> list[CertificateRecord]:
        rows = self._query_all(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :cert)",
            ExpressionAttributeValues=codec.marshal(
                {":pk": keys.person_pk(person_key), ":cert": keys.certificate_sk("")}
            ),
        )
        return [CertificateRecord(**codec.load(r)) for r in rows]


__all__ = ["AlreadyExistsError", "DynamoDBCaseRepository"]
