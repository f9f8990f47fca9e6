"""What the merge template adds to the resources Chalice generates, by their logical ids: each
function's environment, key, log group and partial batch failures; the API stage's throttling
and access log. Chalice merges dictionaries key by key, so these only ever add keys."""

from __future__ import annotations

from chalicelib import settings
from chalicelib.api import gateway
from chalicelib.domain import catalogue
from chalicelib.sms_queue import SMS_FUNCTION
from chalicelib.workflow.queues import DEAD_LETTER_QUEUE
from infra import ids, sms
from infra.cfn import Node, checkov_skips, get_att, logical_id, ref, sub
from infra.functions import API_HANDLER, Function

UPLOADS_BUCKET = "UPLOADS_BUCKET"  # the uploads and archive bucket (settings reads it)
# Keys of the app secret's JSON (names, not secrets) and the functions each is given to.
SECRET_KEY = settings.ENV_PERSON_KEY_SECRET
DIGEST_KEY = settings.ENV_FORM_DIGEST_SECRET
PHONE_KEY = settings.ENV_PHONE_KEY_SECRET
# Most concurrent batches per queue: bounds the load on the table and Step Functions
# without reserving account concurrency (SQS allows 2 at least).
QUEUE_CONCURRENCY = 5
DEAD_LETTER_CONCURRENCY = 2

_NOT_FOR_THESE_FUNCTIONS = (
    (
        "CKV_AWS_116",
        "no asynchronous invocation whose loss matters: the API is synchronous, SQS batches "
        "dead-letter through their queue's redrive policy, a failed scheduled run is redone "
        "by the next one from its sparse index",
    ),
    (
        "CKV_AWS_117",
        "calls only AWS APIs over TLS and reaches nothing inside a VPC; a VPC would add NAT "
        "or endpoints and cold-start cost for no gain",
    ),
    (
        "CKV_AWS_115",
        "bounded without reserving account concurrency: the API by stage throttling, SQS "
        "consumers by their event source's MaximumConcurrency, schedules by their rate",
    ),
)
ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",'
    '"requestTime":"$context.requestTime","httpMethod":"$context.httpMethod",'
    '"resourcePath":"$context.resourcePath","status":"$context.status",'
    '"responseLength":"$context.responseLength",'
    '"integrationLatency":"$context.integrationLatency"}'
)


def _secret(name: str) -> Node:
    # Resolved by CloudFormation at deployment; the environment is encrypted with the key.
    return sub(f"{{{{resolve:secretsmanager:${{{ids.SECRET_NAME}}}:SecretString:{name}}}}}")


def derives_person_keys(function: Function) -> bool:
    """Who holds the person-key secret: whoever turns an ID number into a person key (the
    authorizer from the token, the API from the form, the licence check from the registry's
    operator). No one else needs it, so no one else can brute-force keys with it."""
    return function.authorizer or function.name in (API_HANDLER, catalogue.gate().code)


def environment(function: Function | None = None) -> dict[str, Node]:
    if function is not None and function.authorizer:
        # RS256 against the stage's public keys; no shared token secret exists in AWS.
        return {
            settings.ENV_AUTH_JWKS: ref(ids.AUTH_JWKS),
            settings.ENV_AUTH_ISSUER: ref(ids.AUTH_ISSUER),
            settings.ENV_AUTH_AUDIENCE: ref(ids.AUTH_AUDIENCE),
            settings.ENV_PERSON_KEY_SECRET: _secret(SECRET_KEY),
        }
    found = {
        settings.ENV_TABLE_NAME: ref(ids.TABLE),
        settings.ENV_STATE_MACHINE_ARN: ref(ids.STATE_MACHINE),
        settings.ENV_TOPIC_ARN: ref(ids.TOPIC),
        UPLOADS_BUCKET: ref(ids.BUCKET),
        settings.ENV_GATEWAY_SECRET: ref(ids.GATEWAY_SECRET_NAME),
        **{
            settings.ENV_DEPARTMENT_URLS[department]: ref(parameter)
            for department, parameter in ids.GATEWAY_URLS.items()
        },
        settings.ENV_FIELD_KEY_ID: get_att(ids.FIELD_KEY, "Arn"),
    }
    if function is None or derives_person_keys(function):
        found[settings.ENV_PERSON_KEY_SECRET] = _secret(SECRET_KEY)
    if function is None or function.name == API_HANDLER:
        found[settings.ENV_FORM_DIGEST_SECRET] = _secret(DIGEST_KEY)  # the API's alone
    if function is None or function.name in (API_HANDLER, SMS_FUNCTION):
        found[settings.ENV_PHONE_KEY_SECRET] = _secret(PHONE_KEY)  # sender and receipts
    return found | (sms.environment(function) if function is not None else {})


