"""The SMS queue's batches: each message names one stored notification; one that must wait is
made invisible until it may be sent (its visibility timeout is the hold), and reported as a
batch item failure so the queue keeps it."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from chalicelib.services.sms import Hold, SmsServices, send_notification
from chalicelib.sms_queue import MAX_HOLD_S

log = logging.getLogger(__name__)
# The function has 10 s (a sixth of the visibility timeout); the provider's calls time out
# after 3 s. Messages not started within the budget come back at once for the next run.
TIME_BUDGET_S = 6.0


class SmsMessage(BaseModel):
    """The notification as the topic published it (``services.notify.deliver``)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    person_key: str


def parse(body: str) -> SmsMessage | None:
    try:
        data = json.loads(body)
        if isinstance(data, dict) and data.get("Type") == "Notification" and "Message" in data:
            data = json.loads(data["Message"])  # a subscription without raw delivery
        return SmsMessage.model_validate(data)
    except (ValueError, ValidationError):
        return None


def _delay(sqs: Any, queue_url: str, receipt: str, seconds: int) -> None:
    try:
        sqs.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=receipt, VisibilityTimeout=min(seconds, MAX_HOLD_S)
        )
    except Exception:  # it comes back after its current visibility timeout instead
        log.warning("could not delay an SMS message", exc_info=True)


def _one(ctx: SmsServices, raw: dict[str, Any], body: str) -> Hold | None:
    message = parse(body)
    if message is None:  # will never succeed: drop it loudly rather than loop
        log.error("unreadable SMS message dropped", extra={"message_id": raw.get("messageId")})
        return None
    receives = int((raw.get("attributes") or {}).get("ApproximateReceiveCount", "1"))
    return send_notification(ctx, message.person_key, message.id, receives)


def process(records: Iterable[Any], ctx: SmsServices, sqs: Any) -> dict[str, Any]:
    started = time.monotonic()
    failures = []
    for record in records:
        raw = record.to_dict()
        message_id = raw.get("messageId", "")
        if time.monotonic() - started > TIME_BUDGET_S:
            _delay(sqs, ctx.settings.queue_url, raw.get("receiptHandle", ""), 0)
            failures.append(message_id)
            continue
        try:
            hold = _one(ctx, raw, record.body)
        except Exception:
            log.exception("SMS message failed; SQS will redeliver", extra={"id": message_id})
            failures.append(message_id)
            continue
        if hold is not None:
            _delay(sqs, ctx.settings.queue_url, raw.get("receiptHandle", ""), hold.seconds)
            failures.append(message_id)
    return {"batchItemFailures": [{"itemIdentifier": m} for m in failures]}
