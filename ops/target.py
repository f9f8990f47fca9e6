"""Where the tool points: the local service of ``make run`` (``--local``), or a deployed stack
(``--stack NAME --region …``), each as the API, an admin token and the AWS resources."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ops.api import Api

PROJECT = Path(__file__).resolve().parent.parent
# The name of the variable holding the token, not a token.
TOKEN_ENV = "OPS_TOKEN"  # noqa: S105  # nosec B105


class TargetError(Exception):
    """The target cannot be reached or is not described well enough to use."""


@dataclass(frozen=True)
class Target:
    label: str
    api: Api
    session: Any  # boto3.session.Session
    queue_urls: dict[str, str]  # queue name -> URL, the dead-letter queue included
    state_machine_arn: str
    endpoint_url: str | None = None  # the local AWS; None for AWS itself

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.endpoint_url)


def local_record(port: int) -> dict[str, Any]:
    """What ``make run`` on that port wrote about itself (devtools.server.record_endpoint)."""
    path = PROJECT / "build" / "local" / f"{port}.json"
    try:
        record: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise TargetError(
            f"no local service on port {port}: {path} is missing (is `make run PORT={port}` up?)"
        ) from exc
    if not _alive(int(record.get("pid", 0))):
        raise TargetError(f"{path} is stale: the `make run` that wrote it has stopped")
    return record


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def local(port: int) -> Target:
    import boto3

    record = local_record(port)
    session = boto3.session.Session(
        # moto accepts any credentials: these are no secret.
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106  # nosec B106
        region_name=record["region"],
    )
    api = Api(record["api_url"], _local_token)
    return Target(
        label=f"local :{port}",
        api=api,
        session=session,
        queue_urls=dict(record["queue_urls"]),
        state_machine_arn=record["state_machine_arn"],
        endpoint_url=record["aws_endpoint"],
    )


def _local_token() -> str:
    from devtools.token import mint  # the local stage's own secret; local only

    return mint("admin", "ops-cli", hours=1)


def token_reader(token_file: Path | None) -> Callable[[], str]:
    """A deployed stack's admin token: ``OPS_TOKEN`` or ``--token-file``, never an argument
    (arguments land in shell history and in ``ps``)."""

    def read() -> str:
        if token_file is not None:
            text = token_file.read_text("utf-8").strip()
        else:
            text = os.environ.get(TOKEN_ENV, "").strip()
        if not text:
            raise TargetError(f"no admin token: set {TOKEN_ENV} or pass --token-file FILE")
        return text

    return read


def stack(name: str, region: str, profile: str | None, token_file: Path | None) -> Target:
    """Find the API and the resources through the stack's outputs and resources; credentials
    come from the usual AWS chain (environment, profile, instance role)."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    session = boto3.session.Session(profile_name=profile, region_name=region)
    cloudformation = session.client("cloudformation")
    try:
        described = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
        pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=name)
        resources = [r for page in pages for r in page["StackResourceSummaries"]]
    except (BotoCoreError, ClientError) as exc:
        raise TargetError(f"stack {name} in {region}: {exc}") from exc
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    if "EndpointURL" not in outputs:
        raise TargetError(f"stack {name} has no EndpointURL output")
    queues = [r["PhysicalResourceId"] for r in resources if r["ResourceType"] == "AWS::SQS::Queue"]
    machine = outputs.get("StateMachineArn") or next(
        (
            r["PhysicalResourceId"]
            for r in resources
            if r["ResourceType"] == "AWS::StepFunctions::StateMachine"
        ),
        "",
    )
    return Target(
        label=f"{name} ({region})",
        api=Api(outputs["EndpointURL"], token_reader(token_file)),
        session=session,
        queue_urls={url.rsplit("/", 1)[-1]: url for url in queues},
        state_machine_arn=machine,
    )
