"""The SMS channel's rules under redelivery and failure, with the real SDK against the local
stand-in: one SMS per notification however often the topic, the queue or a job delivers it;
nothing at night for what can wait; the per-phone limits; transient failures retried through
the queue, permanent ones recorded and left."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import deps
from chalicelib.services import notify
from devtools.provision import Resources
from devtools.sms_standin import StandIn
from tests.conftest import Clock
from tests.functional.helpers import application, settle, submit
from tests.functional.jobs import run_job
from tests.sms_helpers import (
    deliver,
    licence_case,
    note_of,
    waiting,
)


def _types(standin: StandIn, messages: list[dict[str, Any]]) -> list[str]:
    by_id = {json.loads(m["Body"])["id"]: json.loads(m["Body"])["type"] for m in messages}
    return sorted(by_id[sent["notification_id"]] for sent in standin.outbox())


def test_the_queue_delivering_a_batch_twice_sends_each_sms_once(
    client: Client, aws: Resources, clock: Clock, standin: StandIn
) -> None:
    messages = licence_case(client, aws)
    assert deliver(messages) == []
    assert deliver(messages) == []
    assert deliver(list(reversed(messages))) == []
    assert _types(standin, messages) == ["accepted", "case_finished"]


def test_the_topic_publishing_a_notice_again_sends_nothing_new(
    client: Client, aws: Resources, clock: Clock, standin: StandIn
) -> None:
    messages = licence_case(client, aws)
    deliver(messages)
    first = note_of(messages[0])
    notify.deliver(deps.services(), first)  # SNS delivers at least once: a second copy
    again = waiting(aws, first.application_id)
    assert len(again) == 1 and deliver(again) == []
    assert len(standin.outbox()) == 2


def test_the_reminder_job_run_twice_sends_one_reminder_sms(
    client: Client, aws: Resources, clock: Clock, standin: StandIn, pump: Any
) -> None:
    response = submit(client, application(items=["startup_subsidy"], pension=None))
    settle(pump, client, json.loads(response.body)["id"])
    before = len(standin.outbox())
    for _ in range(2):
        run_job(client, "subsidy-reminders", "2026-11-28T09:00:00+08:00")
        pump.run_until(lambda: False, timeout_s=0.3)  # deliver what the queues hold meanwhile
    reminders = [s for s in standin.outbox()[before:] if s["template"] == "2100005"]
    assert len(reminders) == 1 and reminders[0]["params"] == ["5000"]


def test_a_notice_due_at_night_is_held_until_the_morning(
    client: Client, aws: Resources, clock: Clock, standin: StandIn, monkeypatch: Any
) -> None:
    monkeypatch.setenv("SMS_QUIET_HOURS", "21:00-08:00")
    deps.reset()
    clock.set("2026-11-27T22:30:00+08:00")
    messages = licence_case(client, aws)
    assert len(deliver(messages)) == 2  # accepted and case_finished wait; item_finished: no SMS
    assert standin.outbox() == []
    held = [s for s in (note_of(m).sms for m in messages) if s and s.state == "held"]
    assert len(held) == 2 and {s.reason for s in held} == {"quiet_hours"}
    assert all(s.held_until and s.held_until >= "2026-11-28T00:00:00" for s in held)
    case_id = note_of(messages[0]).application_id
    assert waiting(aws, case_id) == []  # invisible until then: the queue keeps them
    clock.set("2026-11-28T08:06:00+08:00")  # past 08:00 and the morning's spread
    assert deliver(messages) == []
    assert _types(standin, messages) == ["accepted", "case_finished"]


def test_a_phone_gets_no_more_than_its_limits_allow(
    client: Client, aws: Resources, clock: Clock, standin: StandIn, monkeypatch: Any
) -> None:
    monkeypatch.setenv("SMS_RATE_LIMITS", "1/30s,5/1h,10/1d")
    deps.reset()
    messages = licence_case(client, aws)
    held = deliver(messages)
    assert len(standin.outbox()) == 1 and len(held) == 1
    waiting_one = next(m for m in messages if m["MessageId"] in held)
    assert note_of(waiting_one).sms.reason == "rate_limited"
    clock.set("2026-11-27T10:00:31+08:00")
    assert deliver([waiting_one]) == []
    assert len(standin.outbox()) == 2


def test_a_provider_outage_is_retried_through_the_queue(
    client: Client, aws: Resources, clock: Clock, standin: StandIn
) -> None:
    messages = licence_case(client, aws)[:1]
    standin.set_mode("down", times=1)
    assert deliver(messages) == [messages[0]["MessageId"]]
    status = note_of(messages[0]).sms
    assert (status.state, status.reason, status.attempts) == ("held", "retrying", 1)
    case_id = note_of(messages[0]).application_id
    assert waiting(aws, case_id) == []  # backed off: not redelivered at once
    clock.set("2026-11-27T10:01:00+08:00")
    assert deliver(messages) == []
    assert len(standin.outbox()) == 1 and note_of(messages[0]).sms.state == "sent"


@pytest.mark.parametrize(
    ("mode", "code"),
    [
        ("template-not-approved", "FailedOperation.TemplateIncorrectOrUnapproved"),
        ("blacklisted", "FailedOperation.PhoneNumberInBlacklist"),
    ],
)
def test_a_permanent_refusal_is_recorded_and_not_retried(
    client: Client, aws: Resources, clock: Clock, standin: StandIn, mode: str, code: str
) -> None:
    messages = licence_case(client, aws)[:1]
    standin.set_mode(mode)
    assert deliver(messages) == []  # nothing to retry
    status = note_of(messages[0]).sms
    assert (status.state, status.reason, status.provider_code) == (
        "failed",
        "provider_rejected",
        code,
    )
    standin.set_mode("ok")
    assert deliver(messages) == [] and standin.outbox() == []
