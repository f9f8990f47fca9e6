"""The service's admin routes for what the departments' systems and the workflow left to a
person, one function each: department connectors' health, the dead letters (items the system
gave up on, status ``failed``) and sending one back through its item's normal path.

Every error is raised as ``ApiError`` (status, code and title: nothing the caller sent)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ops.api import Api

CONNECTOR_FIELDS = (
    "name",
    "department",
    "configured",
    "last_success_at",
    "last_failure_at",
    "last_failure_class",
    "failures_last_hour",
)
# What a dead letter may show: ids, codes and times, never anything about the person.
DEAD_LETTER_FIELDS = (
    "task_id",
    "application_id",
    "item",
    "department",
    "county",
    "failed_at",
    "reason_class",
)
# GET /v1/admin/dead-letters answers at most this many, the oldest first, and does not say
# when there are more (chalicelib.services.connectors.FAILED_LIST_MAX; a test keeps them equal).
DEAD_LETTERS_LISTED_AT_MOST = 500
REASON_MAX = 500  # POST …/retry's reason: 1 to 500 characters (chalicelib.api.schemas.RetryIn)


def connectors(api: Api) -> list[dict[str, Any]]:
    """GET /v1/admin/connectors → {"connectors": [...]}."""
    body = api.get("/v1/admin/connectors")
    return [_only(c, CONNECTOR_FIELDS) for c in body.get("connectors", [])]


def dead_letters(api: Api) -> list[dict[str, Any]]:
    """GET /v1/admin/dead-letters → {"items": [...]}, the oldest first."""
    body = api.get("/v1/admin/dead-letters")
    return [_only(d, DEAD_LETTER_FIELDS) for d in body.get("items", [])]


def retry_dead_letter(api: Api, task_id: str, reason: str) -> None:
    """POST /v1/admin/dead-letters/{task_id}/retry {"reason"} → 202 (the reason goes into the
    case's history, with the operator's id); 409 invalid_state when it is not failed (e.g.
    retried already)."""
    api.post(f"/v1/admin/dead-letters/{quote(task_id, safe='.')}/retry", body={"reason": reason})


def _only(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: row.get(name) for name in fields}
