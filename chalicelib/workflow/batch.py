"""SQS batches to task messages, with partial batch failure: one bad message never makes
its neighbours redeliver (the event source reports ``batchItemFailures``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)


def process(records: Iterable[Any], model: type[M], handle: Callable[[M], None]) -> dict[str, Any]:
    failures = []
    for record in records:
        message_id = record.to_dict().get("messageId", "")
        try:
            message = model.model_validate_json(record.body)
        except ValidationError:
            # A body we cannot read will never succeed: drop it loudly rather than loop.
            log.error("unreadable task message dropped", extra={"message_id": message_id})
            continue
        try:
            handle(message)
        except Exception:
            log.exception(
                "task message failed; SQS will redeliver", extra={"message_id": message_id}
            )
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}
