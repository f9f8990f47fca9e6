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
# Six times the consumers' Lambda timeout (15 s), as AWS advises for SQS event sources. An item
# handler may spend up to ~12 s on a department's system (2 s to connect, 5 s to read, one quick
# retry of a refused connection), so item queues hand their Lambda one message at a time.
VISIBILITY_TIMEOUT_S = 90
ITEM_BATCH_SIZE = 1
BATCH_SIZE = 10
DEAD_LETTER_QUEUE = "yjs-dead-letters"
DEAD_LETTER_FUNCTION = "dead_letters"
STATE_MACHINE_NAME = "yjs-joint-case"


@dataclass(frozen=True)
class QueueSpec:
    key: str  # item code, or FINALIZE
    name: str
    placeholder: str  # ${...} in the state machine definition
    function: str  # the Lambda (and app.py handler) that consumes it
    batch_size: int = BATCH_SIZE


def queues() -> tuple[QueueSpec, ...]:
    """Every work queue: the items' in the catalogue's order, then the final step's."""
    found = [
        QueueSpec(s.code, s.queue, s.placeholder, s.code, ITEM_BATCH_SIZE)
        for s in catalogue.items()
    ]
    found.append(QueueSpec(FINALIZE, "yjs-finalize", "FinalizeQueueUrl", FINALIZE_FUNCTION))
    return tuple(found)


def queue_name(key: str) -> str:
    return next(q.name for q in queues() if q.key == key)
