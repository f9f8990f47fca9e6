"""Building requests and driving cases through the workflow in functional tests."""

from __future__ import annotations

import copy
import json
from typing import Any

from chalice.test import Client

from chalicelib.api.schemas import APPLICATION_EXAMPLE
from devtools.pump import Pump
from tests.conftest import bearer

FINAL = {"completed", "partially_completed", "rejected"}
OPERATOR = "410302199001019018"  # operator of 洛阳市老城区示例小吃店 in the demo registry
HRSS_OFFICER = {"department": "hrss", "county": "410302"}


def application(**changes: Any) -> dict[str, Any]:
    """The documented example, with top-level sections replaced or removed (None)."""
    body = copy.deepcopy(APPLICATION_EXAMPLE)
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


# What a window case records besides the example's fields (附件3 四（二）3②): the signature
# (here the window's e-signature) and the applicant's answer on shared data.
WINDOW = {
    "signature": {"method": "e_signature", "reference": "ES-410302-20261127-0001"},
    "data_sharing": True,
}


def window_application(**changes: Any) -> dict[str, Any]:
    """The documented example as a window clerk submits it."""
    return application(**{**WINDOW, **changes})


def post(client: Client, path: str, body: Any, headers: dict[str, str]) -> Any:
    return client.http.post(
        path,
        headers={"Content-Type": "application/json", **headers},
        body=json.dumps(body, ensure_ascii=False),
    )


def submit(client: Client, body: dict[str, Any], sub: str = OPERATOR, **headers: str) -> Any:
    return post(client, "/v1/applications", body, {**bearer("applicant", sub), **headers})


def submitted(client: Client, **changes: Any) -> str:
    """The example form with ``changes``, submitted by the applicant: the new case's id."""
    response = submit(client, application(**changes))
    assert response.status_code == 202, response.body
    return str(json.loads(response.body)["id"])


def case(client: Client, case_id: str, sub: str = OPERATOR) -> dict[str, Any]:
    response = client.http.get(f"/v1/applications/{case_id}", headers=bearer("applicant", sub))
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def item(view: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in view["items"] if i["code"] == code)


def settle(
    pump: Pump, client: Client, case_id: str, sub: str = OPERATOR, idle_s: float = 0.005
) -> dict[str, Any]:
    """Pump until the case is final or waits for a person (an officer's review, or the
    take-over of an item the system gave up on); return the owner's view (``idle_s``: how long
    to wait for the workflow's next message before looking again)."""

    def quiet() -> bool:
        view = case(client, case_id, sub)
        waiting = any(i["status"] in ("in_review", "failed") for i in view["items"])
        return view["status"] in FINAL or waiting

    assert pump.run_until(quiet, idle_s=idle_s), "the case did not settle"
    return case(client, case_id, sub)


def decide(client: Client, case_id: str, approve: bool = True, reason: str | None = None) -> Any:
    body: dict[str, Any] = {"approve": approve}
    if reason is not None:
        body["reason"] = reason
    path = f"/v1/departments/hrss/tasks/{case_id}.pension_registration/decision"
    return post(client, path, body, bearer("officer", "officer-1", **HRSS_OFFICER))


def upload(
    client: Client,
    sub: str = OPERATOR,
    purpose: str = "claim_material",
    headers: dict[str, str] | None = None,
) -> str:
    """Ask for an upload as the applicant (or whoever ``headers`` authenticate, e.g. a window
    clerk), then put the file where the presigned form points (moto does not enforce
    presigned POST policies, so the object is written directly)."""
    import os

    import boto3

    body = {"purpose": purpose, "content_type": "application/pdf", "size": 1024}
    response = post(client, "/v1/uploads", body, headers or bearer("applicant", sub))
    assert response.status_code == 201, response.body
    key = json.loads(response.body)["key"]
    s3 = boto3.client("s3", region_name="cn-north-1")
    s3.put_object(Bucket=os.environ["UPLOADS_BUCKET"], Key=key, Body=b"%PDF-1.7 material")
    return str(key)
