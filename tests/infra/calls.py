"""Recording the AWS calls each function makes, and asking whether its generated policy
allows them: every call becomes (IAM action, resource), with resources named the way the
policies name them (``Table/index/GSI1``, ``UploadsBucket/uploads/...``, ``*``)."""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from chalicelib.sms_queue import SMS_QUEUE
from devtools.provision import Resources
from infra import ids
from tests.infra.helpers import as_list

ACTING: contextvars.ContextVar[str | None] = contextvars.ContextVar("acting", default=None)
_TRANSACT = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
_S3 = {"HeadObject": "GetObject", "ListObjectVersions": "ListBucketVersions"}
_S3 |= {"ListObjectsV2": "ListBucket", "ListObjects": "ListBucket"}


@dataclass(frozen=True)
class Call:
    function: str
    service: str  # the IAM prefix: dynamodb, states, sns, s3, ...
    operation: str
    params: dict[str, Any]


@contextmanager
def acting(function: str) -> Iterator[None]:
    token = ACTING.set(function)
    try:
        yield
    finally:
        ACTING.reset(token)


def as_function(name: str, handler: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        with acting(name):
            return handler(*args, **kwargs)

    return run


def _dynamodb(call: Call, local: Resources) -> list[tuple[str, str]]:
    if call.operation == "TransactWriteItems":
        kinds = [next(iter(item)) for item in call.params["TransactItems"]]
        return [(f"dynamodb:{_TRANSACT[kind]}", ids.TABLE) for kind in kinds]
    index = call.params.get("IndexName")
    resource = f"{ids.TABLE}/index/{index}" if index else ids.TABLE
    assert call.params.get("TableName") in (None, local.table_name), call
    return [(f"dynamodb:{call.operation}", resource)]


def _states(call: Call, local: Resources) -> list[tuple[str, str]]:
    if "stateMachineArn" in call.params:
        assert call.params["stateMachineArn"] == local.state_machine_arn
        return [(f"states:{call.operation}", ids.STATE_MACHINE)]
    if "executionArn" in call.params:
        name = call.params["executionArn"].rpartition(":")[2]
        return [(f"states:{call.operation}", f"execution:{ids.STATE_MACHINE}:{name}")]
    return [(f"states:{call.operation}", "*")]  # task tokens name no resource


def _s3(call: Call, local: Resources) -> list[tuple[str, str]]:
    assert call.params["Bucket"] == local.uploads_bucket, call
    action = "s3:" + _S3.get(call.operation, call.operation)
    key = call.params.get("Key")
    return [(action, f"{ids.BUCKET}/{key}" if key else ids.BUCKET)]


def _kms(call: Call, local: Resources) -> list[tuple[str, str]]:
    assert call.params.get("KeyId") == local.field_key_id, call
    return [(f"kms:{call.operation}", ids.FIELD_KEY)]


def _secretsmanager(call: Call, local: Resources) -> list[tuple[str, str]]:
    assert call.params["SecretId"] == local.gateway_secret, call
    # The policy names the secret by its name parameter and the ARN's random suffix.
    return [(f"secretsmanager:{call.operation}", f"secret:${{{ids.GATEWAY_SECRET_NAME}}}-abcdef")]


def _sqs(call: Call, local: Resources) -> list[tuple[str, str]]:
    name = call.params.get("QueueName") or str(call.params["QueueUrl"]).rsplit("/", 1)[-1]
    return [(f"sqs:{call.operation}", ids.queue_id(name))]


def permissions(call: Call, local: Resources) -> list[tuple[str, str]]:
    """What IAM checks for the call: (action, resource) pairs."""
    if call.service == "dynamodb":
        return _dynamodb(call, local)
    if call.service == "states":
        return _states(call, local)
    if call.service == "s3":
        return _s3(call, local)
    if call.service == "kms":
        return _kms(call, local)
    if call.service == "sns":
        assert call.params["TopicArn"] == local.topic_arn
        return [("sns:Publish", ids.TOPIC)]
    if call.service == "sqs" and call.operation == "ChangeMessageVisibility":
        return _sms_channel(call, local)
    if call.service == "secretsmanager" and call.params["SecretId"] == local.sms_secret_name:
        return _sms_channel(call, local)
    if call.service == "secretsmanager":
        return _secretsmanager(call, local)
    if call.service == "sqs":
        return _sqs(call, local)
    return [(f"{call.service}:{call.operation}", "unknown")]


def _sms_channel(call: Call, local: Resources) -> list[tuple[str, str]]:
    if call.service == "secretsmanager":
        assert call.params["SecretId"] == local.sms_secret_name
        return [("secretsmanager:GetSecretValue", "secret:${SmsSecretName}-abcdef")]
    if call.service == "sqs" and call.operation == "ChangeMessageVisibility":
        assert call.params["QueueUrl"] == local.queue_urls[SMS_QUEUE]
        return [("sqs:ChangeMessageVisibility", ids.queue_id(SMS_QUEUE))]
    return [(f"{call.service}:{call.operation}", "unknown")]


def _name(resource: Any) -> str:
    """A policy's resource the way ``permissions`` names them."""
    if resource == "*":
        return "*"
    if "Ref" in resource:
        return str(resource["Ref"])
    if "Fn::GetAtt" in resource:
        return str(resource["Fn::GetAtt"][0])
    text = re.sub(r"\$\{(\w+)\.(Arn|Name)\}", r"\1", resource["Fn::Sub"])
    return re.sub(
        r"^arn:\$\{AWS::Partition\}:\w+:\$\{AWS::Region\}:\$\{AWS::AccountId\}:", "", text
    )


def allowed(policy: dict[str, Any], action: str, resource: str) -> bool:
    for statement in policy["Statement"]:
        if statement["Effect"] == "Allow" and action in as_list(statement["Action"]):
            names = [_name(r) for r in as_list(statement["Resource"])]
            if any(fnmatchcase(resource, name) for name in names):
                return True
    return False
