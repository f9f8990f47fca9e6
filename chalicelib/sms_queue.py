"""The SMS channel's queue: fed by the notifications topic (raw delivery, applicant notices of
the types that may go by SMS), consumed by the ``sms_sender`` function, with a dead-letter
queue of its own (its messages are notifications, not workflow tasks).

The same names build the local resources (devtools.provision), the tests and the deployment
template (infra.sms). Light to import: ``app.py`` reads it.
"""

from __future__ import annotations

from typing import Any

from chalicelib.workflow.queues import VISIBILITY_TIMEOUT_S

SMS_QUEUE = "yjs-sms"
SMS_DEAD_LETTER_QUEUE = "yjs-sms-dead-letters"
SMS_FUNCTION = "sms_sender"
# Every delivery counts, the ones that only find the SMS must wait too (quiet hours, a
# per-phone limit, a retry's backoff): enough for a night, a few holds and 5 provider calls.
SMS_MAX_RECEIVES = 20
SMS_VISIBILITY_TIMEOUT_S = VISIBILITY_TIMEOUT_S
MAX_HOLD_S = 12 * 3600 - 1  # SQS's longest visibility timeout; a longer wait is held again


def filter_policy() -> dict[str, Any]:
    """The topic subscription's filter: applicant notices of the types that may go by SMS."""
    from chalicelib.domain.sms_notices import candidate_types

    return {"audience": ["applicant"], "type": list(candidate_types())}
