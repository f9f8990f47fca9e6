"""A failure at any AWS call on the submit path or in a handler (throttling, a timeout, an
internal error, a response lost after the write) ends in one of two ways: botocore's retries
absorb it, or the request fails with 503 and Retry-After (a handler's delivery fails and SQS
delivers it again). Once the fault clears, the case completes exactly as it would have:
nothing lost, no orphan rows, no item half written. The outcome of every injection point is
printed and written to build/reliability/."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import deps
from tests.conftest import bearer
from tests.functional.bulk import bulk_load
from tests.functional.helpers import application, decide, item, settle, submit
from tests.functional.jobs import notifications, run_job
from tests.reliability.harness import FAILURES, LOST, Calls, Faults

REPORT_DIR = Path(__file__).resolve().parents[2] / "build" / "reliability"
HANDLER_CALLS = ["Query", "TransactWriteItems", "Publish", "SendTaskSuccess"]
POINTS = {  # every AWS call each operation makes (tests/reliability/test_aws_calls.py)
    "submit": ["TransactWriteItems", "StartExecution"],
    "item:license_verification": HANDLER_CALLS,
    "item:taxpayer_confirmation": HANDLER_CALLS,
    "item:employment_certificate": HANDLER_CALLS,
    # Its review, then (a second invocation) HRSS's registration once the officer approved.
    "item:pension_registration": HANDLER_CALLS,
    "item:startup_subsidy": HANDLER_CALLS,
    "get_case": ["Query"],
    # The approval goes to HRSS through the item's queue (SQS is not among the faults here).
    "decision": ["Query", "TransactWriteItems", "Publish"],
    "item:finalize": HANDLER_CALLS,
}
EVERY_CALL = {"Query", "TransactWriteItems", "StartExecution", "SendTaskSuccess", "Publish"}
RUNS = {  # (kinds, outage: every attempt of the first request or delivery fails, calls hit)
    "outage-reads": (FAILURES, True, {"Query"}),
    "outage-writes": (FAILURES, True, {"TransactWriteItems"}),
    "outage-workflow": (FAILURES, True, {"StartExecution", "SendTaskSuccess"}),
    "outage-notifications": (FAILURES, True, {"Publish"}),
    "retried-everywhere": (FAILURES, False, EVERY_CALL),  # then the next attempt succeeds
    "lost-responses": ((LOST,), False, {"TransactWriteItems", "StartExecution", "SendTaskSuccess"}),
}
EXPECTED_ITEMS = {
    "license_verification": "completed",
    "taxpayer_confirmation": "completed",
    "employment_certificate": "completed",
    "pension_registration": "completed",
    "startup_subsidy": "reminder_scheduled",
}


class Outcomes:
    def __init__(self) -> None:
        self.http: dict[str, str] = {}
        self.restarted = 0

    def request(self, calls: Calls, label: str, send):
        """Send; a 5xx must be a 503 with Retry-After, and the client's retry must work."""
        with calls.label(label):
            first = send()
        if first.status_code < 500:
            self.http[label] = f"{first.status_code} at once"
            return first
        retry_after = first.headers.get("Retry-After")
        assert (first.status_code, bool(retry_after)) == (503, True), (label, first.body)
        with calls.label(label):
            again = send()
        self.http[label] = f"503 Retry-After: {retry_after}; retried: {again.status_code}"
        return again


def _rows(aws):
    ddb = boto3.client("dynamodb", region_name="cn-north-1")
    pages = ddb.get_paginator("scan").paginate(TableName=aws.table_name)
    return [item for page in pages for item in page["Items"]]


def _consistent(aws, client, case_id):
    view = json.loads(client.http.get(f"/v1/applications/{case_id}", headers=bearer()).body)
    assert view["status"] == "completed", view
    assert {i["code"]: i["status"] for i in view["items"]} == EXPECTED_ITEMS
    history = [(h["type"], h.get("item")) for h in view["history"]]
    assert len(history) == len(set(history)), history
    for code, status in EXPECTED_ITEMS.items():  # no item changed without its history
        assert (status, code) in history, (code, history)
    mine = json.loads(client.http.get("/v1/me/applications", headers=bearer()).body)
    assert [c["id"] for c in mine["applications"]] == [case_id]  # no second case
    cases = {r["PK"]["S"] for r in _rows(aws) if r["PK"]["S"].startswith("CASE#")}
    assert cases == {f"CASE#{case_id}"}  # no orphan rows of a failed attempt
    notes = [(n["type"], n["text"]) for n in notifications(client, bearer())]
    assert len(notes) == len(set(notes)), notes
    certs = json.loads(client.http.get("/v1/me/certificates", headers=bearer()).body)
    assert len({c["number"] for c in certs["certificates"]}) == len(certs["certificates"]) == 3


