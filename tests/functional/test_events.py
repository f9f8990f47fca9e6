"""GET /v1/events: each caller's change feed, in order, paged by an opaque cursor, written in
the same transaction as the change (so redelivered handlers and re-run jobs add nothing)."""

from __future__ import annotations

import base64
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

import app
from chalicelib import deps
from chalicelib.api.events import ChangeEvent
from chalicelib.domain.events import FeedScope
from chalicelib.store.dynamodb import DynamoDBCaseRepository
from devtools.pump import _record
from tests.conftest import bearer
from tests.functional.helpers import (
    OPERATOR,
    application,
    case,
    decide,
    item,
    settle,
    submit,
)
from tests.functional.jobs import run_job

OWNER = bearer("applicant", OPERATOR)
ADMIN = bearer("admin", "admin-1")
SMALL = {"items": ["taxpayer_confirmation"], "pension": None, "subsidy": None}


def read(client: Any, headers: dict[str, str], query: str = "") -> Any:
    return client.http.get(f"/v1/events{query}", headers=headers)


def page(client: Any, headers: dict[str, str], query: str = "") -> dict[str, Any]:
    response = read(client, headers, query)
    assert response.status_code == 200, response.body
    body: dict[str, Any] = json.loads(response.body)
    return body


def everything(client: Any, headers: dict[str, str], limit: int) -> tuple[list[dict], list[str]]:
    """Follow ``next`` until no page is ready; return the events and every cursor seen."""
    events, cursors, query = [], [], f"?limit={limit}"
    while True:
        body = page(client, headers, query)
        events += body["events"]
        cursors.append(body["next"])
        if not body["has_more"]:
            return events, cursors
        query = f"?limit={limit}&after={body['next']}"


def position(cursor: str) -> str:
    """What the opaque cursor holds (the test may look; clients must not)."""
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()[2:]


def small_case(client: Any, pump: Any, key: str) -> str:
    response = submit(client, application(**SMALL), **{"Idempotency-Key": key})
    assert response.status_code == 202, response.body
    case_id = str(json.loads(response.body)["id"])
    assert settle(pump, client, case_id)["status"] == "completed"
    return case_id


def test_a_whole_case_is_in_its_owners_feed_with_stable_types_and_no_personal_data(
    client, pump, clock
):
    case_id = json.loads(submit(client, application()).body)["id"]
    assert item(settle(pump, client, case_id), "pension_registration")["status"] == "in_review"
    assert decide(client, case_id).status_code == 200
    assert settle(pump, client, case_id)["status"] == "completed"

    response = read(client, OWNER)
    body = json.loads(response.body)
    events = body["events"]
    types = [e["type"] for e in events]
    assert types[0] == "case.accepted" and types[1] == "item.status_changed"
    assert events[1]["item"] == "license_verification" and events[1]["status"] == "completed"
    assert types[-1] == "case.finished" and events[-1]["status"] == "completed"
    assert "case.in_progress" in types and "subsidy.claimed" not in types
    decided = [e for e in events if e["item"] == "pension_registration"]
    assert [e["status"] for e in decided] == ["in_review", "waiting_for_department", "completed"]
    assert {e["application_id"] for e in events} == {case_id}
    assert len({e["id"] for e in events}) == len(events)
    assert all(e["occurred_at"].endswith("+08:00") for e in events)
    for e in events:
        ChangeEvent.model_validate(e)
    for secret in (OPERATOR, "张三", "13800138000", "6216610200001234567", "示例街"):
        assert secret not in response.body.decode()
    # every published history entry appears once (the submission is told by case.accepted)
    history = [h for h in case(client, case_id)["history"] if h["type"] != "submitted"]
    assert len(events) == len(history)


def test_paging_follows_the_feed_in_strict_order_and_polling_from_the_end_waits(
    client, pump, clock
):
    ids = [small_case(client, pump, f"paging-{n}") for n in range(3)]
    whole = page(client, ADMIN, "?limit=200")
    assert not whole["has_more"] and len(whole["events"]) == 3 * 5  # accepted .. finished

    paged, cursors = everything(client, ADMIN, limit=2)
    assert paged == whole["events"]
    positions = [position(c) for c in cursors]
    assert positions == sorted(set(positions))  # strictly increasing
    assert [e["application_id"] for e in paged if e["type"] == "case.accepted"] == ids

    end = cursors[-1]
    assert page(client, ADMIN, f"?after={end}") == {"events": [], "next": end, "has_more": False}
    later = small_case(client, pump, "paging-later")
    fresh = page(client, ADMIN, f"?after={end}")
    assert [e["application_id"] for e in fresh["events"]] == [later] * 5
    assert position(fresh["next"]) > position(end)


