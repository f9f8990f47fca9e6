"""The generated policies are enough: a whole case runs on moto (submission, every item's
handler, the officer's decision, the outcome, every scheduled job, a dead letter) while each
AWS call is recorded with the function that made it, and each must be allowed by that
function's own policy. A use case that starts calling something new fails here until
``infra/policies.py`` grants it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.client import BaseClient
from chalice.test import Client

from chalicelib import deps
from devtools.provision import Resources
from devtools.pump import Pump
from infra import policies
from infra.functions import API_HANDLER, Function
from tests.conftest import bearer
from tests.functional.helpers import FINAL, HRSS_OFFICER, application, decide, settle, submit
from tests.infra.calls import ACTING, Call, allowed, as_function, permissions
from tests.reliability.harness import forget_data_keys

# Every job's rows are due by then, and it is November: the calendar check tells the admins
# that 2029's holidays are missing.
LATER = "2028-11-02T01:00:00Z"


@pytest.fixture
def recorded(
    aws: Resources, app_functions: tuple[Function, ...], monkeypatch: pytest.MonkeyPatch
) -> list[Call]:
    """Every AWS call made while a function runs: the API through the Chalice app object,
    the others through the module attributes the pump and the schedules call."""
    import app

    calls: list[Call] = []
    make_api_call = BaseClient._make_api_call

    def record(client: Any, operation: str, params: dict[str, Any]) -> Any:
        function = ACTING.get()
        if function is not None:
            prefix = client.meta.service_model.endpoint_prefix
            calls.append(Call(function, prefix, operation, params))
        return make_api_call(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", record)
    chalice = type(app.app)
    api = as_function(API_HANDLER, _cold_keys(chalice.__call__))
    monkeypatch.setattr(chalice, "__call__", api)
    for function in app_functions:
        if function.name != API_HANDLER:
            handler = as_function(function.name, _cold_keys(getattr(app, function.name)))
            monkeypatch.setattr(app, function.name, handler)
    return calls


def _cold_keys(handler: Any) -> Any:
    """Each function runs in its own processes in AWS: none shares the data keys another one
    cached, so every invocation here starts without them and makes its own KMS calls."""

    def run(*args: Any, **kwargs: Any) -> Any:
        forget_data_keys()
        return handler(*args, **kwargs)

    return run


def _schedule_event() -> dict[str, Any]:
    return {
        "version": "0",
        "id": "coverage",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": LATER,
        "region": "cn-north-1",
        "resources": [],
        "detail": {},
    }


def _dead_letter() -> dict[str, Any]:
    body = {"case_id": "NOPE", "item": "taxpayer_confirmation", "task_token": "expired"}
    record = {"messageId": "dl-1", "receiptHandle": "rh", "body": json.dumps(body)}
    return {"Records": [{**record, "attributes": {}, "eventSource": "aws:sqs"}]}


def _run_a_whole_case(client: Client, aws: Resources, app_functions: tuple[Function, ...]) -> None:
    import app

    pump = Pump(app, deps.client("sqs"), aws.queue_urls)  # routes to the recording handlers
    reply = submit(client, application(), **{"Idempotency-Key": "policy-coverage"})
    assert reply.status_code == 202, reply.body
    case_id = json.loads(reply.body)["id"]
    settle(pump, client, case_id)
    officer = bearer("officer", "o-1", **HRSS_OFFICER)
    client.http.get("/v1/departments/hrss/tasks?status=pending", headers=officer)
    client.http.get("/v1/me/applications", headers=bearer())
    assert decide(client, case_id).status_code == 200
    assert settle(pump, client, case_id)["status"] in FINAL
    client.http.get(f"/v1/applications/{case_id}/archive", headers=officer)
    for function in app_functions:
        if function.scheduled:
            getattr(app, function.name)(_schedule_event(), None)
    app.dead_letters(_dead_letter(), None)


def test_each_functions_policy_allows_every_call_it_makes_in_a_whole_case(
    aws: Resources,
    client: Client,
    app_functions: tuple[Function, ...],
    recorded: list[Call],
) -> None:
    _run_a_whole_case(client, aws, app_functions)
    by_name = {f.name: f for f in app_functions}
    denied = {
        (call.function, action, resource)
        for call in recorded
        for action, resource in permissions(call, aws)
        if not allowed(policies.policy(by_name[call.function]), action, resource)
    }
    assert denied == set()
    # Every function that calls AWS took part, so every policy was put to the test; the token
    # authorizer calls nothing, and its policy grants nothing but its own logs.
    callers = {f.name for f in app_functions if not f.authorizer}
    assert {call.function for call in recorded} == callers
    for function in app_functions:
        if function.authorizer:
            granted = {
                action
                for statement in policies.policy(function)["Statement"]
                for action in statement["Action"]
            }
            # its logs, and the key that encrypts its environment
            assert granted <= {"logs:CreateLogStream", "logs:PutLogEvents", "kms:Decrypt"}, granted
    # Cold, each function asked KMS for what it seals or opens (none shares another's cache).
    kms = {(call.function, call.operation) for call in recorded if call.service == "kms"}
    assert {("api_handler", "GenerateDataKey"), ("license_verification", "Decrypt")} <= kms
