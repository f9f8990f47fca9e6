"""Running the scheduled handlers as EventBridge would, with the test's chosen time."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from chalice.test import Client

HANDLERS = {
    "subsidy-reminders": "subsidy_reminders",
    "deadline-breaches": "deadline_breaches",
    "restart-unstarted": "restart_unstarted",
    "recompute-provisional": "recompute_provisional",
    "calendar-check": "calendar_check",
}


def run_job(client: Client, name: str, at: str) -> dict[str, Any]:
    event = client.events.generate_cw_event("aws.events", "Scheduled Event", {}, [], "cn-north-1")
    instant = datetime.fromisoformat(at).astimezone(UTC)
    event["time"] = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    response = client.lambda_.invoke(HANDLERS[name], event)
    return response.payload  # type: ignore[no-any-return]


def notifications(client: Client, headers: dict[str, str]) -> list[dict[str, Any]]:
    body = client.http.get("/v1/me/notifications", headers=headers).body
    return json.loads(body)["notifications"]  # type: ignore[no-any-return]
