"""Locally, Lambda's SQS event source mappings do not exist (moto has none): the pump reads
the queues and calls the same Chalice handlers with SQS events, honouring partial batch
failures. A failed message is made visible again at once instead of after the visibility
timeout, so redelivery and the dead-letter queue are exercised without waiting."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from chalicelib.sms_queue import SMS_QUEUE

# Queues whose handler makes a failed message visible again itself, when it may be retried
# (the SMS sender's holds): the pump leaves their visibility alone.
SELF_TIMED = frozenset({SMS_QUEUE})


class Pump:
    def __init__(self, app_module: ModuleType, sqs: Any, queue_urls: dict[str, str]) -> None:
        """Route each queue to the handler that ``app.py`` registered for it."""
        self._sqs = sqs
        self._routes: list[tuple[str, str, Callable[..., Any]]] = []
        self._batch: dict[str, int] = {}
        for source in app_module.app.event_sources:
            queue = getattr(source, "queue", None)
            if queue in queue_urls:
                handler = getattr(app_module, source.name)
                self._routes.append((queue, queue_urls[queue], handler))
                self._batch[queue] = int(getattr(source, "batch_size", 10))

    def drain_once(self) -> int:
        """Deliver one batch from every queue; return how many messages were delivered."""
        delivered = 0
        for name, url, handler in self._routes:
            messages = self._sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=self._batch.get(name, 10),
                WaitTimeSeconds=0,
                AttributeNames=["All"],
            ).get("Messages", [])
            if messages:
                delivered += len(messages)
                self._deliver(name, url, handler, messages)
        return delivered

    def _deliver(
        self, name: str, url: str, handler: Callable[..., Any], messages: list[dict[str, Any]]
    ) -> None:
        event = {"Records": [_record(name, m) for m in messages]}
        try:
            result = handler(event, None) or {}
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        except Exception:  # the whole batch failed, as Lambda would treat it
            failed = {m["MessageId"] for m in messages}
        for message in messages:
            if message["MessageId"] in failed and name in SELF_TIMED:
                continue  # its handler set when it comes back (a hold), as in Lambda
            if message["MessageId"] in failed:
                self._sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                self._sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    def run_until(
        self, done: Callable[[], bool], timeout_s: float = 30.0, idle_s: float = 0.005
    ) -> bool:
        """Pump until ``done()`` holds; the state machine runs in its own thread, so an empty
        round waits a moment for the engine's next message."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.drain_once() == 0:
                if done():
                    return True
                time.sleep(idle_s)
        return done()

    def start_background(self, stop: threading.Event, idle_s: float = 0.2) -> threading.Thread:
        def loop() -> None:
            while not stop.is_set():
                try:
                    if self.drain_once() == 0:
                        stop.wait(idle_s)
                except Exception:  # keep the local service alive; the error is in the log
                    stop.wait(1.0)

        thread = threading.Thread(target=loop, name="sqs-pump", daemon=True)
        thread.start()
        return thread


def _record(queue: str, message: dict[str, Any]) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws-cn:sqs:cn-north-1:123456789012:{queue}",
        "awsRegion": "cn-north-1",
    }
