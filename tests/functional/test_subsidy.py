"""The start-up subsidy's year: the reminder on the anniversary, the claim, the decision and
the public notice."""

from __future__ import annotations

import dataclasses
import json
import uuid

from chalicelib import deps
from chalicelib.integrations.contract import Licence
from chalicelib.settings import get_settings
from tests.conftest import LOCAL_ENV, bearer
from tests.functional.helpers import (
    HRSS_OFFICER,
    application,
    case,
    decide,
    item,
    post,
    settle,
    submit,
    upload,
)
from tests.functional.jobs import notifications, run_job

OFFICER = bearer("officer", "o-1", **HRSS_OFFICER)
STATIONERY = {"name": "洛龙区示例文具店", "uscc": "92410311MA9XW3T19H"}  # registered 2024-02-29
STATIONER = "410311200306159021"
TEA_HOUSE = {"name": "偃师区示例茶馆", "uscc": "92410307MA7D2H6QX3"}  # registered 2026-11-02
TEA_MASTER = "41030719950520311X"


def subsidy_only(**changes):
    return application(items=["startup_subsidy"], pension=None, **changes)


def finished_subsidy_case(client, pump, sub="410302199001019018", **changes):
    # Each call is a new application: the same form again without a key would be the same case.
    key = {"Idempotency-Key": uuid.uuid4().hex}
    case_id = json.loads(submit(client, subsidy_only(**changes), sub=sub, **key).body)["id"]
    view = settle(pump, client, case_id, sub=sub)
    assert view["status"] == "completed", view
    return case_id, view


def claim(client, case_id, sub="410302199001019018", **body):
    payload = {"materials": [upload(client, sub)], "account_confirmed": True, **body}
    return post(
        client, f"/v1/applications/{case_id}/subsidy-claim", payload, bearer("applicant", sub)
    )


def subsidy_decision(client, case_id, approve=True, reason=None):
    body = {"approve": approve} | ({"reason": reason} if reason else {})
    path = f"/v1/departments/hrss/tasks/{case_id}.startup_subsidy/decision"
    return post(client, path, body, OFFICER)


def test_registration_already_a_year_old_is_reminded_at_the_first_run_and_only_once(
    client, pump, clock
):
    case_id, view = finished_subsidy_case(client, pump)
    assert item(view, "startup_subsidy")["result"]["reminder_date"] == "2026-10-15"
    first = run_job(client, "subsidy-reminders", "2026-11-28T08:00:00+08:00")
    again = run_job(client, "subsidy-reminders", "2026-11-28T08:00:00+08:00")
    assert (first["changed"], first["notified"], again["changed"], again["read"]) == (1, 1, 0, 0)
    assert item(case(client, case_id), "startup_subsidy")["status"] == "reminder_sent"
    notes = [n for n in notifications(client, bearer()) if n["type"] == "subsidy_reminder"]
    assert len(notes) == 1 and notes[0]["application_id"] == case_id and not notes[0]["read"]
    assert [s[1] for s in clock.notifier.sent].count("subsidy_reminder") == 1


def test_a_business_registered_on_29_february_is_reminded_on_28_february(client, pump, clock):
    applicant = {**application()["applicant"], "id_number": STATIONER, "gender": "female"}
    _, view = finished_subsidy_case(
        client, pump, sub=STATIONER, business=STATIONERY, applicant=applicant, county="410311"
    )
    assert item(view, "startup_subsidy")["result"]["reminder_date"] == "2025-02-28"


def test_a_reminder_waits_for_the_anniversary(client, pump, clock):
    applicant = {**application()["applicant"], "id_number": TEA_MASTER}
    case_id, view = finished_subsidy_case(
        client, pump, sub=TEA_MASTER, business=TEA_HOUSE, applicant=applicant, county="410307"
    )
    assert item(view, "startup_subsidy")["result"]["reminder_date"] == "2027-11-02"
    assert run_job(client, "subsidy-reminders", "2027-11-01T08:00:00+08:00")["changed"] == 0
    response = claim(client, case_id, sub=TEA_MASTER)
    assert response.status_code == 409
    assert json.loads(response.body)["code"] == "subsidy.too_early"
    assert run_job(client, "subsidy-reminders", "2027-11-02T08:00:00+08:00")["changed"] == 1


def test_a_claim_is_approved_end_to_end_and_published_masked(client, pump, clock):
    case_id, _ = finished_subsidy_case(client, pump)
    run_job(client, "subsidy-reminders", "2026-11-28T08:00:00+08:00")
    response = claim(client, case_id)
    assert response.status_code == 200, response.body
    assert json.loads(response.body)["status"] == "claimed"

    tasks = json.loads(client.http.get("/v1/departments/hrss/tasks", headers=OFFICER).body)["tasks"]
    assert [t["id"] for t in tasks] == [f"{case_id}.startup_subsidy"]
    assert subsidy_decision(client, case_id).status_code == 200
    assert subsidy_decision(client, case_id).status_code == 409  # decided once
    # HRSS finance takes the payment instruction (the item's handler calls it).
    assert pump.run_until(
        lambda: item(case(client, case_id), "startup_subsidy")["status"] == "approved"
    )

    subsidy = item(case(client, case_id), "startup_subsidy")
    assert subsidy["status"] == "approved"
    assert subsidy["result"]["amount"] == 5000 and subsidy["result"]["paid_to"] == "****4567"
    notice = json.loads(client.http.get("/v1/departments/hrss/subsidy-notice").body)["notice"]
    assert notice == [  # no case id: the public notice links to nothing of the case
        {
            "name": "张*",
            "id_number": "4103**********9018",
            "business_name": "洛阳市老城区示例小吃店",
            "amount": 5000,
            "approved_on": "2026-11-27",
            "county": "410302",
        }
    ]
    # Shown only during its publicity period (5 working days after approval by default).
    clock.set("2026-12-04T10:00:00+08:00")  # the 5th working day after Friday 2026-11-27
    assert (
        len(json.loads(client.http.get("/v1/departments/hrss/subsidy-notice").body)["notice"]) == 1
    )
    clock.set("2026-12-07T09:00:00+08:00")
    assert json.loads(client.http.get("/v1/departments/hrss/subsidy-notice").body)["notice"] == []
    # The account is whole only in the owner's own view (and HRSS's); results show last four.
    admin_view = client.http.get(f"/v1/applications/{case_id}", headers=bearer("admin", "ops-1"))
    assert "6216610200001234567" not in admin_view.body.decode()
    assert "6216610200001234567" not in json.dumps(subsidy, ensure_ascii=False)


