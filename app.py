"""The Chalice app: the routes (from the manifest, behind the token authorizer), the HTTP
middleware, and the workflow's queue handlers and schedules wired to their use cases.

The item handlers (one Lambda per joint item) come from the item catalogue, the schedules from
``workflow.schedules``: each gets a module attribute named after its function, which is what
the deployed Lambda's handler (``app.<name>``) points at.

Nothing heavy happens at import (cold start): every Lambda of the app imports this module, so
route modules, pydantic, the services and AWS clients load on first use, inside the handlers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice.app import AuthRequest, Chalice, CloudWatchEvent, Request, Response, SQSEvent

from chalicelib import coldstart, sms_queue  # coldstart first: it holds the collector
from chalicelib.api import http, routing
from chalicelib.logs import configure_logging
from chalicelib.workflow import queues, schedules

app = Chalice(app_name="yijianshi")
configure_logging(app)
# API Gateway keeps an answer per token this long: bounds how long a revoked or expired token
# still passes (on top of the verifier's clock skew).
AUTHORIZER_TTL_S = 60


@app.authorizer(ttl_seconds=AUTHORIZER_TTL_S)
def bearer_token(auth_request: AuthRequest) -> dict[str, Any]:
    from chalicelib.api.auth import authorizer_response
    from chalicelib.settings import get_settings

    try:
        return authorizer_response(auth_request.token, auth_request.method_arn, get_settings())
    finally:
        coldstart.release()


routing.register(app, bearer_token)


@app.middleware("http")
def problem_json(event: Request, get_response: Any) -> Response:
    try:
        return http.guard(event, get_response)
    finally:
        coldstart.release()


def _consumer(name: str, queue: str, entry: str, batch_size: int) -> None:
    """One SQS-fed Lambda: ``chalicelib.entry.<entry>`` handles its batches."""

    def handler(event: SQSEvent) -> dict[str, Any]:
        from chalicelib import entry as entries

        run: Callable[[SQSEvent], dict[str, Any]] = getattr(entries, entry)
        try:
            return run(event)
        finally:
            coldstart.release()

    name = str(name)  # an item code may be a StrEnum member
    handler.__name__ = handler.__qualname__ = name
    globals()[name] = app.on_sqs_message(queue=queue, batch_size=batch_size)(handler)


def _scheduled(schedule: schedules.Schedule) -> None:
    def handler(event: CloudWatchEvent) -> dict[str, object]:
        from chalicelib import entry

        # The event's own time, not the clock: a redelivered event re-runs the same question.
        try:
            return entry.job(schedule.job, event.time)
        finally:
            coldstart.release()

    handler.__name__ = handler.__qualname__ = schedule.function
    globals()[schedule.function] = app.schedule(schedule.expression, name=schedule.function)(
        handler
    )


for _queue in queues.queues():
    _entry = "items" if _queue.key != queues.FINALIZE else "outcome"
    _consumer(_queue.function, _queue.name, _entry, _queue.batch_size)
_consumer(queues.DEAD_LETTER_FUNCTION, queues.DEAD_LETTER_QUEUE, "dead_letters", queues.BATCH_SIZE)
_consumer(sms_queue.SMS_FUNCTION, sms_queue.SMS_QUEUE, "sms", queues.BATCH_SIZE)
for _schedule in schedules.SCHEDULES:
    _scheduled(_schedule)
