"""The other paths a case can take: refusals, a failing handler, the window channel."""

from __future__ import annotations

import dataclasses
import json

import pytest

from chalicelib.domain import catalogue
from tests.conftest import bearer
from tests.functional.helpers import (
    application,
    case,
    decide,
    item,
    post,
    settle,
    submit,
    window_application,
)

REPAIR_SHOP = {"name": "涧西区示例修车铺", "uscc": "92410305MA5KLC722U"}
RETIRED_OPERATOR = "410305196503109131"  # a man born 1965-03: retired at 60 y 1 m, 2025-04


def applicant_for(id_number: str, gender: str = "male") -> dict[str, str]:
    body = application()["applicant"]
    return {**body, "id_number": id_number, "gender": gender}


def test_cancelled_business_rejects_the_case(client, pump):
    body = application(
        business={"name": "新安县示例农家乐", "uscc": "92410323MA3R8E0N7Y"},
        applicant=applicant_for("410323198808086243", "female"),
        county="410323",
    )
    response = submit(client, body, sub="410323198808086243")
    case_id = json.loads(response.body)["id"]
    view = settle(pump, client, case_id, sub="410323198808086243")
    assert view["status"] == "rejected"
    assert item(view, "license_verification")["result"]["reason_code"] == "licence.not_active"
    assert {i["status"] for i in view["items"][1:]} == {"not_handled"}
    assert view["history"][-1]["type"] == "rejected"


def test_someone_who_is_not_the_registered_operator_is_refused(client, pump):
    other = "410311200306159021"
    body = application(applicant=applicant_for(other, "female"))
    case_id = json.loads(submit(client, body, sub=other).body)["id"]
    view = settle(pump, client, case_id, sub=other)
    assert view["status"] == "rejected"
    assert (
        item(view, "license_verification")["result"]["reason_code"] == "licence.operator_mismatch"
    )


def test_applicant_past_retirement_age_is_refused_only_where_the_plan_sets_an_age(client, pump):
    """The certificate and the subsidy require working age (附件3 四（二）1③⑤; the subsidy's at
    registration, 2026-03-01, after this man retired in 2025-04); the pension registration
    does not: it waits for the officer, flagged (docs/domain.md §7)."""
    body = application(
        business=REPAIR_SHOP, applicant=applicant_for(RETIRED_OPERATOR), county="410305"
    )
    case_id = json.loads(submit(client, body, sub=RETIRED_OPERATOR).body)["id"]
    view = settle(pump, client, case_id, sub=RETIRED_OPERATOR)
    assert view["status"] == "in_progress"
    assert item(view, "taxpayer_confirmation")["status"] == "completed"
    for code in ("employment_certificate", "startup_subsidy"):
        assert item(view, code)["status"] == "refused"
        assert item(view, code)["result"]["reason_code"] == "age.outside_working_age"
    pension = item(view, "pension_registration")
    assert pension["status"] == "in_review" and "reason_code" not in pension["result"]
    assert pension["review"] is None  # the officer's, not the applicant's
    said = [e["detail"] for e in view["history"] if e["item"] == "pension_registration"]
    assert any("已达法定退休年龄" in detail for detail in said)

    officer = bearer("officer", "hrss-7", department="hrss", county="410305")
    tasks = json.loads(client.http.get("/v1/departments/hrss/tasks", headers=officer).body)
    flags = [f["code"] for t in tasks["tasks"] for f in (t["review"] or {}).get("flags", [])]
    assert flags == ["pension.past_retirement_age"]
    seen = json.loads(client.http.get(f"/v1/applications/{case_id}", headers=officer).body)
    assert item(seen, "pension_registration")["review"]["flags"][0]["text"] == (
        "已达法定退休年龄，请核实是否属于延长缴费情形"
    )
    certs = client.http.get("/v1/me/certificates", headers=bearer("applicant", RETIRED_OPERATOR))
    # Only the verified licence: nothing was issued.
    assert [c["type"] for c in json.loads(certs.body)["certificates"]] == ["business_licence"]


def test_only_the_licence_chosen_completes_after_verification(client, pump):
    body = application(items=["license_verification"], pension=None, subsidy=None)
    case_id = json.loads(submit(client, body).body)["id"]
    view = settle(pump, client, case_id)
    assert view["status"] == "completed"
    assert [i["code"] for i in view["items"]] == ["license_verification"]


def test_licence_runs_first_even_when_not_ticked(client, pump):
    body = application(items=["taxpayer_confirmation"], pension=None, subsidy=None)
    case_id = json.loads(submit(client, body).body)["id"]
    view = settle(pump, client, case_id)
    assert [i["code"] for i in view["items"]] == ["license_verification", "taxpayer_confirmation"]
    assert view["status"] == "completed"


