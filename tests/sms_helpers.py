"""Driving the SMS queue by hand in tests: what is waiting in it, delivered to the sender as
Lambda would (again and again, if the test says so)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from chalicelib import deps
from chalicelib.sms_queue import SMS_QUEUE
from chalicelib.store.records import NotificationRecord
from devtools.provision import Resources
from devtools.pump import Pump, _record
from tests.functional.helpers import application, settle, submit

LICENCE_ONLY = {"items": ["license_verification"], "pension": None, "subsidy": None}


def workflow_pump(aws: Resources) -> Pump:
    """A pump of every queue but the SMS queue, whose messages the test delivers itself."""
    import app

    urls = {name: url for name, url in aws.queue_urls.items() if name != SMS_QUEUE}
    return Pump(app, deps.client("sqs"), urls)


def waiting(aws: Resources, case_id: str | None = None) -> list[dict[str, Any]]:
    """The SMS queue's visible messages (of one case, if given: a message an earlier test
    left invisible may show up now), received and so made invisible for a while."""
    sqs = boto3.client("sqs", region_name="cn-north-1")
    found: list[dict[str, Any]] = []
    while batch := sqs.receive_message(
        QueueUrl=aws.queue_urls[SMS_QUEUE], MaxNumberOfMessages=10, AttributeNames=["All"]
    ).get("Messages"):
        found += batch
    if case_id is None:
        return found
    return [m for m in found if json.loads(m["Body"]).get("application_id") == case_id]


def event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Records": [_record(SMS_QUEUE, m) for m in messages]}


def deliver(messages: list[dict[str, Any]]) -> list[str]:
    """Hand the messages to the sender; the ids it reported as failed (held or to retry)."""
    import app

    result = app.sms_sender(event(messages), None) or {}
    return [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]


def stored(person_key: str, notification_id: str) -> NotificationRecord:
    note = deps.sms_store().notification(person_key, notification_id)
    assert note is not None
    return note


def licence_case(client: Any, aws: Resources, **changes: Any) -> list[dict[str, Any]]:
    """A licence-only case run to its end by the workflow; the SMS messages it left."""
    response = submit(client, application(**(LICENCE_ONLY | changes)))
    assert response.status_code == 202, response.body
    case_id = json.loads(response.body)["id"]
    settle(workflow_pump(aws), client, case_id)
    return waiting(aws, case_id)


def note_of(message: dict[str, Any]) -> NotificationRecord:
    """The stored notification an SMS queue message stands for."""
    body = json.loads(message["Body"])
    return stored(body["person_key"], body["id"])
