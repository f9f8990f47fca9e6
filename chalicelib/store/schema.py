"""The table's definition, shared by local provisioning, tests and the deployment template."""

from __future__ import annotations

from typing import Any

from chalicelib.store import keys


def _gsi(name: str) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": [
            {"AttributeName": f"{name}PK", "KeyType": "HASH"},
            {"AttributeName": f"{name}SK", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }


INDEXES = keys.INDEXES


def table_definition(table_name: str) -> dict[str, Any]:
    """Arguments for ``CreateTable`` (on-demand; every index sparse by construction)."""
    attributes = ["PK", "SK"] + [f"{name}{part}" for name in INDEXES for part in ("PK", "SK")]
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in attributes],
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [_gsi(name) for name in INDEXES],
    }


TTL_ATTRIBUTE = "expires_at"
