"""AWS calls per operation, counted on the app's own boto3 clients, against the floor we aim
for. Counts are deterministic, so tests/reliability/test_aws_calls.py checks the same floors.

Measured warm: after one whole case has run (clients built, the holiday calendar cached:
CachedCalendar does one Query on first use per container and then every
CALENDAR_CACHE_SECONDS; the field cipher one GenerateDataKey per submitted case, and one Decrypt
per case a process opens that it did not seal: tests/reliability/test_aws_calls.py counts those)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from chalice.test import Client

from chalicelib.domain import catalogue
from chalicelib.services.jobs import PAGE
from tests.conftest import Clock, bearer
from tests.functional.bulk import bulk_load
from tests.functional.helpers import application, case, decide, settle, submit
from tests.functional.jobs import run_job
from tests.reliability.harness import Calls, LabelledPump

DYNAMODB_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
JOB_WRITES = DYNAMODB_WRITES | {"StartExecution"}
WARM = "warm: after one whole case (clients built, calendar and field data key cached)"
ADMIN = bearer("admin", "admin-1")
HRSS_OFFICER = bearer("officer", "hrss-1", department="hrss", county="410302")
STAFF_READ = {"Query": 1, "PutItem": 1}  # the case, and its access-log row
# One SMS sent (the first message of the SMS queue: the accepted notice): the notification,
# its case, the phone's send window, then the claim and the outcome (each a transaction).
SMS_SENT = {"GetItem": 2, "Query": 1, "TransactWriteItems": 2}
# The case's own data key (its encryption context names the case), then the write and start.
SUBMIT = {"GenerateDataKey": 1, "TransactWriteItems": 1, "StartExecution": 1}


@dataclass
class Measured:
    aws_calls: dict[str, dict[str, int]]
    service: dict[str, str]  # API name -> service
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)  # each job's own report
    total: dict[str, int] = field(default_factory=dict)  # every call made, set-up included
    # Per item of the measured case: its handler's invocations, and the calls they made to
    # the departments' systems (the stand-ins count what they answered).
    connectors: dict[str, dict[str, int]] = field(default_factory=dict)


def expect(condition: object, what: object) -> None:
    """The benchmark drives the service: a step that did not work stops it (not an assert:
    those vanish under python -O)."""
    if not condition:
        raise RuntimeError(f"benchmark step failed: {what!r}")


def _submitted(client: Client, key: str, **changes: Any) -> str:
    response = submit(client, application(**changes), **{"Idempotency-Key": key})
    expect(response.status_code == 202, response.body)
    return str(json.loads(response.body)["id"])


def _decided(client: Client, case_id: str) -> None:
    response = decide(client, case_id)
    expect(response.status_code == 200, response.body)


def _cases_and_handlers(client: Client, pump: LabelledPump, calls: Calls) -> str:
    warm = _submitted(client, "warm-up")
    settle(pump, client, warm)
    _decided(client, warm)
    settle(pump, client, warm)
    calls.reset()
    with calls.label("submit"):
        case_id = _submitted(client, "measured")
    settle(pump, client, case_id)  # licence, then the four items: one invocation each
    with calls.label("get_case"):  # the applicant's own read
        case(client, case_id)
    with calls.label("get_case_staff"):  # an officer's read is recorded
        read = client.http.get(f"/v1/applications/{case_id}", headers=HRSS_OFFICER)
    expect(read.status_code == 200, read.body)
    with calls.label("list_my_cases"):
        listed = client.http.get("/v1/me/applications", headers=bearer())
    expect(listed.status_code == 200, listed.body)
    with calls.label("events"):
        feed = client.http.get("/v1/events?limit=2", headers=ADMIN)
    expect(feed.status_code == 200, feed.body)
    with calls.label("decision"):
        _decided(client, case_id)
    settle(pump, client, case_id)  # the pension's registration with HRSS, then the outcome
    return case_id


def connector_calls(calls: Calls, departments: Any, case_id: str) -> dict[str, dict[str, int]]:
    """Each item's handler invocations, and how many of them called a department's system
    and how many calls they made (goal: one call per attempt that needs one)."""
    found: dict[str, dict[str, int]] = {}
    made_in_all = departments.calls()
    for spec in catalogue.items():
        runs = len(calls.runs.get(f"item:{spec.code}", []))
        made = [c for c in made_in_all if c.idempotency_key.startswith(f"{case_id}.{spec.code}.")]
        found[spec.code] = {"invocations": runs, "connector_calls": len(made)}
    return found


def _job(client: Client, calls: Calls, name: str, at: str) -> dict[str, Any]:
    with calls.label(f"job:{name}"):
        return run_job(client, name, at)


def _jobs(client: Client, calls: Calls, clock: Clock, svc: Any) -> dict[str, dict[str, Any]]:
    reports = {}
    bulk_load(svc, 2, due=2)  # two late cases whose workflow never started
    late = "2026-11-27T12:00:00+08:00"
    reports["deadline-breaches"] = _job(client, calls, "deadline-breaches", late)
    reports["restart-unstarted"] = _job(client, calls, "restart-unstarted", late)
    # Both whole cases' subsidy items wait for the licence's first anniversary (2026-10-15).
    reports["subsidy-reminders"] = _job(
        client, calls, "subsidy-reminders", "2026-11-28T08:00:00+08:00"
    )
    # From 1 November, 2027's holidays not loaded: the day's alert (one row, one message).
    reports["calendar-check"] = _job(client, calls, "calendar-check", "2026-11-28T09:00:00+08:00")
    clock.set("2026-12-24T10:00:00+08:00")  # its deadline falls in 2027: no official data yet
    _submitted(client, "provisional")
    body = {"holidays": ["2027-01-01"], "workdays": [], "source": "bench"}
    response = client.http.put(
        "/v1/admin/calendar/2027",
        headers={"Content-Type": "application/json", **ADMIN},
        body=json.dumps(body),
    )
    expect(response.status_code == 200, response.body)
    svc.calendars()  # warm again: loading a year empties this container's cache
    reports["recompute-provisional"] = _job(
        client, calls, "recompute-provisional", "2026-12-25T00:30:00+08:00"
    )
    return reports


def measure(
    client: Client,
    pump: LabelledPump,
    calls: Calls,
    clock: Clock,
    svc: Any,
    departments: Any,
) -> Measured:
    case_id = _cases_and_handlers(client, pump, calls)
    connectors = connector_calls(calls, departments, case_id)
    reports = _jobs(client, calls, clock, svc)
    return Measured(
        aws_calls=calls.first(),
        service=dict(calls.service),
        jobs={f"job:{name}": report for name, report in reports.items()},
        total=dict(calls.total),
        connectors=connectors,
    )


# -- the floors ------------------------------------------------------------------------------
def floor_of(operation: str) -> str:
    if operation == "submit":
        return "= 1 TransactWriteItems + 1 StartExecution + 1 GenerateDataKey"
    if operation in ("get_case", "list_my_cases"):
        return "= 1 call"
    if operation == "events":
        return "= 1 Query per page"
    if operation == "get_case_staff":
        return "= 1 Query + 1 PutItem (access log)"
    if operation.startswith("job:"):
        return "1 Query per page (of each list) + 1 write per row"
    if operation == "sms":
        return "= 2 GetItem + 1 Query + 2 TransactWriteItems"
    return "≤ 2 DynamoDB + ≤ 1 Step Functions"


def _by_service(counts: dict[str, int], service: dict[str, str]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for api, n in counts.items():
        totals[service.get(api, "?")] = totals.get(service.get(api, "?"), 0) + n
    return totals


# How many work lists (sparse-index partitions) a job reads: one Query per page of each.
WORK_LISTS = {"job:restart-unstarted": 2}  # unstarted cases, and items whose retry was lost


def _job_problems(operation: str, counts: dict[str, int], report: dict[str, Any]) -> list[str]:
    pages = report["read"] // PAGE + WORK_LISTS.get(operation, 1)
    writes = sum(n for api, n in counts.items() if api in JOB_WRITES)
    other_reads = {a: n for a, n in counts.items() if a in ("GetItem", "BatchGetItem")}
    problems = []
    if counts.get("Query", 0) > pages:
        problems.append(f"{counts.get('Query')} Query for {pages} page(s)")
    if writes != report["changed"]:
        problems.append(f"{writes} writes for {report['changed']} rows changed")
    if other_reads:
        problems.append(f"per-row reads {other_reads}")
    return problems


def problems_of(operation: str, measured: Measured) -> list[str]:
    counts = measured.aws_calls.get(operation, {})
    services = _by_service(counts, measured.service)
    if operation == "submit":
        wanted = SUBMIT
        return [] if counts == wanted else [f"{counts} != {wanted}"]
    if operation in ("get_case", "list_my_cases"):
        return [] if sum(counts.values()) == 1 else [f"{sum(counts.values())} calls"]
    if operation == "events":
        return [] if counts == {"Query": 1} else [f"{counts} != one Query"]
    if operation == "get_case_staff":
        return [] if counts == STAFF_READ else [f"{counts} != {STAFF_READ}"]
    if operation.startswith("job:"):
        return _job_problems(operation, counts, measured.jobs[operation])
    if operation == "sms":
        return [] if counts == SMS_SENT else [f"{counts} != {SMS_SENT}"]
    problems = []
    if services.get("dynamodb", 0) > 2:
        problems.append(f"{services['dynamodb']} DynamoDB calls")
    if services.get("stepfunctions", 0) > 1:
        problems.append(f"{services['stepfunctions']} Step Functions calls")
    return problems


def connector_problems(measured: Measured) -> list[str]:
    """More calls to a department than the item's handler made attempts needing one."""
    return [
        f"{code}: {c['connector_calls']} connector calls in {c['invocations']} invocations"
        for code, c in measured.connectors.items()
        if c["connector_calls"] > c["invocations"]
    ]