def _sqs_event(function: Function) -> Node:
    dead_letters = function.queue == DEAD_LETTER_QUEUE
    concurrency = DEAD_LETTER_CONCURRENCY if dead_letters else QUEUE_CONCURRENCY
    return {
        function.sqs_event_id: {
            "Properties": {
                # The handlers return batchItemFailures: only the failed messages come back.
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
                "ScalingConfig": {"MaximumConcurrency": concurrency},
            }
        }
    }


def role_patch(function: Function) -> dict[str, Node]:
    """Name each function's role (Chalice's ``<function>_role``), so that the field key's
    policy can name the roles allowed to use it (deploy with CAPABILITY_NAMED_IAM)."""
    return {
        logical_id(f"{function.name}_role"): {
            "Properties": {"RoleName": sub(f"${{AWS::StackName}}-{function.name}")}
        }
    }


def function_patch(function: Function) -> Node:
    properties: Node = {
        "Environment": {"Variables": environment(function)},
        "KmsKeyArn": get_att(ids.KEY, "Arn"),
        "LoggingConfig": {"LogGroup": ref(function.log_group_id)},
    }
    patch: Node = {"Properties": properties, "Metadata": checkov_skips(*_NOT_FOR_THESE_FUNCTIONS)}
    if function.queue:
        properties["Events"] = _sqs_event(function)
        # Chalice names the queue by ARN text: make sure it exists before the event source.
        patch["DependsOn"] = [ids.queue_id(function.queue)]
    return patch


def gateway_responses() -> dict[str, Node]:
    """API Gateway's own answers (no token, a denied token, no such route, throttled, ...) as
    problem+json like the app's, from ``chalicelib.api.gateway``."""
    found: dict[str, Node] = {}
    for answer in gateway.ANSWERS:
        headers = {
            f"gatewayresponse.header.{name}": f"'{value}'"
            for name, value in answer.all_headers.items()
        }
        found[logical_id(answer.response_type.lower(), "GatewayResponse")] = {
            "Type": "AWS::ApiGateway::GatewayResponse",
            "Properties": {
                "RestApiId": ref("RestAPI"),
                "ResponseType": answer.response_type,
                "StatusCode": str(answer.error.status),
                "ResponseParameters": headers,
                "ResponseTemplates": {"application/json": gateway.body(answer)},
            },
        }
    return found


def api_patch() -> dict[str, Node]:
    throttle = {
        "ResourcePath": "/*",
        "HttpMethod": "*",
        "ThrottlingRateLimit": ref(ids.API_RATE),
        "ThrottlingBurstLimit": ref(ids.API_BURST),
        "MetricsEnabled": True,
    }
    skips = checkov_skips(
        ("CKV_AWS_120", "every answer is personal and per caller: a cache would leak or go stale"),
        ("CKV_AWS_73", "no tracer in the functions; the request id ties access and function logs"),
    )
    return {
        "RestAPI": {
            # The stage's access log needs the account's API Gateway logging role first.
            "DependsOn": ["ApiGatewayAccount"],
            "Metadata": skips,
            "Properties": {
                "MethodSettings": [throttle],
                "AccessLogSetting": {
                    "DestinationArn": get_att(ids.API_ACCESS_LOGS, "Arn"),
                    "Format": ACCESS_LOG_FORMAT,
                },
            },
        }
    }
