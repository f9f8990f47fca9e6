"""Writing rows in DynamoDB transactions: conditional puts, version checks, and running a
transaction with its cancellation reasons (retrying only conflicts with concurrent writers)."""

from __future__ import annotations

import random
import time
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import TransientStoreError
from chalicelib.store import codec
from chalicelib.store.records import Row, Versioned

ABSENT = "attribute_not_exists(PK)"
FAILED = "ConditionalCheckFailed"
CONFLICT = "TransactionConflict"
CONFLICT_ATTEMPTS = 4
CONFLICT_BACKOFF_S = 0.02  # then 0.04, 0.08, with jitter: ~0.3 s at most in all


def put(table: str, record: Row, condition: str, values: dict[str, Any] | None = None) -> Any:
    operation: dict[str, Any] = {
        "TableName": table,
        "Item": codec.encode(record),
        "ConditionExpression": condition,
    }
    if values:
        operation["ExpressionAttributeValues"] = codec.marshal(values)
    return {"Put": operation}


def put_version(table: str, record: Versioned) -> Any:
    """Write the next version of a row: only over the version it was read at."""
    if record.version <= 1:
        return put(table, record, ABSENT)
    return put(table, record, "version = :v", {":v": record.version - 1})


def keep(table: str, record: Row) -> Any:
    """Write the row unless one with its key exists; an existing one stays exactly as it is
    (each attribute set only where it has none: a row of the same key has them all)."""
    item = codec.encode(record)
    key = {name: item.pop(name) for name in ("PK", "SK")}
    names = {f"#a{n}": name for n, name in enumerate(item)}
    values = {f":a{n}": value for n, value in enumerate(item.values())}
    sets = ", ".join(f"#a{n} = if_not_exists(#a{n}, :a{n})" for n in range(len(item)))
    return {
        "Update": {
            "TableName": table,
            "Key": key,
            "UpdateExpression": f"SET {sets}",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }


def absent(table: str, pk: str, sk: str) -> Any:
    key = codec.marshal({"PK": pk, "SK": sk})
    return {"ConditionCheck": {"TableName": table, "Key": key, "ConditionExpression": ABSENT}}


def cancel_codes(exc: ClientError) -> list[str]:
    reasons = exc.response.get("CancellationReasons") or []
    return [str(r.get("Code", "None")) for r in reasons]


def run(client: Any, operations: list[dict[str, Any]]) -> list[str]:
    """Run a transaction; on cancellation return each operation's reason code. A
    transaction cancelled only because another one was writing the same row at that
    moment (TransactionConflict; botocore does not retry it) is sent again, a few times."""
    for attempt in range(CONFLICT_ATTEMPTS):
        try:
            client.transact_write_items(TransactItems=operations)
            return []
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            codes = cancel_codes(exc)
        if CONFLICT not in codes or FAILED in codes:
            return codes
        time.sleep(CONFLICT_BACKOFF_S * 2**attempt * (1 + random.random()))  # noqa: S311  # nosec B311
    raise TransientStoreError(f"transaction still conflicting after {CONFLICT_ATTEMPTS} tries")
