"""The Chalice app: the routes (from the manifest, behind the token authorizer), the HTTP
middleware, and the workflow's queue handlers and schedules wired to their use cases.

Nothing heavy happens at import (cold start): every Lambda of the app imports this module, so
route modules, pydantic, the services and AWS clients load on first use, inside the handlers.
"""

from __future__ import annotations

from typing import Any

from chalice.app import (
    AuthRequest,
    Chalice,
    CloudWatchEvent,
    Cron,
    Rate,
    Request,
    Response,
    SQSEvent,
)

from chalicelib.api import http, routing
from chalicelib.domain.case import ItemCode
from chalicelib.logs import configure_logging
from chalicelib.workflow.queues import DEAD_LETTER_QUEUE, FINALIZE, QUEUE_NAME

app = Chalice(app_name="yijianshi")
configure_logging(app)
# API Gateway keeps an answer per token this long: bounds how long a revoked or expired token
# still passes (on top of the verifier's clock skew).
AUTHORIZER_TTL_S = 60


@app.authorizer(ttl_seconds=AUTHORIZER_TTL_S)
def bearer_token(auth_request: AuthRequest) -> dict[str, Any]:
    from chalicelib.api.auth import authorizer_response
    from chalicelib.settings import get_settings

    return authorizer_response(auth_request.token, auth_request.method_arn, get_settings())


routing.register(app, bearer_token)


@app.middleware("http")
def problem_json(event: Request, get_response: Any) -> Response:
    return http.guard(event, get_response)


def _items(event: SQSEvent) -> dict[str, Any]:
    from chalicelib import entry

    return entry.items(event)


@app.on_sqs_message(queue=QUEUE_NAME[ItemCode.LICENSE_VERIFICATION], batch_size=10)
def license_verification(event: SQSEvent) -> dict[str, Any]:
    return _items(event)


@app.on_sqs_message(queue=QUEUE_NAME[ItemCode.TAXPAYER_CONFIRMATION], batch_size=10)
def taxpayer_confirmation(event: SQSEvent) -> dict[str, Any]:
    return _items(event)


@app.on_sqs_message(queue=QUEUE_NAME[ItemCode.EMPLOYMENT_CERTIFICATE], batch_size=10)
def employment_certificate(event: SQSEvent) -> dict[str, Any]:
    return _items(event)


@app.on_sqs_message(queue=QUEUE_NAME[ItemCode.PENSION_REGISTRATION], batch_size=10)
def pension_registration(event: SQSEvent) -> dict[str, Any]:
    return _items(event)


@app.on_sqs_message(queue=QUEUE_NAME[ItemCode.STARTUP_SUBSIDY], batch_size=10)
def startup_subsidy(event: SQSEvent) -> dict[str, Any]:
    return _items(event)


@app.on_sqs_message(queue=QUEUE_NAME[FINALIZE], batch_size=10)
def record_outcome(event: SQSEvent) -> dict[str, Any]:
    from chalicelib import entry

    return entry.outcome(event)


@app.on_sqs_message(queue=DEAD_LETTER_QUEUE, batch_size=10)
def dead_letters(event: SQSEvent) -> dict[str, Any]:
    from chalicelib import entry

    return entry.dead_letters(event)


def _job(name: str, event: CloudWatchEvent) -> dict[str, object]:
    from chalicelib import entry

    return entry.job(name, event.time)


@app.schedule(Cron(0, 0, "*", "*", "?", "*"), name="subsidy_reminders")  # 08:00 Asia/Shanghai
def subsidy_reminders(event: CloudWatchEvent) -> dict[str, object]:
    return _job("subsidy-reminders", event)


@app.schedule(Rate(15, unit=Rate.MINUTES), name="deadline_breaches")
def deadline_breaches(event: CloudWatchEvent) -> dict[str, object]:
    return _job("deadline-breaches", event)


@app.schedule(Rate(5, unit=Rate.MINUTES), name="restart_unstarted")
def restart_unstarted(event: CloudWatchEvent) -> dict[str, object]:
    return _job("restart-unstarted", event)


@app.schedule(Cron(30, 16, "*", "*", "?", "*"), name="recompute_provisional")  # 00:30 local
def recompute_provisional(event: CloudWatchEvent) -> dict[str, object]:
    return _job("recompute-provisional", event)
