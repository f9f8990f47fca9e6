"""``ops jobs run NAME [--at …]``: one scheduled job now, as ``make job`` does, on either
target (``POST /v1/admin/jobs/{job}``)."""

from __future__ import annotations

from typing import Any

from ops.api import Api


def run(api: Api, name: str, at: str | None) -> dict[str, Any]:
    report: dict[str, Any] = api.post(f"/v1/admin/jobs/{name}", {"at": at or ""})
    return report


def describe(report: dict[str, Any]) -> str:
    return (
        f"{report['job']} at {report['at']}: read {report['read']} rows, "
        f"changed {report['changed']}, notified {report['notified']}, skipped {report['skipped']}"
        + (f", provisional {report['provisional']}" if report.get("provisional") else "")
    )
