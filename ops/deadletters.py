"""``ops dead-letters list`` / ``retry [--all | ID …]``: what is stuck and why (ids, codes and
times only: nothing about the person), and sending it back through its item's normal path."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Column, Table

from ops import integrations, labels
from ops.api import Api, ApiError
from ops.console import progress


@dataclass
class Retried:
    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # task id -> why


def render(console: Console, rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print("no dead letters 无死信")
        return
    # Folded on a narrow terminal, never cut short: the task id is what `retry ID` takes.
    headers = ("task 任务", "item 事项", "department 部门", "county 县区", "failed at", "why 原因")
    table = Table(*(Column(h, overflow="fold") for h in headers))
    for row in rows:
        table.add_row(
            str(row["task_id"]),
            labels.item(str(row["item"])),
            labels.department(str(row["department"])),
            labels.county(str(row["county"] or "")),
            str(row["failed_at"]),
            str(row["reason_class"]),
        )
    console.print(table)
    more = "+" if len(rows) >= integrations.DEAD_LETTERS_LISTED_AT_MOST else ""
    console.print(f"{len(rows)}{more} dead letters")


def chosen(api: Api, every: bool, ids: list[str]) -> list[str]:
    """The task ids to retry: the ones named, or every listed one."""
    if not every:
        return ids
    return [str(r["task_id"]) for r in integrations.dead_letters(api)]


def retry(api: Api, console: Console, task_ids: list[str], reason: str) -> Retried:
    result = Retried()
    with progress(console, "retrying 重试", len(task_ids)) as advance:
        for task_id in task_ids:
            try:
                integrations.retry_dead_letter(api, task_id, reason)
                result.sent.append(task_id)
            except ApiError as error:
                result.failed[task_id] = f"HTTP {error.status} {error.code}".strip()
            advance(1)
    return result
