"""The SMS channel's resources: its queue subscribed to the notifications topic (raw delivery,
the applicant-notices filter of ``chalicelib.sms_queue``), its dead-letter queue and alarm,
the stack parameters a stage configures (the provider's approved templates and signature, the
secret holding its API key, quiet hours, per-phone limits, the receipts callback's token
digest) and the environment of the functions that use them."""

from __future__ import annotations

from chalicelib import settings
from chalicelib.domain.sms_notices import Template
from chalicelib.sms_queue import (
    SMS_DEAD_LETTER_QUEUE,
    SMS_FUNCTION,
    SMS_MAX_RECEIVES,
    SMS_QUEUE,
    SMS_VISIBILITY_TIMEOUT_S,
    filter_policy,
)
from infra import cfn, ids
from infra.cfn import Node, get_att, ref, sub
from infra.functions import API_HANDLER, Function

# Its work queue keeps a message 4 days, longer than any hold (12 h at most, then held again).
from infra.storage import DEAD_LETTER_RETENTION_S, DELETE, WORK_RETENTION_S

QUEUE = ids.queue_id(SMS_QUEUE)
DEAD_LETTERS = ids.queue_id(SMS_DEAD_LETTER_QUEUE)
SECRET_NAME = "SmsSecretName"  # noqa: S105 - a parameter's name  # nosec B105
APP_ID, SIGN_NAME = "SmsSdkAppId", "SmsSignName"
QUIET_HOURS, RATE_LIMITS = "SmsQuietHours", "SmsRateLimits"
CALLBACK_DIGEST = "SmsCallbackTokenSha256"


def template_parameter(template: Template) -> str:
    """``pickup_code`` -> ``SmsTemplatePickupCode``."""
    return "SmsTemplate" + "".join(part.title() for part in template.value.split("_"))


def _string(description: str, default: str | None = None, pattern: str = "") -> Node:
    node: Node = {"Type": "String", "Description": description}
    if default is not None:
        node["Default"] = default
    if pattern:
        node["AllowedPattern"] = pattern
    return node


def parameters() -> dict[str, Node]:
    found = {
        APP_ID: _string("Tencent Cloud SMS SdkAppId of this stage's SMS application", "", "[0-9]*"),
        SIGN_NAME: _string("Approved SMS signature (签名), without 【】", ""),
        SECRET_NAME: _string(
            "Secrets Manager secret (JSON) holding the SMS API key: secret_id, secret_key",
            "yijianshi/prod/sms",
        ),
        QUIET_HOURS: _string(
            "Asia/Shanghai hours without SMS (HH:MM-HH:MM, or off)", "21:00-08:00"
        ),
        RATE_LIMITS: _string("Per-phone SMS limits (COUNT/PERIOD, ...)", "1/30s,5/1h,10/1d"),
        CALLBACK_DIGEST: _string(
            "SHA-256 (hex) of the token in the receipts callback URL; empty: receipts refused",
            "",
            "([0-9a-f]{64})?",
        ),
    }
    for template in Template:
        description = f"Approved template id for '{template.value}' SMS; empty: not sent by SMS"
        found[template_parameter(template)] = _string(description, "", "[0-9]*")
    return found


def _templates_json() -> Node:
    pairs = ", ".join(f'"{t.value}": "${{{template_parameter(t)}}}"' for t in Template)
    return sub("{" + pairs + "}")


def environment(function: Function) -> dict[str, Node]:
    """What the sender needs to send, and the API to check the receipts callback."""
    if function.name == API_HANDLER:
        return {settings.ENV_SMS_CALLBACK_TOKEN_SHA256: ref(CALLBACK_DIGEST)}
    if function.name != SMS_FUNCTION:
        return {}
    return {
        settings.ENV_SMS_SDK_APP_ID: ref(APP_ID),
        settings.ENV_SMS_SIGN_NAME: ref(SIGN_NAME),
        settings.ENV_SMS_SECRET_NAME: ref(SECRET_NAME),
        settings.ENV_SMS_TEMPLATES: _templates_json(),
        settings.ENV_SMS_QUIET_HOURS: ref(QUIET_HOURS),
        settings.ENV_SMS_RATE_LIMITS: ref(RATE_LIMITS),
        # Built from its name: a Ref would repeat the event source's DependsOn on the queue.
        settings.ENV_SMS_QUEUE_URL: sub(
            f"https://sqs.${{AWS::Region}}.${{AWS::URLSuffix}}/${{AWS::AccountId}}/{SMS_QUEUE}"
        ),
    }


def secret_arn() -> Node:
    return cfn.secret_arn(SECRET_NAME)


def resources() -> dict[str, Node]:
    encrypted = {"KmsMasterKeyId": get_att(ids.KEY, "Arn")}
    redrive: Node = {
        "deadLetterTargetArn": get_att(DEAD_LETTERS, "Arn"),
        "maxReceiveCount": SMS_MAX_RECEIVES,
    }
    return {
        DEAD_LETTERS: {
            "Type": "AWS::SQS::Queue",
            **DELETE,
            "Properties": {
                "QueueName": SMS_DEAD_LETTER_QUEUE,
                "MessageRetentionPeriod": DEAD_LETTER_RETENTION_S,
                **encrypted,
            },
        },
        QUEUE: {
            "Type": "AWS::SQS::Queue",
            **DELETE,
            "Properties": {
                "QueueName": SMS_QUEUE,
                "MessageRetentionPeriod": WORK_RETENTION_S,
                "VisibilityTimeout": SMS_VISIBILITY_TIMEOUT_S,
                "RedrivePolicy": redrive,
                **encrypted,
            },
        },
        QUEUE + "Policy": _queue_policy(),
        "SmsSubscription": {
            "Type": "AWS::SNS::Subscription",
            "Properties": {
                "TopicArn": ref(ids.TOPIC),
                "Protocol": "sqs",
                "Endpoint": get_att(QUEUE, "Arn"),
                "RawMessageDelivery": True,
                "FilterPolicyScope": "MessageAttributes",
                "FilterPolicy": filter_policy(),
            },
        },
    }


def _queue_policy() -> Node:
    statement = {
        "Sid": "NotificationsTopicDelivers",
        "Effect": "Allow",
        "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage",
        "Resource": get_att(QUEUE, "Arn"),
        "Condition": {"ArnEquals": {"aws:SourceArn": ref(ids.TOPIC)}},
    }
    return {
        "Type": "AWS::SQS::QueuePolicy",
        "Properties": {
            "Queues": [ref(QUEUE)],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
        },
    }


def sender_statements() -> list[Node]:
    """Beyond the table and the field key (infra.policies): the provider's API key, and
    holding its own queue's messages (their visibility timeout)."""
    return [
        {
            "Sid": "ProviderApiKey",
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue"],
            "Resource": [secret_arn()],
        },
        {
            "Sid": "HoldMessages",
            "Effect": "Allow",
            "Action": ["sqs:ChangeMessageVisibility"],
            "Resource": [get_att(QUEUE, "Arn")],
        },
    ]
