"""Shared fixtures: moto for AWS (with the real Step Functions engine), the app's test client,
the SQS pump, and tokens for every kind of caller."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
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
        deps.reset()


@pytest.fixture
def client(aws: Resources) -> Iterator[Client]:
    import app

    with Client(app.app, stage_name="local", project_dir=PROJECT) as test_client:
        yield test_client


@pytest.fixture
def pump(aws: Resources) -> Pump:
    import app

    return Pump(app, deps.client("sqs"), aws.queue_urls)