def test_each_caller_sees_exactly_the_cases_they_may_read(client, pump, clock):
    # The operator's case involves market regulation (licence), tax and HRSS in 410302.
    case_id = small_case(client, pump, "scope")
    expected = len(page(client, ADMIN)["events"])
    assert expected == 5
    callers = {
        "owner": (OWNER, expected),
        "other applicant": (bearer("applicant", "410311200306159021"), 0),
        "clerk of the county": (bearer("clerk", "c-1", county="410302"), expected),
        "clerk of another county": (bearer("clerk", "c-2", county="410311"), 0),
        "tax officer of the county": (
            bearer("officer", "t-1", department="tax", county="410302"),
            expected,
        ),
        "tax officer elsewhere": (bearer("officer", "t-2", department="tax", county="410311"), 0),
        "licence officer": (
            bearer("officer", "m-1", department="market_regulation", county="410302"),
            expected,
        ),
        "HRSS officer, not involved": (
            bearer("officer", "h-1", department="hrss", county="410302"),
            0,
        ),
        "admin": (ADMIN, expected),
    }
    for who, (headers, count) in callers.items():
        events = page(client, headers)["events"]
        assert len(events) == count, who
        assert all(e["application_id"] == case_id for e in events), who
    assert read(client, {}).status_code == 401


@pytest.mark.parametrize(
    "query",
    [
        "?after=!!!",
        "?after=" + "A" * 300,
        "?after=" + base64.urlsafe_b64encode(b"2|").decode(),
        "?after=" + base64.urlsafe_b64encode(b"1|2026-11-27#x").decode(),
        "?after=" + base64.urlsafe_b64encode("1|\u00e9".encode()).decode(),
    ],
)
def test_a_cursor_we_did_not_hand_out_is_a_400_with_a_stable_code(client, aws, query):
    response = read(client, ADMIN, query)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert json.loads(response.body)["code"] == "cursor.invalid"


@pytest.mark.parametrize("limit", ["0", "201", "abc", "1e3", "-1", "9" * 5000])
def test_a_limit_outside_one_to_two_hundred_is_a_400(client, aws, limit):
    response = read(client, ADMIN, f"?limit={limit}")
    assert response.status_code == 400
    assert json.loads(response.body)["code"] == "limit.invalid"


def test_a_cursor_from_the_future_gives_an_empty_page_not_an_error(client, aws):
    future = "9999-12-31T00:00:00.000000+00:00#" + "f" * 32 + "#9.case.accepted"
    cursor = base64.urlsafe_b64encode(f"1|{future}".encode()).decode().rstrip("=")
    assert page(client, ADMIN, f"?after={cursor}") == {
        "events": [],
        "next": cursor,
        "has_more": False,
    }


def _receive(sqs: Any, url: str) -> dict[str, Any]:
    for _ in range(2000):
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", [])
        if messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
            return dict(messages[0])
    raise AssertionError(f"no message on {url}")


def test_a_handler_delivered_twice_and_a_job_run_twice_publish_each_event_once(
    aws, client, pump, clock
):
    case_id = json.loads(submit(client, application()).body)["id"]
    sqs = boto3.client("sqs", region_name="cn-north-1")
    licence = _receive(sqs, aws.queue_urls["yjs-license-verification"])
    event = {"Records": [_record("yjs-license-verification", licence)]}
    assert app.license_verification(event, None) == {"batchItemFailures": []}
    assert app.license_verification(event, None) == {"batchItemFailures": []}
    settle(pump, client, case_id)
    late = "2026-12-14T09:00:00+08:00"
    clock.set(late)
    assert run_job(client, "deadline-breaches", late)["changed"] == 2
    assert run_job(client, "deadline-breaches", late)["changed"] == 0

    events = page(client, OWNER)["events"]
    counted = Counter((e["type"], e["item"]) for e in events)
    assert counted[("item.status_changed", "license_verification")] == 1
    assert counted[("case.in_progress", None)] == 1
    assert counted[("deadline.breached", None)] == 1
    assert counted[("deadline.breached", "pension_registration")] == 1
    assert max(counted.values()) == 1


def test_one_page_is_one_query(client, pump, clock):
    small_case(client, pump, "calls")
    seen: Counter[str] = Counter()

    def count(event_name: str, **_: Any) -> None:
        seen[event_name.split(".")[-1]] += 1

    dynamodb = deps.client("dynamodb")
    dynamodb.meta.events.register("before-call", count)
    try:
        first = page(client, OWNER, "?limit=2")
        page(client, OWNER, f"?limit=2&after={first['next']}")
    finally:
        dynamodb.meta.events.unregister("before-call", count)
    assert seen == {"Query": 2}


def test_events_recorded_within_the_settle_window_wait_for_the_next_poll(client, pump, clock):
    small_case(client, pump, "settle")
    table = deps.services().settings.table_name
    now = datetime.now(UTC)
    settling = DynamoDBCaseRepository(deps.client("dynamodb"), table, clock=lambda: now)
    assert settling.feed(FeedScope(), "", 3600, 50).events == []
    later = DynamoDBCaseRepository(
        deps.client("dynamodb"), table, clock=lambda: now + timedelta(seconds=61)
    )
    assert len(later.feed(FeedScope(), "", 60, 50).events) == 5
