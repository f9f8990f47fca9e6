"""Shared fixtures: moto for AWS (with the real Step Functions engine), the app's test client,
the SQS pump, and tokens for every kind of caller."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import boto3
import jwt
import pytest
from chalice.test import Client
from moto import mock_aws

from chalicelib import deps
from devtools.provision import Resources, provision
from devtools.pump import Pump

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(PROJECT, ".chalice", "config.json"), encoding="utf-8") as f:
    LOCAL_ENV = json.load(f)["stages"]["local"]["environment_variables"]
SECRET = LOCAL_ENV["AUTH_JWT_SECRET"]
MOTO_CONFIG: Any = {
    "stepfunctions": {"execute_state_machine": True},
    "lambda": {"use_docker": False},
}


def token(role: str = "applicant", sub: str = "410302199001019018", **claims: Any) -> str:
    body = {"sub": sub, "role": role, "exp": int(time.time()) + 3600, **claims}
    return jwt.encode(body, SECRET, algorithm="HS256")


def bearer(
    role: str = "applicant", sub: str = "410302199001019018", **claims: Any
) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, sub, **claims)}"}


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Resources]:
    for name, value in {
        "AWS_DEFAULT_REGION": "cn-north-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        **LOCAL_ENV,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws(config=MOTO_CONFIG):
        resources = provision(boto3.session.Session(region_name="cn-north-1"))
        for name, value in resources.environment().items():
            monkeypatch.setenv(name, value)
        deps.reset()
        yield resources
        _stop_executions(resources.state_machine_arn)
        deps.reset()


def _stop_executions(state_machine_arn: str) -> None:
    """Executions still waiting (a pension nobody decided) would outlive the test's mock."""
    sfn = boto3.client("stepfunctions", region_name="cn-north-1")
    running = sfn.list_executions(stateMachineArn=state_machine_arn, statusFilter="RUNNING")
    for execution in running["executions"]:
        sfn.stop_execution(executionArn=execution["executionArn"])


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
