"""Shared fixtures: moto for AWS (with the real Step Functions engine), the app's test client,
the SQS pump, and tokens for every kind of caller."""

from __future__ import annotations

import dataclasses
import json
import os
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import boto3
import jwt
import pytest
from chalice.test import Client
from moto import mock_aws

from chalicelib import deps
from chalicelib.settings import ENV_DEPARTMENT_URLS
from devtools import gateway
from devtools.departments import LOCAL_APP_ID, LOCAL_SECRET, DepartmentStandins
from devtools.provision import Resources, provision
from devtools.pump import Pump

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(PROJECT, ".chalice", "config.json"), encoding="utf-8") as f:
    LOCAL_ENV = json.load(f)["stages"]["local"]["environment_variables"]
SECRET = LOCAL_ENV["AUTH_JWT_SECRET"]
gateway.install()  # the test client answers like the deployed API Gateway (see its docstring)
EXTENSION_PLUGIN = "tests.catalogue_extension.plugin"
pytest_plugins = ["tests.sms_fixtures"]  # the SMS provider's stand-in (fixture ``standin``)


def pytest_ignore_collect(collection_path: Any, config: Any) -> bool | None:
    """tests/catalogue_extension runs only with its plugin loaded first (a sixth item added to
    the catalogue), in a process of its own (tests/functional/test_catalogue_extension.py)."""
    if collection_path.name == "catalogue_extension":
        return not config.pluginmanager.has_plugin(EXTENSION_PLUGIN)
    return None


MOTO_CONFIG: Any = {
    "stepfunctions": {"execute_state_machine": True},
    "lambda": {"use_docker": False},
}


def token(role: str = "applicant", sub: str = "410302199001019018", **claims: Any) -> str:
    body = {
        "sub": sub,
        "role": role,
        "exp": int(time.time()) + 3600,
        "iss": LOCAL_ENV["AUTH_ISSUER"],
        "aud": LOCAL_ENV["AUTH_AUDIENCE"],
        **claims,
    }
    return jwt.encode(body, SECRET, algorithm="HS256")


def bearer(
    role: str = "applicant", sub: str = "410302199001019018", **claims: Any
) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, sub, **claims)}"}


BASE_ENV = {
    "AWS_DEFAULT_REGION": "cn-north-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    **LOCAL_ENV,
    # A department's system that does not answer: its item's task comes back at once (the
    # pump drives it), and a slow one is given up on after a second.
    "CONNECTOR_RETRY_BASE_SECONDS": "0",
    "CONNECTOR_READ_TIMEOUT_SECONDS": "1",
    "CONNECTOR_MAX_ATTEMPTS": "4",  # then the item fails to a person (tests raise it if needed)
}
SLOW_S = 1.5  # the stand-ins' slow answers: later than the read timeout above


def set_department_mode(department: str, mode: str) -> None:
    """Switch a department's stand-in the way ``make department`` does (its control plane)."""
    url = f"{os.environ[ENV_DEPARTMENT_URLS[department]]}/_standin/modes/{department}"
    request = urllib.request.Request(url, data=json.dumps({"mode": mode}).encode(), method="PUT")
    urllib.request.urlopen(request, timeout=5).close()


@pytest.fixture(scope="session")
def _standins() -> Iterator[DepartmentStandins]:
    """The departments' systems, stood in for on loopback: the real adapter calls them over
    real HTTP with signed requests (devtools/departments.py says what they check)."""
    with DepartmentStandins(LOCAL_APP_ID, LOCAL_SECRET, slow_s=SLOW_S) as standins:
        yield standins


@pytest.fixture
def departments(_standins: DepartmentStandins) -> Iterator[DepartmentStandins]:
    """The stand-ins, fresh: the demo registry, nothing registered, every department
    answering normally."""
    _standins.reset()
    yield _standins
    _standins.reset()


