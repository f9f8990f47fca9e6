"""SQS and EventBridge deliver at least once, in any order: every handler and every job, run
twice on the same input (the second time in the opposite order), leaves the same state as
running once, and nothing is notified, certified or paid twice."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from datetime import datetime

import boto3
import pytest

import app
from chalicelib import deps
from chalicelib.services import jobs
from devtools.pump import _record
from tests.conftest import bearer
from tests.functional.bulk import bulk_load
from tests.functional.helpers import application, case, decide, item, settle, submit
from tests.functional.jobs import notifications, run_job
from tests.reliability.harness import LabelledPump

REGION = "cn-north-1"


def shape(view):
    """A case's state without what differs between two cases (ids, the departments' numbers)."""
    text = json.dumps(view, ensure_ascii=False, sort_keys=True).replace(view["id"], "<case>")
    return json.loads(re.sub(r"(JY|YL|ZF)\d{14,24}", r"\1<number>", text))


def table_rows(aws):
    """Every stored row (the test may Scan; the service never does)."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    pages = ddb.get_paginator("scan").paginate(TableName=aws.table_name, ConsistentRead=True)
    return sorted(json.dumps(i, sort_keys=True) for page in pages for i in page["Items"])


def run_case(client, pump, key):
    case_id = json.loads(submit(client, application(), **{"Idempotency-Key": key}).body)["id"]
    assert item(settle(pump, client, case_id), "pension_registration")["status"] == "in_review"
    assert decide(client, case_id).status_code == 200
    view = settle(pump, client, case_id)
    assert view["status"] == "completed", view
    return case_id, view


def per_case(rows, case_id):
    return Counter(r["type"] for r in rows if r["application_id"] == case_id)


def test_every_queue_handler_delivered_twice_leaves_the_same_case_as_once(
    standin, aws, client, clock, calls, queues, departments
):  # the SMS sender too: its replays find each SMS sent, and send nothing
    once_id, once = run_case(client, queues, "once")
    departments.reset()  # HRSS has not met the person yet: the second case is like the first
    twice_pump = LabelledPump(
        app, boto3.client("sqs", region_name=REGION), aws.queue_urls, calls, twice=True
    )
    twice_id, twice = run_case(client, twice_pump, "twice")

    assert shape(twice) == shape(once)
    notes = notifications(client, bearer())
    assert per_case(notes, twice_id) == per_case(notes, once_id)
    assert len({n["id"] for n in notes}) == len(notes)
    sent = [payload for _, _, payload in clock.notifier.sent]
    assert (
        Counter(p.get("application_id") for p in sent)[twice_id]
        == Counter(p.get("application_id") for p in sent)[once_id]
    )
    certs = json.loads(client.http.get("/v1/me/certificates", headers=bearer()).body)
    numbers = [c["number"] for c in certs["certificates"]]
    # Two per case (employment, pension) and the licence both cases verified, shown once.
    assert len(numbers) == len(set(numbers)) == 5

    # Much later, every message ever delivered arrives once more, newest first.
    before, sent_before = table_rows(aws), len(clock.notifier.sent)
    for label, event in reversed(twice_pump.events + queues.events):
        records = {"Records": list(reversed(event["Records"]))}
        assert queues.handlers[label](records, None) == {"batchItemFailures": []}
    assert table_rows(aws) == before
    assert len(clock.notifier.sent) == sent_before
    texted = [sms["notification_id"] for sms in standin.outbox()]
    assert len(texted) == len(set(texted)) == 4  # accepted, case finished: per case, once


def _receive(sqs, url):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", [])
        if messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
            return messages[0]
        time.sleep(0.01)
    raise AssertionError(f"no message on {url}")


def test_a_dead_letter_delivered_twice_fails_its_item_once(aws, client, clock, queues):
    body = application(items=["taxpayer_confirmation"], pension=None, subsidy=None)
    case_id = json.loads(submit(client, body).body)["id"]
    sqs = boto3.client("sqs", region_name=REGION)
    licence = _receive(sqs, aws.queue_urls["yjs-license-verification"])
    event = {"Records": [_record("yjs-license-verification", licence)]}
    assert app.license_verification(event, None) == {"batchItemFailures": []}
    taxpayer = _receive(sqs, aws.queue_urls["yjs-taxpayer-confirmation"])

    dead = {"Records": [_record("yjs-dead-letters", taxpayer)]}
    assert app.dead_letters(dead, None) == {"batchItemFailures": []}
    assert app.dead_letters(dead, None) == {"batchItemFailures": []}

    failed = "failed"
    assert queues.run_until(
        lambda: item(case(client, case_id), "taxpayer_confirmation")["status"] == failed
    )
    view = case(client, case_id)
    assert view["status"] == "in_progress"  # a person takes the item over; the case waits
    failed = [h for h in view["history"] if h.get("item") == "taxpayer_confirmation"]
    assert [h["type"] for h in failed] == ["failed"]


def _twice(client, name, at):
    first, second = run_job(client, name, at), run_job(client, name, at)
    return first, second


@pytest.mark.parametrize(
    "job",
    [
        "deadline-breaches",
        "subsidy-reminders",
        "restart-unstarted",
        "recompute-provisional",
        "calendar-check",
    ],
)
def test_every_scheduled_job_run_twice_changes_and_sends_once(aws, client, clock, queues, job):
    svc = deps.services()
    case_id, _ = run_case(client, queues, "finished") if job == "subsidy-reminders" else ("", None)
    at = {
        "deadline-breaches": "2026-11-27T12:00:00+08:00",
        "subsidy-reminders": "2026-11-28T08:00:00+08:00",
        "restart-unstarted": "2026-11-27T12:00:00+08:00",
        "recompute-provisional": "2026-12-25T00:30:00+08:00",
        "calendar-check": "2026-11-05T09:00:00+08:00",  # 2027's holidays not loaded
    }[job]
    if job in ("deadline-breaches", "restart-unstarted"):
        bulk_load(svc, 3, due=3)
    if job == "recompute-provisional":
        clock.set("2026-12-24T10:00:00+08:00")
        submit(client, application())
        svc.repo.put_calendar_year(_year_2027(svc))
        svc.calendars.invalidate()

    before = Counter(executions(aws))  # moto may keep earlier tests' executions
    first, second = _twice(client, job, at)

    assert first["changed"] > 0, first
    sent = clock.notifier.sent
    assert len(sent) == len({json.dumps(s, sort_keys=True, default=str) for s in sent})
    if job == "restart-unstarted":
        # Step Functions answers a repeated start of a running execution (same name, same
        # input) with success, so the report counts it again; no second execution exists.
        started = Counter(executions(aws)) - before
        assert sorted(started.values()) == [1, 1, 1] and first["changed"] == 3, started
        return
    assert (second["changed"], second["notified"]) == (0, 0), second
    if job == "subsidy-reminders":
        notes = notifications(client, bearer())
        assert [n["type"] for n in notes if n["application_id"] == case_id].count(
            "subsidy_reminder"
        ) == 1
    assert jobs.run(svc, job, datetime.fromisoformat(at)).changed == 0


def executions(aws):
    sfn = boto3.client("stepfunctions", region_name=REGION)
    listed = sfn.list_executions(stateMachineArn=aws.state_machine_arn)["executions"]
    return [e["name"] for e in listed]


def _year_2027(svc):
    from chalicelib.store.records import CalendarYearRecord

    return CalendarYearRecord(
        year=2027, holidays=["2027-01-01"], workdays=[], source="test", loaded_at=svc.now_iso()
    )
