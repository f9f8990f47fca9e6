"""Cost per case: one whole five-item case and one licence-only case driven through the app on
moto (after a warm-up case: clients built, calendar and field data key cached), with what each
AWS service would bill measured on the way; priced by bench/bill.py from bench/prices.json.

A whole case: the applicant submits, the workflow runs (licence, then the four items), the
applicant reads the case, the HRSS officer lists the pending tasks and decides the pension,
the outcome is recorded, the applicant reads the case again. A licence-only case: submit, the
licence item and the outcome, one read. Measured, not estimated: every AWS call of the app's
clients (counted), DynamoDB request units (bench/capacity.py, from the items' real sizes),
Step Functions state transitions (the execution's history), each Lambda invocation's wall time
(API requests through the local gateway, each queue handler's batch, the authorizer called
directly), the messages the workflow sent, the bytes logged, stored and archived."""

from __future__ import annotations

import json
import logging
import statistics
import time
from collections import Counter
from typing import Any

import boto3

from bench import bill, capacity
from bench.calls import expect
from bench.stack import REGION, local_stack
from chalicelib.logs import JsonFormatter
from chalicelib.store.schema import INDEXES
from tests.conftest import bearer, token
from tests.functional.helpers import FINAL, application, decide, settle, submit

ACCOUNT = "123456789012"
OFFICER = bearer("officer", "hrss-1", department="hrss", county="410302")
STORAGE_OVERHEAD = 100  # bytes DynamoDB adds to every stored item and index entry


class LogBytes(logging.Handler):
    """Bytes the app's loggers write (as JSON lines, the way Lambda ships them), by label."""

    def __init__(self, calls: Any) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.calls, self.by_label = calls, Counter[str]()

    def emit(self, record: logging.LogRecord) -> None:
        self.by_label[self.calls.current or "unlabelled"] += len(self.format(record).encode()) + 1


def _timed(stack: Any, label: str, request: Any) -> Any:
    with stack.calls.label(label):
        started = time.perf_counter()
        response = request()
        stack.pump.durations.setdefault(label, []).append((time.perf_counter() - started) * 1000)
    expect(response.status_code < 300, response.body)
    return response


def _whole_case(stack: Any, key: str, items: list[str] | None) -> str:
    client, pump = stack.client, stack.pump
    body = application() if items is None else _licence_only()
    posted = _timed(stack, "api:submit", lambda: submit(client, body, **{"Idempotency-Key": key}))
    case_id = str(json.loads(posted.body)["id"])
    settle(pump, client, case_id)
    read = f"/v1/applications/{case_id}"
    _timed(stack, "api:read", lambda: client.http.get(read, headers=bearer()))
    if items is None:
        tasks = "/v1/departments/hrss/tasks?status=pending"
        _timed(stack, "api:officer_tasks", lambda: client.http.get(tasks, headers=OFFICER))
        _timed(stack, "api:decision", lambda: decide(client, case_id))
        final = settle(pump, client, case_id)
        expect(final["status"] in FINAL, final["status"])
        _timed(stack, "api:read_final", lambda: client.http.get(read, headers=bearer()))
    return case_id


def _licence_only() -> dict[str, Any]:
    body = application()
    body["items"] = ["license_verification"]
    for section in ("pension", "subsidy"):
        body.pop(section, None)
    return body


def _transitions(stack: Any, case_id: str) -> int:
    sfn = boto3.client("stepfunctions", region_name=REGION)
    arn = stack.resources.state_machine_arn.replace(":stateMachine:", ":execution:")
    events = sfn.get_execution_history(executionArn=f"{arn}:{case_id}", maxResults=1000)
    return sum(1 for e in events["events"] if e["type"].endswith("StateEntered"))


def _stored(stack: Any) -> tuple[int, int]:
    """(DynamoDB bytes billed for storage: items and index entries with their overhead,
    S3 bytes of every object version)."""
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    table = stack.resources.table_name
    total = 0
    for page in dynamodb.get_paginator("scan").paginate(TableName=table):  # bench only
        for item in page["Items"]:
            size = capacity.item_size(item) + STORAGE_OVERHEAD
            entries = sum(1 for i in INDEXES if f"{i}PK" in item and f"{i}SK" in item)
            total += size * (1 + entries)
    s3 = boto3.client("s3", region_name=REGION)
    versions = s3.list_object_versions(Bucket=stack.resources.uploads_bucket)
    return total, sum(v["Size"] for v in versions.get("Versions", []))


def _authorizer_ms(app: Any) -> float:
    event = {
        "type": "TOKEN",
        "authorizationToken": f"Bearer {token()}",
        "methodArn": f"arn:aws-cn:execute-api:{REGION}:{ACCOUNT}:api1/api/GET/v1/me",
    }
    times = []
    for _ in range(7):
        started = time.perf_counter()
        app.bearer_token(event, None)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _reset(stack: Any, units: capacity.Capacity, logs: LogBytes) -> None:
    stack.calls.reset()
    stack.pump.durations.clear()
    stack.pump.handled.clear()
    units.by_label.clear()
    logs.by_label.clear()


def _measured(stack: Any, units: capacity.Capacity, logs: LogBytes, items: Any) -> dict[str, Any]:
    before = _stored(stack)
    _reset(stack, units, logs)
    case_id = _whole_case(stack, f"cost-{items is None}", items)
    after = _stored(stack)
    durations = {k: [round(ms, 1) for ms in v] for k, v in stack.pump.durations.items()}
    return {
        "calls": _calls(stack),
        "dynamodb_units": {k: dict(v) for k, v in units.by_label.items() if k != "unlabelled"},
        "state_transitions": _transitions(stack, case_id),
        "invocations_ms": durations,
        "messages": sum(stack.pump.handled.values()),
        "log_bytes": sum(n for k, n in logs.by_label.items() if k != "unlabelled"),
        "dynamodb_bytes": after[0] - before[0],
        "s3_bytes": after[1] - before[1],
    }


def _calls(stack: Any) -> dict[str, dict[str, int]]:
    runs = stack.calls.runs
    totals: dict[str, Counter[str]] = {}
    for label, counters in runs.items():
        totals[label] = sum(counters, Counter())
    return {label: dict(c) for label, c in totals.items()}


def measure() -> dict[str, Any]:
    import app
    from chalicelib import deps

    with local_stack() as stack:
        units = capacity.Capacity(stack.calls, ACCOUNT, REGION, list(INDEXES))
        units.attach(deps.client("dynamodb"))
        logs = LogBytes(stack.calls)
        loggers = [logging.getLogger(n) for n in ("chalicelib", "yijianshi.access", "yijianshi")]
        saved = [list(logger.handlers) for logger in loggers]
        for logger in loggers:  # counted, not printed
            logger.handlers[:] = [logs]
        logging.disable(logging.NOTSET)
        try:
            _whole_case(stack, "warm-up", None)
            measured = {
                "whole": _measured(stack, units, logs, None),
                "licence_only": _measured(stack, units, logs, ["license_verification"]),
            }
            authorizer = _authorizer_ms(app)
            jobs = bill.job_runs(stack, units, logs)
        finally:
            logging.disable(logging.CRITICAL)
            for logger, handlers in zip(loggers, saved, strict=True):
                logger.handlers[:] = handlers
    return bill.priced(measured, authorizer, jobs)


def table(result: dict[str, Any]) -> str:
    return bill.table(result)
