"""A window case records who acted for the applicant (受委托人), the signature (附件2: 申请人或
受委托人签名; 附件3 四（二）3②: 由申请人签字确认) and the applicant's answer on shared data;
the agent's personal data is sealed at rest and masked for readers who do not need it, like
the applicant's (docs/domain.md §10)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from devtools.provision import Resources
from tests.conftest import bearer
from tests.functional.helpers import OPERATOR, application, post, settle, submit, upload

COUNTY = "410302"
CLERK = bearer("clerk", "clerk-1", county=COUNTY)
AGENT_ID = "410302198505050022"
AGENT = {
    "name": "李四",
    "id_type": "resident_id_card",
    "id_number": AGENT_ID,
    "relationship": "配偶",
}


def _window_case(client: Any) -> dict[str, Any]:
    authorisation = upload(client, purpose="authorisation", headers=CLERK)
    signed = upload(client, purpose="signed_form", headers=CLERK)
    return application(
        agent=AGENT,
        signature={"signer": "agent", "method": "signed_form"},
        data_sharing=True,
        attachments=[
            {"purpose": "authorisation", "key": authorisation},
            {"purpose": "signed_form", "key": signed},
        ],
    )


def _read(client: Any, case_id: str, headers: dict[str, str]) -> dict[str, Any]:
    response = client.http.get(f"/v1/applications/{case_id}", headers=headers)
    assert response.status_code == 200, response.body
    return dict(json.loads(response.body))


@pytest.fixture
def case_id(client, pump, clock) -> str:
    response = post(client, "/v1/applications", _window_case(client), CLERK)
    assert response.status_code == 202, response.body
    found = str(json.loads(response.body)["id"])
    settle(pump, client, found)
    return found


def test_the_window_case_keeps_the_agent_the_signature_and_the_answer_on_shared_data(
    client, case_id
):
    view = _read(client, case_id, bearer("applicant", OPERATOR))  # the owner: all in clear
    assert view["channel"] == "window"
    assert view["agent"] == {**AGENT, "masked": []}
    assert view["signature"] == {"signer": "agent", "method": "signed_form", "reference": None}
    assert view["data_sharing"] is True


@pytest.mark.parametrize(
    ("reader", "name", "id_number", "masked"),
    [
        (CLERK, "李四", "4103**********0022", ["id_number"]),
        (
            bearer("officer", "amr-1", department="market_regulation", county=COUNTY),
            "李四",
            "4103**********0022",
            ["id_number"],
        ),
        (bearer("admin", "ops-1"), "李*", "4103**********0022", ["id_number", "name"]),
    ],
    ids=["clerk", "market-officer", "admin"],
)
def test_the_agent_is_masked_for_readers_who_do_not_need_it(
    client, case_id, reader, name, id_number, masked
):
    agent = _read(client, case_id, reader)["agent"]
    assert (agent["name"], agent["id_number"], agent["masked"]) == (name, id_number, masked)


def test_the_agents_id_number_is_sealed_at_rest(client, case_id, aws: Resources):
    ddb = boto3.client("dynamodb", region_name="cn-north-1")
    pages = ddb.get_paginator("scan").paginate(TableName=aws.table_name)
    stored = json.dumps([i for page in pages for i in page["Items"]], ensure_ascii=False)
    assert "李四" in stored  # the name is kept in clear, like the applicant's
    assert AGENT_ID not in stored


def test_a_window_case_without_signature_or_answer_on_shared_data_is_refused_at_once(client):
    body = application(agent=AGENT)
    response = post(client, "/v1/applications", body, CLERK)
    assert response.status_code == 422, response.body
    errors = {(e["field"], e["code"]) for e in json.loads(response.body)["errors"]}
    assert errors == {
        ("signature", "signature.required"),
        ("data_sharing", "data_sharing.required"),
        ("attachments", "agent.authorisation_required"),
    }


def test_online_nobody_acts_for_the_applicant(client):
    response = submit(client, application(agent=AGENT))
    assert response.status_code == 422, response.body
    errors = {(e["field"], e["code"]) for e in json.loads(response.body)["errors"]}
    assert ("agent", "agent.window_only") in errors
