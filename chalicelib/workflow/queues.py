"""The workflow's queues: one per joint item (from the catalogue), one for the final step, one
dead-letter queue.

The same names build the local resources (moto), the tests and the deployment template, and
the placeholders are what the state machine definition is rendered with.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain import catalogue

FINALIZE = "finalize"
FINALIZE_FUNCTION = "record_outcome"
MAX_RECEIVE_COUNT = 3  # SQS redeliveries before a message goes to the dead-letter queue
VISIBILITY_TIMEOUT_S = 60
DEAD_LETTER_QUEUE = "yjs-dead-letters"
DEAD_LETTER_FUNCTION = "dead_letters"
STATE_MACHINE_NAME = "yjs-joint-case"


@dataclass(frozen=True)
class QueueSpec:
    key: str  # item code, or FINALIZE
    name: str
    placeholder: str  # ${...} in the state machine definition
    function: str  # the Lambda (and app.py handler) that consumes it


def queues() -> tuple[QueueSpec, ...]:
    """Every work queue: the items' in the catalogue's order, then the final step's."""
    found = [QueueSpec(s.code, s.queue, s.placeholder, s.code) for s in catalogue.items()]
    found.append(QueueSpec(FINALIZE, "yjs-finalize", "FinalizeQueueUrl", FINALIZE_FUNCTION))
    return tuple(found)


def queue_name(key: str) -> str:
    return next(q.name for q in queues() if q.key == key)
