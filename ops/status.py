"""``ops status``: one screen of the stack's health; exit status 1 when something needs a
person (an item the system gave up on, a message left in the dead-letter queue, a failed
execution, an open breach, a missing calendar year, a sick connector, a queue whose oldest
message waits too long), 0 otherwise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from rich.console import Console
from rich.table import Table

from chalicelib.workflow.queues import DEAD_LETTER_QUEUE
from ops import figures, integrations, labels
from ops.api import ApiError
from ops.target import Target

OLDEST_NOTE_S = 5 * 60
OLDEST_ATTENTION_S = 15 * 60  # as the deployed alarm on waiting dead letters


class Level(Enum):
    OK = ("✔", "green")
    NOTE = ("•", "yellow")
    ATTENTION = ("✖", "bold red")


@dataclass(frozen=True)
class Line:
    level: Level
    topic: str
    text: str


def check(target: Target) -> tuple[list[Line], list[figures.QueueFigures]]:
    lines: list[Line] = []
    queues: list[figures.QueueFigures] = []
    try:
        queues = figures.queues(
            target.client("sqs"), target.client("cloudwatch"), target.queue_urls
        )
        lines += queue_lines(queues)
    except Exception as exc:  # one unreadable source must not hide the others
        lines.append(Line(Level.ATTENTION, "队列 queues", f"cannot read: {_short(exc)}"))
    for topic, gather in _SOURCES:
        try:
            lines += gather(target)
        except Exception as exc:
            lines.append(Line(Level.ATTENTION, topic, f"cannot read: {_short(exc)}"))
    return lines, queues


def queue_lines(queues: list[figures.QueueFigures]) -> list[Line]:
    lines = []
    work = [q for q in queues if q.name != DEAD_LETTER_QUEUE]
    dead = next((q for q in queues if q.name == DEAD_LETTER_QUEUE), None)
    slow = [q for q in work if (q.oldest_age_s or 0) >= OLDEST_NOTE_S]
    waiting = sum(q.waiting + q.in_flight for q in work)
    if slow:
        worst = max(slow, key=lambda q: q.oldest_age_s or 0)
        level = Level.ATTENTION if (worst.oldest_age_s or 0) >= OLDEST_ATTENTION_S else Level.NOTE
        text = f"{worst.name}: oldest message {_age(worst.oldest_age_s)} old"
        lines.append(Line(level, "队列 queues", text))
    else:
        lines.append(Line(Level.OK, "队列 queues", f"{len(work)} queues, {waiting} messages"))
    # Raw messages: on a working stack the dead-letter handler takes each at once and fails
    # its item to a person (then it is a dead letter below); one left here means it does not.
    topic = "死信队列 dead-letter queue"
    if dead is None:
        lines.append(Line(Level.ATTENTION, topic, f"{DEAD_LETTER_QUEUE} not found"))
    elif dead.waiting + dead.in_flight:
        text = (
            f"{dead.waiting + dead.in_flight} waiting: the dead-letter handler is not "
            "taking them (read the DeadLetters function's log)"
        )
        lines.append(Line(Level.ATTENTION, topic, text))
    else:
        lines.append(Line(Level.OK, topic, "empty"))
    return lines


def dead_letter_lines(target: Target) -> list[Line]:
    """The items the system gave up on (status failed), the whole city: each waits for a
    person to retry it or decide it by hand."""
    found = integrations.dead_letters(target.api)
    topic = "死信 dead letters"
    if not found:
        return [Line(Level.OK, topic, "none waiting for a person")]
    more = "+" if len(found) >= integrations.DEAD_LETTERS_LISTED_AT_MOST else ""
    text = f"{len(found)}{more} failed, waiting for a person: ops dead-letters list"
    return [Line(Level.ATTENTION, topic, text)]


def execution_lines(target: Target) -> list[Line]:
    found = figures.executions(target.client("stepfunctions"), target.state_machine_arn)
    more = "+" if found.capped else ""
    text = f"{found.running}{more} running, {found.failed_last_day}{more} failed in 24 h"
    level = Level.ATTENTION if found.failed_last_day else Level.OK
    return [Line(level, "流程 executions", text)]


def breach_lines(current: dict[str, Any]) -> list[Line]:
    lines = []
    for department, counties in current["open_breaches"].items():
        total = sum(counties.values())
        topic = f"超期 breaches {labels.department(department)}"
        if not total:
            lines.append(Line(Level.OK, topic, "none open"))
            continue
        where = ", ".join(f"{labels.county(c)} {n}" for c, n in sorted(counties.items()))
        lines.append(Line(Level.ATTENTION, topic, f"{total} open ({where})"))
    return lines


def calendar_lines(current: dict[str, Any]) -> list[Line]:
    calendar = current["calendar"]
    today = date.fromisoformat(calendar["today"])
    known = {y["year"]: y["known"] for y in calendar["years"]}
    topic = "节假日 calendar"
    loaded = ", ".join(str(y) for y in sorted(y for y, k in known.items() if k)) or "none"
    if not known.get(today.year, False):
        return [Line(Level.ATTENTION, topic, f"{today.year} missing: ops calendar load FILE")]
    if calendar["next_year_known"]:
        return [Line(Level.OK, topic, f"years with data: {loaded}")]
    # Not yet a reason to call anyone: deadlines in a year without data are computed on
    # weekends alone, marked provisional, and recomputed once the data is loaded.
    text = f"{today.year + 1} missing (years with data: {loaded}): ops calendar load FILE"
    return [Line(Level.NOTE, topic, text)]


def connector_lines(target: Target) -> list[Line]:
    """A connector needs a person when it is not configured, failed in the last hour, or
    failed after its last success."""
    lines = []
    for connector in integrations.connectors(target.api):
        name = f"接口 connectors {connector['name']}"
        if not connector["configured"]:
            lines.append(Line(Level.ATTENTION, name, "not configured"))
        elif connector["failures_last_hour"] or _failing(connector):
            text = (
                f"{connector['failures_last_hour']} failures in the last hour, last "
                f"{connector['last_failure_class'] or '?'} at {connector['last_failure_at']}"
            )
            lines.append(Line(Level.ATTENTION, name, text))
        elif connector["last_success_at"]:
            lines.append(Line(Level.OK, name, f"last success {connector['last_success_at']}"))
        else:
            lines.append(Line(Level.OK, name, "no calls yet"))
    return lines


def _failing(connector: dict[str, Any]) -> bool:
    failure, success = connector["last_failure_at"], connector["last_success_at"]
    return bool(failure) and (not success or str(failure) > str(success))


def _current_lines(target: Target) -> list[Line]:
    try:
        current = target.api.get("/v1/reports/current")
    except ApiError as error:
        return [Line(Level.ATTENTION, "服务 API", f"/v1/reports/current: {error}")]
    return breach_lines(current) + calendar_lines(current)


_SOURCES: list[tuple[str, Callable[[Target], list[Line]]]] = [
    ("死信 dead letters", dead_letter_lines),
    ("流程 executions", execution_lines),
    ("服务 API", _current_lines),
    ("接口 connectors", connector_lines),
]


def render(console: Console, target: Target, lines: list[Line], queues: list[Any]) -> None:
    console.print(f"[bold]运行状态 status[/bold] — {target.label}")
    summary = Table(show_header=False, box=None, pad_edge=False)
    for line in lines:
        symbol, colour = line.level.value
        summary.add_row(f"[{colour}]{symbol}[/{colour}]", line.topic, line.text)
    console.print(summary)
    if queues:
        table = Table("queue 队列", "waiting", "in flight", "delayed", "oldest", box=None)
        for q in queues:
            age = _age(q.oldest_age_s) if q.oldest_age_s is not None else "—"
            table.add_row(q.name, str(q.waiting), str(q.in_flight), str(q.delayed), age)
        console.print(table)


def needs_a_person(lines: list[Line]) -> bool:
    return any(line.level is Level.ATTENTION for line in lines)


def _age(seconds: int | None) -> str:
    s = seconds or 0
    return f"{s // 3600} h {s % 3600 // 60} min" if s >= 3600 else f"{s // 60} min {s % 60} s"


def _short(exc: Exception) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0][:160]
