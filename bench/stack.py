"""The local stack the tests get from their fixtures (tests/conftest.py), as a context
manager for the benchmarks: moto with the real Step Functions engine, every resource
provisioned, the app's test client, a labelled pump and a settable clock."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
from chalice.test import Client
from moto import mock_aws

from chalicelib import deps
from chalicelib.settings import ENV_DEPARTMENT_URLS
from devtools.departments import LOCAL_APP_ID, LOCAL_SECRET, DepartmentStandins
from devtools.moto_patches import dynamodb_semantics
from devtools.provision import Resources, provision
from devtools.sms_standin import StandIn, account_from
from tests.conftest import LOCAL_ENV, MOTO_CONFIG, PROJECT, Clock, RecordingNotifier
from tests.reliability.harness import Calls, LabelledPump

REGION = "cn-north-1"


@dataclass
class Stack:
    client: Client
    pump: LabelledPump
    calls: Calls
    clock: Clock
    svc: Any
    resources: Resources
    departments: DepartmentStandins


def _stop_executions(arn: str) -> None:
    sfn = boto3.client("stepfunctions", region_name=REGION)
    for page in sfn.get_paginator("list_executions").paginate(
        stateMachineArn=arn, statusFilter="RUNNING"
    ):
        for execution in page["executions"]:
            try:
                sfn.stop_execution(executionArn=execution["executionArn"])
            except Exception:  # noqa: S112 - moto cannot stop one that is still starting
                continue


@contextlib.contextmanager
def local_stack(moto_like_dynamodb: bool = True) -> Iterator[Stack]:
    """``moto_like_dynamodb``: scoped transaction rollback and serialised writes
    (devtools/moto_patches.py); without it moto copies the table per write."""
    saved = dict(os.environ)
    os.environ.update(
        {"AWS_DEFAULT_REGION": REGION, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "x"}
    )
    os.environ.update(LOCAL_ENV)
    os.environ.pop("AWS_ENDPOINT_URL", None)
    patched = dynamodb_semantics() if moto_like_dynamodb else contextlib.nullcontext()
    original_services = deps.services
    departments = DepartmentStandins(LOCAL_APP_ID, LOCAL_SECRET)
    try:
        with mock_aws(config=MOTO_CONFIG), patched, departments:
            resources = provision(boto3.session.Session(region_name=REGION))
            os.environ.update(resources.environment())
            os.environ.update({name: departments.url for name in ENV_DEPARTMENT_URLS.values()})
            standin = StandIn(account_from(dict(os.environ)))
            # The SMS provider's stand-in, no quiet hours nor per-phone limits: every SMS sends.
            os.environ.update({"SMS_QUIET_HOURS": "off", "SMS_RATE_LIMITS": "off"})
            os.environ["SMS_ENDPOINT"] = standin.start()
            deps.reset()
            import app

            clock = Clock("2026-11-27T10:00:00+08:00")
            base = deps.services()
            svc = dataclasses.replace(base, clock=clock, notifier=RecordingNotifier(base.notifier))
            deps.services = lambda: svc  # type: ignore[assignment]
            calls = Calls()
            calls.attach()
            sqs = boto3.client("sqs", region_name=REGION)
            pump = LabelledPump(app, sqs, resources.queue_urls, calls)
            with Client(app.app, stage_name="local", project_dir=PROJECT) as client:
                yield Stack(client, pump, calls, clock, svc, resources, departments)
            _stop_executions(resources.state_machine_arn)
            standin.stop()
    finally:
        deps.services = original_services  # type: ignore[assignment]
        deps.reset()
        os.environ.clear()
        os.environ.update(saved)
