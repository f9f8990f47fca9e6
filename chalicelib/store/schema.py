"""The table's definition, shared by local provisioning, tests and the deployment template."""

from __future__ import annotations

from typing import Any

from chalicelib.store import keys
from chalicelib.store.listings import CaseListing, TaskListing
from chalicelib.store.records import FollowUpRecord

_LISTING = tuple(CaseListing.model_fields)
_BREACH = ("kind", "id", "case_id", "code", "due_date", "breached_at", "updated_at")
# What each index copies besides its keys: only what its readers use (docs/domain.md §10: no
# copy of the form, a result or a task token where no reader needs it). The job indexes
# (due, reminders, unstarted, provisional) project everything: each job rewrites the rows it
# finds with one conditional Put of the whole row, and a narrower projection would cost a
# GetItem per row (the AWS-call floors in bench/calls.py).
PROJECTED: dict[str, tuple[str, ...] | None] = {
    keys.GSI_OWNER: _LISTING,
    keys.GSI_QUEUE: tuple(
        dict.fromkeys(("kind", *_LISTING, *TaskListing.model_fields, *FollowUpRecord.model_fields))
    ),
    keys.GSI_BREACH: _BREACH,
    keys.GSI_DUE: None,
    keys.GSI_REMIND: None,
    keys.GSI_UNSTARTED: None,
    keys.GSI_PROVISIONAL: None,
}


def projection(name: str) -> dict[str, Any]:
    attributes = PROJECTED[name]
    if attributes is None:
        return {"ProjectionType": "ALL"}
    return {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(attributes)}


def _gsi(name: str) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": [
            {"AttributeName": f"{name}PK", "KeyType": "HASH"},
            {"AttributeName": f"{name}SK", "KeyType": "RANGE"},
        ],
        "Projection": projection(name),
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
