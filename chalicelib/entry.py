"""What the queue and schedule Lambdas run, wired to their use cases.

``app.py`` imports this on a handler's first invocation, never at ``import app``: the HTTP
function does not pay for it, and these functions do not pay for the HTTP layer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chalicelib import deps
from chalicelib.services import finalize, handle, jobs
from chalicelib.workflow import batch
from chalicelib.workflow.messages import FinalizeMessage, TaskMessage


def items(event: Iterable[Any]) -> dict[str, Any]:
    return batch.process(event, TaskMessage, lambda m: handle.handle_item(deps.services(), m))


def outcome(event: Iterable[Any]) -> dict[str, Any]:
    return batch.process(event, FinalizeMessage, lambda m: finalize.finalize(deps.services(), m))


def dead_letters(event: Iterable[Any]) -> dict[str, Any]:
    def give_up(message: TaskMessage) -> None:
        handle.fail_dead_letter(deps.services(), message, "retries exhausted")

    return batch.process(event, TaskMessage, give_up)


def sms(event: Iterable[Any]) -> dict[str, Any]:
    from chalicelib.services import sms_batch

    return sms_batch.process(event, deps.sms_services(), deps.client("sqs"))


def job(name: str, event_time: str | None) -> dict[str, object]:
    # The event's own time, not the clock: a redelivered event re-runs the same question.
    return jobs.run(deps.services(), name, jobs.event_time(event_time)).as_dict()