def violations(measured: Measured) -> dict[str, list[str]]:
    found = {op: problems_of(op, measured) for op in measured.aws_calls}
    found["connectors"] = connector_problems(measured)
    if measured.total.get("Scan"):
        found["anywhere"] = [f"{measured.total['Scan']} Scan"]
    return {op: p for op, p in found.items() if p}


def table(measured: Measured) -> str:
    lines = [f"AWS calls per operation ({WARM})", ""]
    lines.append(f"{'operation':34} {'calls':64} {'floor':46} ok")
    for op, counts in measured.aws_calls.items():
        text = ", ".join(f"{api}×{n}" for api, n in counts.items()) or "none"
        if op in measured.jobs:
            report = measured.jobs[op]
            text += f"  [{report['read']} rows read, {report['changed']} changed]"
        problems = problems_of(op, measured)
        ok = "NO: " + "; ".join(problems) if problems else "yes"
        lines.append(f"{op:34} {text:64} {floor_of(op):46} {ok}")
    lines.append(f"Scan calls anywhere (set-up included): {measured.total.get('Scan', 0)}")
    lines += ["", "Calls to the departments' systems per item of one whole case (goal: 1 a try)"]
    for code, counted in measured.connectors.items():
        lines.append(
            f"  {code:24} {counted['invocations']} handler invocation(s), "
            f"{counted['connector_calls']} connector call(s)"
        )
    return "\n".join(lines)
