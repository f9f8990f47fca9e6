"""The parts of the tool written against routes the service does not have yet (their
planned contract, one function each): department connectors' health, the dead letters the
service took over, and sending one back through its item's normal path.

Each answers ``None`` while the service answers 404 for its route (not deployed yet), so
callers can say so instead of failing; every other error is raised."""

from __future__ import annotations

from typing import Any

from ops.api import Api, ApiError

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


def _missing(error: ApiError) -> bool:
    return error.status == 404 and error.code in ("", "not_found", "route_not_found")


def connectors(api: Api) -> list[dict[str, Any]] | None:
    """GET /v1/admin/connectors → {"connectors": [...]}."""
    try:
        body = api.get("/v1/admin/connectors")
    except ApiError as error:
        if _missing(error):
            return None
        raise
    return [_only(c, CONNECTOR_FIELDS) for c in body.get("connectors", [])]


def dead_letters(api: Api) -> list[dict[str, Any]] | None:
    """GET /v1/admin/dead-letters → {"items": [...]}."""
    try:
        body = api.get("/v1/admin/dead-letters")
    except ApiError as error:
        if _missing(error):
            return None
        raise
    return [_only(d, DEAD_LETTER_FIELDS) for d in body.get("items", [])]


def retry_dead_letter(api: Api, task_id: str) -> None:
    """POST /v1/admin/dead-letters/{task_id}/retry → 202."""
    api.post(f"/v1/admin/dead-letters/{_segment(task_id)}/retry")


def _only(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: row.get(name) for name in fields}


def _segment(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe=".")
