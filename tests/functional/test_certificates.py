"""我的证照 (附件3 四（四）2: "查询营业执照、就业创业证、灵活就业养老保险等信息"): the verified
business licence is there, a 就业创业证 the person already holds is given back rather than
issued again, and each certificate is one entry however many cases show it. The tax item's
notice tells the applicant what comes next, in the plan's words (附件4 七.2)."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from devtools.departments import DepartmentStandins
from devtools.pump import Pump
from tests.conftest import bearer
from tests.functional.helpers import application, item, settle, submit
from tests.functional.jobs import notifications

USCC = "92410302MA47K2NQ4D"  # the demo registry's 洛阳市老城区示例小吃店, registered 2025-10-15
ONLY = {"pension": None, "subsidy": None}


def _finished(client: Client, pump: Pump, items: list[str]) -> tuple[str, dict[str, Any]]:
    response = submit(client, application(items=items, **ONLY))
    assert response.status_code == 202, response.body
    case_id = str(json.loads(response.body)["id"])
    view = settle(pump, client, case_id)
    assert view["status"] == "completed", view
    return case_id, view


def _certificates(client: Client) -> list[dict[str, Any]]:
    response = client.http.get("/v1/me/certificates", headers=bearer())
    assert response.status_code == 200, response.body
    return list(json.loads(response.body)["certificates"])


def test_the_verified_business_licence_is_in_my_certificates_once(client, pump, departments):
    first, _ = _finished(client, pump, ["license_verification"])

    [licence] = _certificates(client)
    assert licence == {
        "number": USCC,
        "type": "business_licence",
        "issued_on": "2025-10-15",
        "application_id": first,
        "name": "洛阳市老城区示例小吃店",
        "uscc": USCC,
        "registered_on": "2025-10-15",
    }

    # A later case verifies the same licence: still one entry, the first case's.
    _finished(client, pump, ["license_verification", "taxpayer_confirmation"])
    assert [c for c in _certificates(client) if c["type"] == "business_licence"] == [licence]


def test_someone_who_already_holds_an_employment_certificate_gets_its_number_back(
    client, pump, departments: DepartmentStandins
):
    first, view = _finished(client, pump, ["employment_certificate"])
    number = item(view, "employment_certificate")["result"]["certificate_number"]

    second, view = _finished(client, pump, ["employment_certificate", "taxpayer_confirmation"])

    held = item(view, "employment_certificate")
    assert held["status"] == "completed"
    assert held["result"]["certificate_number"] == number
    assert held["result"]["already_held"] is True
    done = [h for h in view["history"] if h["item"] == "employment_certificate"][-1]
    assert done["type"] == "completed" and "已持有" in done["detail"]
    told = [n["text"] for n in notifications(client, bearer()) if n["application_id"] == second]
    assert any("就业创业证申领" in text and "已持有" in text for text in told)
    assert len(departments.registrations("employment.register")) == 1  # issued once, ever
    employment = [c for c in _certificates(client) if c["type"] == "employment_certificate"]
    assert [(c["number"], c["application_id"]) for c in employment] == [(number, first)]


def test_the_tax_completion_notice_says_what_to_do_next_at_the_tax_office(client, pump):
    case_id, _ = _finished(client, pump, ["taxpayer_confirmation"])

    told = [n["text"] for n in notifications(client, bearer()) if n["application_id"] == case_id]
    [tax] = [text for text in told if text.startswith("纳税人信息确认：")]
    assert "信息确认后纳税人及时到税务机关办理后续相关涉税业务" in tax