@pytest.fixture(scope="session")
def _local_aws() -> Iterator[Resources]:
    """One moto per test process: resources are provisioned once (CreateStateMachine alone
    takes a noticeable time) and each test starts from an empty table and queues."""
    saved = {name: os.environ.get(name) for name in [*BASE_ENV, "AWS_ENDPOINT_URL"]}
    os.environ.update(BASE_ENV)
    os.environ.pop("AWS_ENDPOINT_URL", None)
    with mock_aws(config=MOTO_CONFIG):
        yield provision(boto3.session.Session(region_name="cn-north-1"))
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def aws(
    _local_aws: Resources, departments: DepartmentStandins, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Resources]:
    urls = {name: departments.url for name in ENV_DEPARTMENT_URLS.values()}
    for name, value in {**BASE_ENV, **_local_aws.environment(), **urls}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    # Each test purges the queues it inherits (below): moto's one-purge-a-minute rule, AWS's,
    # would refuse that between two quick tests.
    monkeypatch.setenv("MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR", "false")
    _empty(_local_aws)
    deps.reset()
    yield _local_aws
    _stop_executions(_local_aws.state_machine_arn)
    deps.reset()


def _stop_executions(state_machine_arn: str) -> None:
    """Executions still waiting (a pension nobody decided) must not reach the next test."""
    sfn = boto3.client("stepfunctions", region_name="cn-north-1")
    running = sfn.list_executions(stateMachineArn=state_machine_arn, statusFilter="RUNNING")
    for execution in running["executions"]:
        try:
            sfn.stop_execution(executionArn=execution["executionArn"])
        except Exception:  # noqa: S112 - moto cannot stop one that is still starting
            continue


def _empty(resources: Resources) -> None:
    """Forget the previous test's rows and messages (a test-only Scan: never on a real path)."""
    session = boto3.session.Session(region_name="cn-north-1")
    dynamodb, sqs = session.client("dynamodb"), session.client("sqs")
    pages = dynamodb.get_paginator("scan").paginate(
        TableName=resources.table_name, ProjectionExpression="PK, SK"
    )
    keys = [item for page in pages for item in page["Items"]]
    for start in range(0, len(keys), 25):
        batch = [{"DeleteRequest": {"Key": key}} for key in keys[start : start + 25]]
        dynamodb.batch_write_item(RequestItems={resources.table_name: batch})
    # Purged, not received and deleted: a message in flight or delayed (an SMS held for its
    # phone's limit) cannot be received now and would reach the next test.
    for url in resources.queue_urls.values():
        sqs.purge_queue(QueueUrl=url)


@pytest.fixture
def client(aws: Resources) -> Iterator[Client]:
    import app

    with Client(app.app, stage_name="local", project_dir=PROJECT) as test_client:
        yield test_client


@pytest.fixture
def pump(aws: Resources) -> Pump:
    import app

    return Pump(app, deps.client("sqs"), aws.queue_urls)


class Clock:
    """The service's clock, set by the test (Luoyang time unless an offset is given)."""

    def __init__(self, start: str) -> None:
        self.now = datetime.fromisoformat(start)

    def set(self, value: str) -> None:
        self.now = datetime.fromisoformat(value)

    def __call__(self) -> datetime:
        return self.now


class RecordingNotifier:
    """Delivers through the real SNS adapter (moto) and remembers what it was asked to send."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.sent: list[tuple[str, str, dict[str, Any]]] = []

    def send(self, audience: str, kind: str, payload: dict[str, Any]) -> None:
        self.sent.append((audience, kind, payload))
        self.inner.send(audience, kind, payload)


@pytest.fixture
def clock(aws: Resources, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Freeze the service's clock (default: 2026-11-27 10:00 in Luoyang) and record
    notifications: ``deps.services()`` returns the same services with these two swapped."""
    fixed = Clock("2026-11-27T10:00:00+08:00")
    base = deps.services()
    notifier = RecordingNotifier(base.notifier)
    svc = dataclasses.replace(base, clock=fixed, notifier=notifier)
    monkeypatch.setattr(deps, "services", lambda: svc)
    fixed.notifier = notifier  # type: ignore[attr-defined]
    return fixed
