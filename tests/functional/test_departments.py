"""What the departments' systems answer becomes the items' results: their numbers, their
refusals with their reasons; a stage without a system's configuration never answers for it;
a person takes a failed item over by hand; operators see each system's health."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from chalicelib import deps
from chalicelib.settings import ENV_DEPARTMENT_URLS
from tests.conftest import bearer
from tests.functional.helpers import (
    application,
    case,
    decide,
    item,
    post,
    settle,
    submit,
    submitted,
)

TAX_OFFICER = bearer("officer", "t-1", department="tax", county="410302")
HRSS_OFFICER = bearer("officer", "h-1", department="hrss", county="410302")
ADMIN = bearer("admin", "ops-1")
ONLY = {"pension": None, "subsidy": None}


def _failed_task(client: Any, pump: Any, department: str, headers: dict[str, str]) -> str:
    path = f"/v1/departments/{department}/tasks?status=failed"

    def listed() -> bool:
        return bool(json.loads(client.http.get(path, headers=headers).body)["tasks"])

    assert pump.run_until(listed)
    return str(json.loads(client.http.get(path, headers=headers).body)["tasks"][0]["id"])


def test_the_numbers_are_the_departments_own(client, pump, clock, departments):
    case_id = submitted(client, items=["taxpayer_confirmation", "employment_certificate"], **ONLY)
    view = settle(pump, client, case_id)
    assert view["status"] == "completed"
    tax = item(view, "taxpayer_confirmation")["result"]
    assert (tax["taxpayer_id"], tax["tax_office"]) == (
        "92410302MA47K2NQ4D",
        "国家税务总局洛阳市税务局",
    )
    [registered] = departments.registrations("employment.register")
    number = item(view, "employment_certificate")["result"]["certificate_number"]
    assert number == registered.response["certificate_number"] and case_id not in number


def test_a_departments_refusal_refuses_the_item_with_its_reason(client, pump, clock, departments):
    departments.set_mode("tax", "refuse")
    case_id = submitted(client, items=["taxpayer_confirmation", "employment_certificate"], **ONLY)
    view = settle(pump, client, case_id)
    assert view["status"] == "partially_completed"
    refused = item(view, "taxpayer_confirmation")
    assert refused["status"] == "refused"
    assert refused["result"]["reason_code"] == "taxpayer.abnormal"
    assert re.search(r"[\u4e00-\u9fff]", refused["result"]["reason"])
    assert item(view, "employment_certificate")["status"] == "completed"


def test_a_registry_that_will_not_answer_refuses_the_licence(client, pump, clock, departments):
    departments.set_mode("market_regulation", "refuse")
    view = settle(pump, client, submitted(client, items=["taxpayer_confirmation"], **ONLY))
    assert view["status"] == "rejected"
    assert item(view, "license_verification")["result"]["reason_code"] == "licence.restricted"


@pytest.fixture
def no_tax_url(aws: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DEPARTMENT_URLS["tax"])
    deps.reset()


def test_a_stage_without_the_systems_url_never_answers_for_it(no_tax_url, client, pump, clock):
    case_id = submitted(client, items=["taxpayer_confirmation"], **ONLY)
    task = _failed_task(client, pump, "tax", TAX_OFFICER)
    view = case(client, case_id)
    assert item(view, "taxpayer_confirmation")["status"] == "failed"
    assert "对接尚未配置" in " ".join(h["detail"] for h in view["history"])
    assert task == f"{case_id}.taxpayer_confirmation"
    health = json.loads(client.http.get("/v1/admin/connectors", headers=ADMIN).body)
    tax = next(c for c in health["connectors"] if c["name"] == "tax")
    assert (tax["configured"], tax["last_failure_class"]) == (False, "not_configured")


def test_an_officer_decides_a_failed_item_by_hand_with_the_departments_number(
    client, pump, clock, departments
):
    departments.set_mode("hrss", "down")
    case_id = submitted(client, items=["employment_certificate"], **ONLY)
    task = _failed_task(client, pump, "hrss", HRSS_OFFICER)
    path = f"/v1/departments/hrss/tasks/{task}/decision"
    missing = post(client, path, {"approve": True, "reason": "系统故障，线下办理"}, HRSS_OFFICER)
    assert missing.status_code == 422
    assert json.loads(missing.body)["errors"][0]["field"] == "result.certificate_number"
    body = {
        "approve": True,
        "reason": "系统故障，线下办理",
        "result": {"certificate_number": "JY4103022026AB12CD34"},
    }
    decided = post(client, path, body, HRSS_OFFICER)
    assert decided.status_code == 200, decided.body
    view = settle(pump, client, case_id)
    assert view["status"] == "completed"
    done = next(
        h
        for h in view["history"]
        if h["item"] == "employment_certificate" and h["type"] == "completed"
    )
    assert done["actor"] == "officer" and "线下办理" in done["detail"]
    certificates = json.loads(client.http.get("/v1/me/certificates", headers=bearer()).body)
    assert [c["number"] for c in certificates["certificates"]] == [
        "JY4103022026AB12CD34",
        "92410302MA47K2NQ4D",  # the verified licence
    ]


def test_operators_see_the_systems_health_and_retry_what_failed(client, pump, clock, departments):
    departments.set_mode("tax", "down")
    case_id = submitted(client, items=["taxpayer_confirmation"], **ONLY)
    _failed_task(client, pump, "tax", TAX_OFFICER)
    health = json.loads(client.http.get("/v1/admin/connectors", headers=ADMIN).body)
    by_name = {c["name"]: c for c in health["connectors"]}
    assert set(by_name) == {
        "market_regulation",
        "tax",
        "hrss_employment",
        "hrss_social_insurance",
        "hrss_finance",
    }
    assert by_name["tax"]["last_failure_class"] == "unavailable"
    assert by_name["tax"]["failures_last_hour"] == 4 and by_name["tax"]["configured"]
    assert by_name["market_regulation"]["last_success_at"]
    dead = json.loads(client.http.get("/v1/admin/dead-letters", headers=ADMIN).body)["items"]
    assert [(d["task_id"], d["reason_class"]) for d in dead] == [
        (f"{case_id}.taxpayer_confirmation", "unavailable")
    ]
    assert "410302199001019018" not in json.dumps(dead)
    departments.set_mode("tax", "ok")
    path = f"/v1/admin/dead-letters/{dead[0]['task_id']}/retry"
    assert post(client, path, {"reason": "税务系统已恢复"}, ADMIN).status_code == 202
    assert post(client, path, {"reason": "再来一次"}, ADMIN).status_code == 409
    assert settle(pump, client, case_id)["status"] == "completed"
    assert json.loads(client.http.get("/v1/admin/dead-letters", headers=ADMIN).body)["items"] == []


def test_an_approval_the_department_refuses_refuses_the_item(client, pump, clock, departments):
    case_id = json.loads(
        submit(client, application(subsidy=None, items=["pension_registration"])).body
    )["id"]
    settle(pump, client, case_id)
    departments.set_mode("hrss", "refuse")
    assert decide(client, case_id).status_code == 200
    view = settle(pump, client, case_id)
    pension = item(view, "pension_registration")
    assert pension["status"] == "refused"
    assert pension["result"]["reason_code"] == "pension.already_insured"
    assert view["status"] == "partially_completed"