def _table(run: str, faults_armed, pump, outcomes: Outcomes) -> str:
    lines = [f"## {run}", "", "| operation | call | injected | outcome |", "|---|---|---|---|"]
    for (label, api), fault in faults_armed.items():
        if label.startswith("item:"):
            failed = pump.failures[label]
            outcome = f"delivery failed {failed}×, redelivered, ok" if failed else "handled at once"
        else:
            outcome = outcomes.http.get(label, "")
        if api == "Publish" and fault.outage:
            outcome += " (notification stored; its SNS delivery is best effort, not retried)"
        if (label, api) == ("submit", "StartExecution") and fault.outage:
            outcome += f" (start deferred; restart-unstarted started {outcomes.restarted})"
        lines.append(f"| {label} | {api} | {', '.join(fault.hits)} | {outcome} |")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("run", list(RUNS))
def test_a_fault_at_any_call_is_retried_or_answered_503_and_the_case_completes(
    aws, client, clock, calls, queues, faults: Faults, run
):
    kinds, outage, apis = RUNS[run]
    armed = {
        (label, api): faults.arm(api, kinds, label=label, outage=outage)
        for label, called in POINTS.items()
        for api in called
        if api in apis
    }
    outcomes = Outcomes()

    accepted = outcomes.request(
        calls, "submit", lambda: submit(client, application(), **{"Idempotency-Key": run})
    )
    assert accepted.status_code == 202, accepted.body
    case_id = json.loads(accepted.body)["id"]
    sweep = run_job(client, "restart-unstarted", "2026-11-27T10:05:00+08:00")  # deferred start
    outcomes.restarted = sweep["changed"]
    assert item(settle(queues, client, case_id), "pension_registration")["status"] == "in_review"
    got = outcomes.request(
        calls, "get_case", lambda: client.http.get(f"/v1/applications/{case_id}", headers=bearer())
    )
    assert got.status_code == 200
    decided = outcomes.request(calls, "decision", lambda: decide(client, case_id))
    assert decided.status_code in (200, 409), decided.body
    settle(queues, client, case_id)

    report = _table(run, armed, queues, outcomes)
    print(report)
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / f"fault-injection-{run}.md").write_text(report, encoding="utf-8")
    assert not [key for key, fault in armed.items() if not fault.hits], "points never reached"
    faults.clear()
    _consistent(aws, client, case_id)
    assert Counter(calls.total)["Scan"] == 0


@pytest.mark.parametrize("api", ["Query", "TransactWriteItems", "Publish"])
def test_a_job_run_cut_short_by_a_fault_is_finished_by_the_next_run_flagging_each_row_once(
    aws, client, clock, calls, faults: Faults, api
):
    bulk_load(deps.services(), 3, due=3)  # three late cases: six rows due
    late = "2026-11-27T12:00:00+08:00"
    fault = faults.arm(api, FAILURES, label="job:deadline-breaches", outage=True)

    with calls.label("job:deadline-breaches"):
        try:
            first = run_job(client, "deadline-breaches", late)
        except (ClientError, BotoCoreError):
            first = {"changed": 0, "notified": 0}  # EventBridge invokes the job again
    with calls.label("job:deadline-breaches"):
        second = run_job(client, "deadline-breaches", late)
    with calls.label("job:deadline-breaches"):
        third = run_job(client, "deadline-breaches", late)

    assert fault.hits, "the fault was never reached"
    assert first["changed"] + second["changed"] == 6 and third["changed"] == 0
    # Each row's alert is attempted exactly once: never twice, and one lost to an SNS outage is
    # not re-sent (best effort; the department's breach list is the record of truth).
    alerts = [s for s in clock.notifier.sent if s[1] == "deadline_breached"]
    flagged = Counter(payload["application_id"] for _, _, payload in alerts)
    assert sum(flagged.values()) == 6 and set(flagged.values()) == {2}  # case and its item
