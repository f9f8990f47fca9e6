"""A case stored but never started (Step Functions unreachable at submission, every retry
failing at the wire) is accepted all the same and started later by the sweeper."""

from __future__ import annotations

import json

from tests.functional.helpers import application, settle, submit
from tests.functional.jobs import run_job
from tests.reliability.harness import INTERNAL


def test_a_case_whose_start_was_lost_is_started_by_the_sweeper(
    client, queues, calls, faults, clock
):
    faults.arm("StartExecution", [INTERNAL], label="submit", outage=True)
    body = application(items=["taxpayer_confirmation"], pension=None, subsidy=None)
    with calls.label("submit"):
        response = submit(client, body)
    faults.clear()
    assert response.status_code == 202  # accepted: the case is stored, the start comes later
    case_id = json.loads(response.body)["id"]

    assert (
        run_job(client, "restart-unstarted", "2026-11-27T10:01:00+08:00")["changed"] == 0
    )  # grace
    assert run_job(client, "restart-unstarted", "2026-11-27T10:05:00+08:00")["changed"] == 1
    view = settle(queues, client, case_id)
    assert view["status"] == "completed"
    assert run_job(client, "restart-unstarted", "2026-11-27T10:10:00+08:00")["read"] == 0
