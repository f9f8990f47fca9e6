"""One application is one case: however many times, and however concurrently, it arrives."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import boto3

from chalicelib.settings import RESUBMISSION_WINDOW_S
from tests.conftest import bearer
from tests.functional.helpers import application, submit

CLIENTS = 50


def my_cases(client) -> list[str]:
    body = client.http.get("/v1/me/applications", headers=bearer()).body
    return [c["id"] for c in json.loads(body)["applications"]]


def executions(aws) -> list[str]:
    sfn = boto3.client("stepfunctions", region_name="cn-north-1")
    listed = sfn.list_executions(stateMachineArn=aws.state_machine_arn)["executions"]
    return [e["name"] for e in listed]


def at_once(n, action):
    barrier = threading.Barrier(n)

    def one(_):
        barrier.wait()
        return action()

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def test_fifty_simultaneous_submissions_with_one_key_make_exactly_one_case(
    aws, client, clock, threadsafe_app
):
    responses = at_once(
        CLIENTS, lambda: submit(client, application(), **{"Idempotency-Key": "tap-tap-tap"})
    )

    assert [r.status_code for r in responses] == [202] * CLIENTS
    ids = {json.loads(r.body)["id"] for r in responses}
    assert len(ids) == 1
    assert my_cases(client) == list(ids)
    assert executions(aws).count(ids.pop()) == 1


def test_the_same_form_again_without_a_key_is_answered_with_the_existing_case(aws, client, clock):
    first = submit(client, application())
    again = submit(client, application())

    assert first.status_code == again.status_code == 202
    assert json.loads(again.body)["id"] == json.loads(first.body)["id"]
    assert my_cases(client) == [json.loads(first.body)["id"]]


def test_simultaneous_resubmissions_without_a_key_make_exactly_one_case(
    aws, client, clock, threadsafe_app
):
    responses = at_once(10, lambda: submit(client, application()))

    assert [r.status_code for r in responses] == [202] * 10
    assert len({json.loads(r.body)["id"] for r in responses}) == 1
    assert len(my_cases(client)) == 1


def test_a_different_form_or_a_later_resubmission_is_a_new_case(aws, client, clock):
    first = json.loads(submit(client, application()).body)["id"]
    other_items = application(items=["license_verification"], pension=None, subsidy=None)
    second = json.loads(submit(client, other_items).body)["id"]
    assert second != first

    clock.now += timedelta(seconds=RESUBMISSION_WINDOW_S + 1)
    third = json.loads(submit(client, application()).body)["id"]
    assert third not in (first, second)
    assert len(my_cases(client)) == 3


def test_an_explicit_key_still_decides_what_counts_as_the_same_request(aws, client, clock):
    one = submit(client, application(), **{"Idempotency-Key": "a"})
    two = submit(client, application(), **{"Idempotency-Key": "b"})
    assert json.loads(one.body)["id"] != json.loads(two.body)["id"]
