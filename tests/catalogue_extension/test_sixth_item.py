"""A sixth item, registered in the catalogue by this directory's plugin and nowhere else, runs
a whole case through the real state machine on moto, shows in the case view, the contract and
the IAM policy."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.domain import catalogue
from infra import ids, policies
from infra.functions import functions
from tests.catalogue_extension.plugin import CODE, DEPARTMENT
from tests.conftest import bearer
from tests.functional.helpers import application, case, item, settle, submit

HOUSING = {"deposit_base": 3000}


def test_the_sixth_item_is_in_the_catalogue_after_the_plugin_ran() -> None:
    assert catalogue.codes()[-1] == CODE
    assert DEPARTMENT in catalogue.department_codes()


def test_a_case_with_the_sixth_item_is_fanned_out_handled_and_shown(
    client: Any, pump: Any, clock: Any
) -> None:
    body = application(
        items=["taxpayer_confirmation", CODE], pension=None, subsidy=None, housing_fund=HOUSING
    )
    response = submit(client, body)
    assert response.status_code == 202, response.body
    case_id = json.loads(response.body)["id"]

    view = settle(pump, client, case_id)

    assert view["status"] == "completed"
    assert [i["code"] for i in view["items"]] == [
        "license_verification",
        "taxpayer_confirmation",
        CODE,
    ]
    housing = item(view, CODE)
    assert housing["status"] == "completed"
    assert (housing["name"], housing["department"]) == ("住房公积金缴存登记", DEPARTMENT)
    assert housing["result"]["deposit_base"] == 3000
    assert housing["due_date"] == "2026-12-04"  # accepted Friday 2026-11-27, 5 working days
    officer = bearer("officer", "hf-1", department=DEPARTMENT, county="410302")
    seen = client.http.get(f"/v1/applications/{case_id}", headers=officer)
    assert seen.status_code == 200
    assert json.loads(seen.body)["applicant"]["masked"] == ["id_number", "phone"]
    assert case(client, case_id)["id"] == case_id


def test_the_form_asks_for_the_sixth_items_section_when_it_is_chosen(client: Any) -> None:
    body = application(items=[CODE], pension=None, subsidy=None)
    response = submit(client, body)
    assert response.status_code == 422
    errors = {(e["field"], e["code"]) for e in json.loads(response.body)["errors"]}
    assert ("housing_fund", "required") in errors
    low = application(items=[CODE], pension=None, subsidy=None, housing_fund={"deposit_base": 1})
    errors = {(e["field"], e["code"]) for e in json.loads(submit(client, low).body)["errors"]}
    assert ("housing_fund.deposit_base", "deposit_base.too_low") in errors


def test_the_contract_and_the_guide_list_the_sixth_item_and_its_department(client: Any) -> None:
    guide = json.loads(client.http.get("/v1/guide").body)
    assert guide["items"][-1]["code"] == CODE
    document = json.loads(client.http.get("/openapi.json").body)
    schemas = document["components"]["schemas"]
    assert CODE in schemas["ApplicationIn"]["properties"]["items"]["items"]["enum"]
    assert "housing_fund" in schemas["ApplicationIn"]["properties"]
    assert DEPARTMENT in schemas["ItemView"]["properties"]["department"]["enum"]


def test_the_sixth_items_handler_gets_its_queue_and_its_policy() -> None:
    found = {f.name: f for f in functions()}
    handler = found[CODE]
    assert handler.queue == "yjs-housing-fund-registration"
    statements = {s["Sid"]: s for s in policies.policy(handler)["Statement"]}
    queue = {"Fn::GetAtt": [ids.queue_id(handler.queue), "Arn"]}
    assert statements["ConsumeQueue"]["Resource"] == [queue]
    assert "AnswerTasks" in statements and "PersonalFields" in statements
