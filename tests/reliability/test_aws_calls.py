"""Each operation makes the AWS calls we budget for, no more (counted warm, on the app's own
clients); the same measurement is printed by `make bench`."""

from __future__ import annotations

from bench.calls import measure, table, violations
from chalicelib import deps


def test_every_operation_stays_within_its_aws_call_floor_and_nothing_scans(
    client, queues, calls, clock
):
    measured = measure(client, queues, calls, clock, deps.services())
    print(table(measured))

    assert measured.aws_calls["submit"] == {"StartExecution": 1, "TransactWriteItems": 1}
    assert measured.aws_calls["get_case"] == {"Query": 1}
    assert measured.aws_calls["events"] == {"Query": 1}  # one page of the change feed
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
    }
    assert all(report["changed"] > 0 for report in measured.jobs.values()), measured.jobs
    assert violations(measured) == {}
    assert "Scan" not in measured.total