def test_one_subsidy_per_person_ever(client, pump, clock):
    first, _ = finished_subsidy_case(client, pump)
    second, _ = finished_subsidy_case(client, pump)
    run_job(client, "subsidy-reminders", "2026-11-28T08:00:00+08:00")
    claim(client, first)
    subsidy_decision(client, first)

    response = claim(client, second)
    assert response.status_code == 200
    assert json.loads(response.body)["status"] == "rejected"
    assert (
        item(case(client, second), "startup_subsidy")["result"]["reason_code"]
        == "subsidy.already_granted"
    )

    third = json.loads(submit(client, subsidy_only(), **{"Idempotency-Key": "third"}).body)["id"]
    view = settle(pump, client, third)
    assert view["status"] == "partially_completed"
    assert item(view, "startup_subsidy")["status"] == "refused"
    assert item(view, "startup_subsidy")["result"]["reason_code"] == "subsidy.already_granted"


def test_one_subsidy_per_person_across_a_rotation_of_the_person_key_secret(
    client, pump, clock, monkeypatch
):
    """Cases written under the old and the new version of the secret name the same person:
    a grant under either is found from both (domain.person.KeyRing, docs/domain.md §6)."""
    before, _ = finished_subsidy_case(client, pump)  # keyed v1
    frozen = deps.services()  # the clock's
    rotating = f"v2={'n' * 40},v1={LOCAL_ENV['PERSON_KEY_SECRET']}"
    monkeypatch.setenv("PERSON_KEY_SECRET", rotating)
    deps.reset()
    # Cached before the test client puts the local stage's variables back: the authorizer's.
    rotated = dataclasses.replace(frozen, settings=get_settings())
    monkeypatch.setattr(deps, "services", lambda: rotated)
    try:
        during, _ = finished_subsidy_case(client, pump)  # keyed v2, v1 beside it
        stored = deps.services().repo.get_case(during)
        assert stored is not None and stored.person_key.startswith("v2.")
        assert [k[:3] for k in stored.person_aliases] == ["v1."]
        run_job(client, "subsidy-reminders", "2026-11-28T08:00:00+08:00")
        claim(client, during)
        assert subsidy_decision(client, during).status_code == 200
        # The case written before the rotation knows only the v1 key: it still finds the grant.
        response = claim(client, before)
        assert json.loads(response.body)["status"] == "rejected"
        refused = item(case(client, before), "startup_subsidy")["result"]["reason_code"]
        assert refused == "subsidy.already_granted"
        again = submit(client, subsidy_only(), **{"Idempotency-Key": "after-rotation"})
        view = settle(pump, client, json.loads(again.body)["id"])
        assert item(view, "startup_subsidy")["result"]["reason_code"] == "subsidy.already_granted"
    finally:
        deps.reset()


def test_a_claim_for_a_business_cancelled_since_is_rejected(client, pump, clock, departments):
    case_id, _ = finished_subsidy_case(client, pump)
    run_job(client, "subsidy-reminders", "2026-11-28T08:00:00+08:00")
    cancelled = Licence(
        uscc="92410302MA47K2NQ4D",
        name="洛阳市老城区示例小吃店",
        operator_id_number="410302199001019018",
        registered_on="2025-10-15",
        state="cancelled",
    )
    departments.put_licence(cancelled)  # the registry's clerks cancelled it meanwhile
    response = claim(client, case_id)
    assert json.loads(response.body)["status"] == "rejected"
    assert (
        item(case(client, case_id), "startup_subsidy")["result"]["reason_code"]
        == "licence.not_active"
    )


def test_only_the_owner_can_claim_and_must_confirm_the_account(client, pump, clock):
    case_id, _ = finished_subsidy_case(client, pump)
    assert claim(client, case_id, sub=STATIONER).status_code == 404
    response = claim(client, case_id, account_confirmed=False)
    assert response.status_code == 422
    officer_view = client.http.get(f"/v1/applications/{case_id}", headers=OFFICER)
    assert officer_view.status_code == 200


def test_decide_on_an_item_that_is_not_waiting_is_a_conflict(client, pump, clock):
    case_id, _ = finished_subsidy_case(client, pump)
    assert subsidy_decision(client, case_id).status_code == 409
    assert decide(client, case_id).status_code == 404  # no pension item in this case
