"""Create every AWS resource the service uses, from the same definitions the deployment uses
(table schema, queue names, state machine definition)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chalicelib import sms_queue
from chalicelib.store.schema import TTL_ATTRIBUTE, table_definition
from chalicelib.workflow.definition import render
from chalicelib.workflow.queues import (
    DEAD_LETTER_QUEUE,
    MAX_RECEIVE_COUNT,
    STATE_MACHINE_NAME,
    VISIBILITY_TIMEOUT_S,
    queues,
)

TABLE_NAME = "yijianshi-local"
ACCOUNT_ID = "123456789012"  # moto's default account
TOPIC_NAME = "yjs-notifications"
BUCKET_NAME = "yjs-documents-local"  # uploads and the electronic archive
FIELD_KEY_ALIAS = "alias/yjs-personal-fields"  # envelopes of ID numbers and bank accounts
GATEWAY_SECRET = "yjs-local/gateway"  # noqa: S105 - the secret's name  # nosec B105
SMS_SECRET_NAME = "yijianshi/local/sms"  # noqa: S105 - the secret's name  # nosec B105


@dataclass(frozen=True)
class Resources:
    table_name: str
    state_machine_arn: str
    queue_urls: dict[str, str]  # queue name -> URL, the dead-letter queue included
    topic_arn: str
    uploads_bucket: str = BUCKET_NAME
    field_key_id: str = FIELD_KEY_ALIAS
    gateway_secret: str = GATEWAY_SECRET
    sms_secret_name: str = SMS_SECRET_NAME

    def environment(self) -> dict[str, str]:
        return {
            "GATEWAY_SECRET_NAME": self.gateway_secret,
            "SMS_QUEUE_URL": self.queue_urls.get(sms_queue.SMS_QUEUE, ""),
            "SMS_SECRET_NAME": self.sms_secret_name,
            "FIELD_KEY_ID": self.field_key_id,
            "TABLE_NAME": self.table_name,
            "STATE_MACHINE_ARN": self.state_machine_arn,
            "NOTIFY_TOPIC_ARN": self.topic_arn,
            "UPLOADS_BUCKET": self.uploads_bucket,
        }


def _partition(region: str) -> str:
    return "aws-cn" if region.startswith("cn-") else "aws"


def provision(session: Any, table_name: str = TABLE_NAME) -> Resources:
    dynamodb, sqs, sfn, sns = (
        session.client(s) for s in ("dynamodb", "sqs", "stepfunctions", "sns")
    )
    dynamodb.create_table(**table_definition(table_name))
    dynamodb.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
    dlq_url = sqs.create_queue(QueueName=DEAD_LETTER_QUEUE)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT})
    urls = {DEAD_LETTER_QUEUE: dlq_url}
    for spec in queues():
        urls[spec.name] = sqs.create_queue(
            QueueName=spec.name,
            Attributes={"RedrivePolicy": redrive, "VisibilityTimeout": str(VISIBILITY_TIMEOUT_S)},
        )["QueueUrl"]
    partition = _partition(session.region_name)
    machine = sfn.create_state_machine(
        name=STATE_MACHINE_NAME,
        definition=render(urls),
        roleArn=f"arn:{partition}:iam::{ACCOUNT_ID}:role/yjs-state-machine",
        type="STANDARD",
    )
    topic = sns.create_topic(Name=TOPIC_NAME)["TopicArn"]
    urls |= create_sms_queues(sqs, sns, topic)
    create_sms_secret(session.client("secretsmanager"))
    create_document_bucket(session.client("s3"), BUCKET_NAME, session.region_name)
    create_field_key(session.client("kms"), FIELD_KEY_ALIAS)
    create_gateway_secret(session.client("secretsmanager"), GATEWAY_SECRET)
    return Resources(
        table_name, machine["stateMachineArn"], urls, topic, BUCKET_NAME, FIELD_KEY_ALIAS
    )


def create_gateway_secret(secrets: Any, name: str) -> None:
    """The credentials the local stand-ins of the departments' systems accept (in AWS the
    province's gateway issues them, and operators put them in the stack's secret)."""
    from devtools.departments import LOCAL_APP_ID, LOCAL_SECRET

    value = json.dumps({"app_id": LOCAL_APP_ID, "secret": LOCAL_SECRET})
    secrets.create_secret(Name=name, SecretString=value)


def create_field_key(kms: Any, alias: str) -> None:
    """The key of the personal-field envelopes (chalicelib.integrations.crypto)."""
    key = kms.create_key(Description="yijianshi: personal fields (ID numbers, bank accounts)")
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyMetadata"]["KeyId"])


def create_document_bucket(s3: Any, bucket: str, region: str) -> None:
    """Versioned (archives are never overwritten or deleted, docs/domain.md §10), encrypted at
    rest, and closed to the public: uploads arrive only through presigned POSTs."""
    placed = {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **({} if region == "us-east-1" else placed))
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )


def _arn(sqs: Any, url: str) -> str:
    found = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return str(found["Attributes"]["QueueArn"])


def create_sms_queues(sqs: Any, sns: Any, topic_arn: str) -> dict[str, str]:
    """The SMS queue and its dead-letter queue, subscribed to the notifications topic with raw
    delivery and the applicant-notices filter (moto delivers SNS to SQS in-process)."""
    dead_letters = sqs.create_queue(QueueName=sms_queue.SMS_DEAD_LETTER_QUEUE)["QueueUrl"]
    redrive = {
        "deadLetterTargetArn": _arn(sqs, dead_letters),
        "maxReceiveCount": sms_queue.SMS_MAX_RECEIVES,
    }
    url = sqs.create_queue(
        QueueName=sms_queue.SMS_QUEUE,
        Attributes={
            "RedrivePolicy": json.dumps(redrive),
            "VisibilityTimeout": str(sms_queue.SMS_VISIBILITY_TIMEOUT_S),
        },
    )["QueueUrl"]
    sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=_arn(sqs, url),
        Attributes={
            "RawMessageDelivery": "true",
            "FilterPolicy": json.dumps(sms_queue.filter_policy()),
        },
    )
    return {sms_queue.SMS_DEAD_LETTER_QUEUE: dead_letters, sms_queue.SMS_QUEUE: url}


def create_sms_secret(secrets: Any) -> None:
    """The SMS provider's API key, as the deployed stack keeps it: here the local stand-in's."""
    from devtools.sms_standin import LOCAL_SECRET_ID, LOCAL_SECRET_KEY

    value = {"secret_id": LOCAL_SECRET_ID, "secret_key": LOCAL_SECRET_KEY}
    secrets.create_secret(Name=SMS_SECRET_NAME, SecretString=json.dumps(value))