def test_a_failing_item_handler_fails_to_a_person_who_retries_it(client, pump, monkeypatch):
    calls = []

    def broken(facts):
        calls.append(facts)
        raise RuntimeError("a bug in the rule")

    tax = catalogue.spec("taxpayer_confirmation")
    with monkeypatch.context() as patch:
        patch.setitem(catalogue._REGISTRY.items, tax.code, dataclasses.replace(tax, rule=broken))
        case_id = json.loads(submit(client, application()).body)["id"]
        settle(pump, client, case_id)
        decide(client, case_id)
        view = settle(pump, client, case_id)
    # The others finish; the failed item waits for a person, and so does the case.
    assert view["status"] == "in_progress"
    assert item(view, "taxpayer_confirmation")["status"] == "failed"
    assert item(view, "employment_certificate")["status"] == "completed"
    assert item(view, "pension_registration")["status"] == "completed"
    assert len(calls) == 3  # delivered, redelivered twice, then dead-lettered
    tax_officer = bearer("officer", "t-1", department="tax", county="410302")
    failed = client.http.get("/v1/departments/tax/tasks?status=failed", headers=tax_officer)
    [task] = json.loads(failed.body)["tasks"]
    assert (task["item"], task["status"], task["failure"]) == (tax.code, "failed", "handler_error")
    # The rule fixed, an officer retries it: the case then finishes as usual.
    retry = post(
        client, f"/v1/departments/tax/tasks/{task['id']}/retry", {"reason": "已修复"}, tax_officer
    )
    assert retry.status_code == 200, retry.body
    view = settle(pump, client, case_id)
    assert view["status"] == "completed"
    assert item(view, "taxpayer_confirmation")["status"] == "completed"
    assert "retried" in [h["type"] for h in view["history"]]


def test_officer_refusal_needs_a_reason_and_leaves_the_case_partially_completed(client, pump):
    case_id = json.loads(submit(client, application()).body)["id"]
    settle(pump, client, case_id)
    missing = decide(client, case_id, approve=False)
    assert missing.status_code == 422
    assert decide(client, case_id, approve=False, reason="已在用人单位参保").status_code == 200
    again = decide(client, case_id, approve=True)
    assert again.status_code == 409
    view = settle(pump, client, case_id)
    assert view["status"] == "partially_completed"
    assert item(view, "pension_registration")["result"]["reason"] == "已在用人单位参保"


def test_window_clerk_submits_for_the_applicant_who_then_sees_the_case(client, pump):
    clerk = bearer("clerk", "clerk-007", county="410302")
    response = post(client, "/v1/applications", window_application(), clerk)
    assert response.status_code == 202, response.body
    case_id = json.loads(response.body)["id"]
    view = case(client, case_id)
    assert view["channel"] == "window"
    assert view["history"][0]["actor"] == "clerk"
    mine = json.loads(client.http.get("/v1/me/applications", headers=clerk).body)
    assert [c["id"] for c in mine["applications"]] == [case_id]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer not-a-token"}, 401),
        (bearer("applicant", "410311200306159021"), 404),
        (bearer("officer", "o-2", department="tax", county="410311"), 404),
        (bearer("clerk", "clerk-008", county="410311"), 404),
        (bearer("clerk", "clerk-009", county="410302"), 200),  # the county's window
        (bearer("officer", "o-3", department="tax", county="410302"), 200),
        (bearer("admin", "admin-1"), 200),
    ],
)
def test_only_the_people_involved_can_read_a_case(client, headers, status):
    case_id = json.loads(submit(client, application()).body)["id"]
    response = client.http.get(f"/v1/applications/{case_id}", headers=headers)
    assert response.status_code == status, response.body
    if status >= 400:
        assert response.headers["Content-Type"] == "application/problem+json"


def test_an_applicant_cannot_apply_in_someone_elses_name(client):
    response = submit(client, application(), sub="410311200306159021")
    assert response.status_code == 403
    assert json.loads(response.body)["code"] == "applicant.not_self"


def test_wrong_role_is_forbidden(client):
    response = client.http.get("/v1/departments/hrss/tasks", headers=bearer())
    assert response.status_code == 403


def test_officer_of_another_department_cannot_decide(client, pump):
    case_id = json.loads(submit(client, application()).body)["id"]
    settle(pump, client, case_id)
    path = f"/v1/departments/hrss/tasks/{case_id}.pension_registration/decision"
    tax = bearer("officer", "o-4", department="tax", county="410302")
    assert post(client, path, {"approve": True}, tax).status_code == 403
    other_county = bearer("officer", "o-5", department="hrss", county="410311")
    assert post(client, path, {"approve": True}, other_county).status_code == 404
