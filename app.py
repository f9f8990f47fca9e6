"""The Chalice app: routes from the blueprints, the HTTP middleware, and the workflow's
queue handlers wired to their use cases. Nothing else lives here."""

from __future__ import annotations

from typing import Any

from chalice.app import Chalice, CloudWatchEvent, Cron, Rate, Request, Response, SQSEvent

from chalicelib import deps
from chalicelib.api import (
    admin,
    applications,
    delivery,
    departments,
    docs,
    events,
    guide,
    http,
    lifecycle,
    me,
    meta,
    reports,
    uploads,
)
from chalicelib.domain.case import ItemCode
from chalicelib.logs import configure_logging
from chalicelib.services import finalize, handle, jobs
from chalicelib.workflow import batch
from chalicelib.workflow.messages import FinalizeMessage, TaskMessage
from chalicelib.workflow.queues import DEAD_LETTER_QUEUE, FINALIZE, QUEUE_NAME

app = Chalice(app_name="yijianshi")
configure_logging(app)
BLUEPRINTS = (
    applications,
    lifecycle,
    delivery,
    uploads,
    me,
    events,
    departments,
    reports,
    admin,
    guide,
    meta,
    docs,
)
for module in BLUEPRINTS:
    app.register_blueprint(module.bp)


@app.middleware("http")
def problem_json(event: Request, get_response: Any) -> Response:
    return http.guard(event, get_response)


def _items(event: SQSEvent) -> dict[str, Any]:
    return batch.process(event, TaskMessage, lambda m: handle.handle_item(deps.services(), m))


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
    return batch.process(event, FinalizeMessage, lambda m: finalize.finalize(deps.services(), m))


@app.on_sqs_message(queue=DEAD_LETTER_QUEUE, batch_size=10)
def dead_letters(event: SQSEvent) -> dict[str, Any]:
    def give_up(message: TaskMessage) -> None:
        handle.fail_dead_letter(deps.services(), message, "retries exhausted")

    return batch.process(event, TaskMessage, give_up)


def _job(name: str, event: CloudWatchEvent) -> dict[str, object]:
    # The event's own time, not the clock: a redelivered event re-runs the same question.
    return jobs.run(deps.services(), name, jobs.event_time(event.time)).as_dict()


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
