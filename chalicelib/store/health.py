"""The connectors' health, read from their recorded attempts (``ConnectorCallRecord``): the
newest answer, the newest failure, and a count of failures since an instant; three Queries
per connector, each reading one partition's newest end."""

from __future__ import annotations

from typing import Any

from chalicelib.store import codec, keys
from chalicelib.store.repository import ConnectorHealth

ANSWERED, FAILED = "answered", "failed"


def _newest(client: Any, table: str, pk: str) -> dict[str, Any] | None:
    response = client.query(
        TableName=table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues=codec.marshal({":pk": pk}),
        ScanIndexForward=False,
        Limit=1,
    )
    items = response.get("Items", [])
    return codec.load(items[0]) if items else None


def _count_since(client: Any, table: str, pk: str, since: str) -> int:
    kwargs: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "PK = :pk AND SK >= :since",
        "ExpressionAttributeValues": codec.marshal({":pk": pk, ":since": since}),
        "Select": "COUNT",
    }
    total = 0
    while True:
        response = client.query(**kwargs)
        total += int(response.get("Count", 0))
        if "LastEvaluatedKey" not in response:
            return total
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def read(client: Any, table: str, connector: str, since: str) -> ConnectorHealth:
    answered = _newest(client, table, keys.connector_pk(connector, ANSWERED))
    failed = _newest(client, table, keys.connector_pk(connector, FAILED))
    return ConnectorHealth(
        connector=connector,
        last_success_at=answered["at"] if answered else None,
        last_failure_at=failed["at"] if failed else None,
        last_failure_class=failed.get("failure") if failed else None,
        failures_since=_count_since(client, table, keys.connector_pk(connector, FAILED), since),
    )
