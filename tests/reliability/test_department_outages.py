"""The departments' systems are slow, down for maintenance, or answer twice: items wait and
finish when the system is back, the other items are not held up, and nothing is registered
twice. The real adapter talks over real HTTP to the stand-ins (devtools/departments.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import deps
from tests.conftest import bearer
from tests.functional.helpers import case, decide, item, settle, submitted
from tests.reliability.harness import LabelledPump

TAX = "taxpayer_confirmation"
OPERATIONS = {  # item -> the operation its department registers it with
    TAX: "taxpayer.confirm",
    "employment_certificate": "employment.register",
    "pension_registration": "pension.register",
}


@pytest.fixture
def patient(monkeypatch: pytest.MonkeyPatch, aws: Any) -> None:
    """A department may stay down for many attempts before its items fail to a person."""
    monkeypatch.setenv("CONNECTOR_MAX_ATTEMPTS", "50")
    deps.reset()


def _until(
    pump: LabelledPump, client: Any, case_id: str, check: Any, rounds: int = 400
) -> dict[str, Any]:
    for _ in range(rounds):
        view = case(client, case_id)
        if check(view):
            return view
        pump.drain_once()
    raise AssertionError(f"never reached: {case(client, case_id)}")


def _status(view: dict[str, Any], code: str) -> str:
    return str(item(view, code)["status"])


def test_a_department_down_for_a_while_makes_only_its_items_wait(
    patient, client, queues, clock, departments
):
    departments.set_mode("tax", "down")
    case_id = submitted(client)
    view = _until(
        queues,
        client,
        case_id,
        lambda v: (
            _status(v, TAX) == "waiting_for_department"
            and _status(v, "employment_certificate") == "completed"
        ),
    )
    # A while of failed attempts later the item still waits (not failed, not completed)
    for _ in range(30):
        queues.drain_once()
    view = case(client, case_id)
    assert _status(view, TAX) == "waiting_for_department"
    assert _status(view, "pension_registration") == "in_review"  # HRSS was not held up
    tried = [c for c in departments.calls("tax") if c.status == 503]
    assert len(tried) >= 10
    waiting = [h for h in view["history"] if h["type"] == "waiting_for_department"]
    assert len(waiting) == 1 and "暂不可用" in waiting[0]["detail"]
    # Back up: the item completes, registered once; the case finishes as usual
    departments.set_mode("tax", "ok")
    _until(queues, client, case_id, lambda v: _status(v, TAX) == "completed")
    assert decide(client, case_id).status_code == 200
    view = settle(queues, client, case_id)
    assert view["status"] == "completed"
    assert len(departments.registrations("taxpayer.confirm")) == 1
    assert item(view, TAX)["result"]["taxpayer_id"] == "92410302MA47K2NQ4D"


def test_a_slow_department_times_out_then_answers_what_it_registered_the_first_time(
    patient, client, queues, clock, departments
):
    departments.set_mode("hrss", "slow")
    case_id = submitted(client, items=["employment_certificate"], pension=None, subsidy=None)
    view = _until(
        queues,
        client,
        case_id,
        lambda v: (
            _status(v, "employment_certificate") != "pending"
            and _status(v, "employment_certificate") != "dispatched"
        ),
    )
    assert _status(view, "employment_certificate") == "waiting_for_department"
    waited = next(h for h in view["history"] if h["type"] == "waiting_for_department")
    assert "超时" in waited["detail"]
    departments.set_mode("hrss", "ok")
    view = settle(queues, client, case_id)
    assert view["status"] == "completed"
    [registration] = departments.registrations("employment.register")
    number = item(view, "employment_certificate")["result"]["certificate_number"]
    assert number == registration.response["certificate_number"]  # the same, replayed
    replayed = [c for c in departments.calls("hrss") if c.replayed]
    assert replayed, "the retry carried the same idempotency key"
    certificates = client.http.get("/v1/me/certificates", headers=bearer())
    issued = json.loads(certificates.body)["certificates"]
    assert [c["number"] for c in issued if c["type"] == "employment_certificate"] == [number]


def test_every_message_delivered_twice_registers_each_item_once(
    client, aws, calls, clock, departments
):
    import boto3

    import app

    twice = LabelledPump(
        app, boto3.client("sqs", region_name="cn-north-1"), aws.queue_urls, calls, twice=True
    )
    case_id = submitted(client)
    settle(twice, client, case_id)
    assert decide(client, case_id).status_code == 200
    assert settle(twice, client, case_id)["status"] == "completed"
    for operation in OPERATIONS.values():
        assert len(departments.registrations(operation)) == 1, operation


@pytest.mark.parametrize("department", ["market_regulation", "tax", "hrss"])
def test_a_failure_at_every_call_of_a_department_is_retried_to_the_same_end(
    patient, client, queues, clock, departments, department
):
    case_id = submitted(client)
    departments.fail_next(department, 1)  # the department's first call of this case fails
    settle(queues, client, case_id)
    departments.fail_next(department, 1)  # and the first after the officer's approval
    assert decide(client, case_id).status_code == 200
    view = settle(queues, client, case_id)
    assert view["status"] == "completed"
    assert all(i["status"] in ("completed", "reminder_scheduled") for i in view["items"]), view
    assert [c for c in departments.calls(department) if c.status == 503]
    for operation in OPERATIONS.values():
        assert len(departments.registrations(operation)) == 1, operation


def test_a_department_down_past_the_last_attempt_fails_the_item_to_a_person_who_retries_it(
    client, queues, clock, departments
):
    departments.set_mode("tax", "down")
    case_id = submitted(client, items=[TAX], pension=None, subsidy=None)
    view = _until(queues, client, case_id, lambda v: _status(v, TAX) == "failed")
    assert view["status"] == "in_progress"  # the case waits for the person
    officer = bearer("officer", "t-1", department="tax", county="410302")
    tasks = client.http.get("/v1/departments/tax/tasks?status=failed", headers=officer)
    [task] = json.loads(tasks.body)["tasks"]
    assert task["failure"] == "unavailable"
    departments.set_mode("tax", "ok")
    path = f"/v1/departments/tax/tasks/{task['id']}/retry"
    retried = client.http.post(
        path,
        headers={"Content-Type": "application/json", **officer},
        body=json.dumps({"reason": "税务系统维护结束"}),
    )
    assert retried.status_code == 200, retried.body
    view = settle(queues, client, case_id)
    assert view["status"] == "completed"
    assert len(departments.registrations("taxpayer.confirm")) == 1
