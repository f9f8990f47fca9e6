"""A joint case travels from submission to completion through the real state machine."""

from __future__ import annotations

import json

from tests.conftest import bearer
from tests.functional.helpers import HRSS_OFFICER, application, decide, item, settle, submit


def test_all_five_items_complete_after_the_officer_approves_the_pension(client, pump):
    # Given a full application by the registered operator
    response = submit(client, application())
    assert response.status_code == 202, response.body
    accepted = json.loads(response.body)
    assert accepted["status"] == "accepted"
    assert accepted["links"]["self"] == f"/v1/applications/{accepted['id']}"

    # When the workflow runs, the instant items finish and the pension waits for HRSS
    view = settle(pump, client, accepted["id"])
    assert view["status"] == "in_progress"
    assert item(view, "license_verification")["status"] == "completed"
    assert item(view, "taxpayer_confirmation")["status"] == "completed"
    assert item(view, "employment_certificate")["status"] == "completed"
    assert item(view, "startup_subsidy")["status"] == "reminder_scheduled"
    assert item(view, "startup_subsidy")["result"]["reminder_date"] == "2026-10-15"
    assert item(view, "pension_registration")["status"] == "in_review"

    tasks = client.http.get(
        "/v1/departments/hrss/tasks?status=pending",
        headers=bearer("officer", "o-1", **HRSS_OFFICER),
    )
    assert [t["application_id"] for t in json.loads(tasks.body)["tasks"]] == [accepted["id"]]

    # And the officer approves
    decision = decide(client, accepted["id"])
    assert decision.status_code == 200, decision.body
    view = settle(pump, client, accepted["id"])

    # Then every item is finished and the case is completed
    assert view["status"] == "completed"
    assert item(view, "pension_registration")["status"] == "completed"
    types = [h["type"] for h in view["history"]]
    assert types[:2] == ["submitted", "accepted"] and types[-1] == "completed"
    certs = json.loads(client.http.get("/v1/me/certificates", headers=bearer()).body)[
        "certificates"
    ]
    assert sorted(c["type"] for c in certs) == [
        "business_licence",
        "employment_certificate",
        "pension_registration",
    ]
    mine = json.loads(client.http.get("/v1/me/applications", headers=bearer()).body)["applications"]
    assert [c["id"] for c in mine] == [accepted["id"]]
