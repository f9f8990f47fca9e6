"""Each operation makes the AWS calls we budget for, no more (counted warm, on the app's own
clients); the same measurement is printed by `make bench`."""

from __future__ import annotations

from bench.calls import _submitted, measure, table, violations
from chalicelib import deps
from tests.functional.helpers import case
from tests.reliability.harness import forget_data_keys


def test_every_operation_stays_within_its_aws_call_floor_and_nothing_scans(
    standin, client, queues, calls, clock, departments
):  # the SMS stand-in first: it resets the app's clients, which ``calls`` then counts
    measured = measure(client, queues, calls, clock, deps.services(), departments)
    print(table(measured))

    # The case's own data key (a per-case encryption context), the write and the start.
    assert measured.aws_calls["submit"] == {
        "GenerateDataKey": 1,
        "StartExecution": 1,
        "TransactWriteItems": 1,
    }
    assert measured.aws_calls["get_case"] == {"Query": 1}  # the applicant's own read
    # A staff read adds its one access-log write (idempotent per request id).
    assert measured.aws_calls["get_case_staff"] == {"PutItem": 1, "Query": 1}
    assert measured.aws_calls["events"] == {"Query": 1}  # one page of the change feed
    # One SMS sent: the notification, its case, the phone's window; claim, then outcome.
    assert measured.aws_calls["sms"] == {"GetItem": 2, "Query": 1, "TransactWriteItems": 2}
    handlers = {op for op in measured.aws_calls if op.startswith("item:")}
    assert handlers == {
        "item:license_verification",
        "item:taxpayer_confirmation",
        "item:employment_certificate",
        "item:pension_registration",
        "item:startup_subsidy",
        "item:finalize",
    }
    assert {op for op in measured.aws_calls if op.startswith("job:")} == {
        "job:deadline-breaches",
        "job:restart-unstarted",
        "job:subsidy-reminders",
        "job:recompute-provisional",
        "job:calendar-check",
    }
    assert all(report["changed"] > 0 for report in measured.jobs.values()), measured.jobs
    assert violations(measured) == {}
    # One call to a department per attempt that needs one: the licence and the subsidy look
    # the licence up, tax and employment register, the pension registers once approved.
    assert {code: c["connector_calls"] for code, c in measured.connectors.items()} == {
        "license_verification": 1,
        "taxpayer_confirmation": 1,
        "employment_certificate": 1,
        "pension_registration": 1,
        "startup_subsidy": 1,
    }
    assert "Scan" not in measured.total


def test_kms_is_asked_once_per_case_sealed_and_once_per_case_a_process_opens(
    client, queues, calls, clock
):
    """Each submission makes its case's data key (the context names the case, so CloudTrail
    shows it); a process that did not seal a case opens its data key once, then reads from
    its cache."""
    deps.services().calendars()  # the holiday calendar's one Query per container, done
    forget_data_keys()
    with calls.label("first submit"):
        first = _submitted(client, "cold-1")
    with calls.label("second submit"):
        _submitted(client, "cold-2")
    forget_data_keys()  # another process reads
    with calls.label("first read"):
        case(client, first)
    with calls.label("second read"):
        case(client, first)
    measured = calls.first()
    assert measured["first submit"] == {
        "GenerateDataKey": 1,
        "StartExecution": 1,
        "TransactWriteItems": 1,
    }
    assert measured["second submit"] == {
        "GenerateDataKey": 1,
        "StartExecution": 1,
        "TransactWriteItems": 1,
    }
    assert measured["first read"] == {"Decrypt": 1, "Query": 1}
    assert measured["second read"] == {"Query": 1}
