"""The stateful resources: the key, the table, the queues, the topics and the buckets. The
table and the queues come from the very definitions ``devtools.provision`` builds locally."""

from __future__ import annotations

from typing import Any

from chalicelib.integrations.storage import STATE_TAG, UNREFERENCED
from chalicelib.store.schema import TTL_ATTRIBUTE, table_definition
from chalicelib.workflow import queues as work
from chalicelib.workflow.queues import DEAD_LETTER_QUEUE, MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_S
from infra import ids
from infra.cfn import Node, checkov_skips, get_att, ref, sub

RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
# Queues hold messages for seconds (the workflow waits on their tokens): deleting them with
# the stack loses nothing the table and the executions do not keep.
DELETE = {"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"}
WORK_RETENTION_S = 4 * 24 * 3600  # SQS's default, stated
DEAD_LETTER_RETENTION_S = 14 * 24 * 3600  # the most SQS keeps: time to find out what failed
UNREFERENCED_UPLOAD_DAYS = 7  # time to submit the form an upload was made for
ACCESS_LOG_DAYS = 365  # the Cybersecurity Law asks for at least six months of network logs


def table() -> dict[str, Node]:
    definition = table_definition(table_name="")
    del definition["TableName"]  # CloudFormation names it; the functions read TABLE_NAME
    properties: dict[str, Any] = {
        **definition,
        "SSESpecification": {
            "SSEEnabled": True,
            "SSEType": "KMS",
            "KMSMasterKeyId": get_att(ids.KEY, "Arn"),
        },
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "DeletionProtectionEnabled": True,
        # Idempotency rows expire on their own.
        "TimeToLiveSpecification": {"AttributeName": TTL_ATTRIBUTE, "Enabled": True},
    }
    return {ids.TABLE: {"Type": "AWS::DynamoDB::Table", **RETAIN, "Properties": properties}}


def queues() -> dict[str, Node]:
    encrypted = {"KmsMasterKeyId": get_att(ids.KEY, "Arn")}
    dead_letters = ids.queue_id(DEAD_LETTER_QUEUE)
    redrive = {
        "deadLetterTargetArn": get_att(dead_letters, "Arn"),
        "maxReceiveCount": MAX_RECEIVE_COUNT,
    }
    resources = {
        dead_letters: {
            "Type": "AWS::SQS::Queue",
            **DELETE,
            "Properties": {
                "QueueName": DEAD_LETTER_QUEUE,
                "MessageRetentionPeriod": DEAD_LETTER_RETENTION_S,
                # Its own handler reads it too, under the same Lambda timeout rule.
                "VisibilityTimeout": VISIBILITY_TIMEOUT_S,
                **encrypted,
            },
        }
    }
    for spec in work.queues():
        resources[ids.queue_id(spec.name)] = {
            "Type": "AWS::SQS::Queue",
            **DELETE,
            "Properties": {
                "QueueName": spec.name,
                "MessageRetentionPeriod": WORK_RETENTION_S,
                "VisibilityTimeout": VISIBILITY_TIMEOUT_S,
                "RedrivePolicy": redrive,
                **encrypted,
            },
        }
    return resources


def topics() -> dict[str, Node]:
    encrypted = {"KmsMasterKeyId": get_att(ids.KEY, "Arn")}
    return {
        ids.TOPIC: {"Type": "AWS::SNS::Topic", "Properties": {**encrypted}},
        ids.ALARM_TOPIC: {"Type": "AWS::SNS::Topic", "Properties": {**encrypted}},
    }


def _tls_only(bucket: str) -> Node:
    return {
        "Sid": "TlsOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [get_att(bucket, "Arn"), sub(f"${{{bucket}.Arn}}/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _private_bucket(encryption: Node, **extra: Any) -> Node:
    return {
        "Type": "AWS::S3::Bucket",
        **RETAIN,
        "Properties": {
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [encryption]},
            "VersioningConfiguration": {"Status": "Enabled"},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            **extra,
        },
    }


def _uploads_bucket() -> Node:
    encryption = {
        "ServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms",
            "KMSMasterKeyID": get_att(ids.KEY, "Arn"),
        },
        "BucketKeyEnabled": True,
    }
    stalled = {
        "Id": "AbortStalledUploads",
        "Status": "Enabled",
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
    }
    # An upload no case cites (still tagged as the presigned form requires) goes after a week,
    # and so do its older versions; a cited version is re-tagged and kept with the archive.
    unreferenced = {
        "Id": "ExpireUnreferencedUploads",
        "Status": "Enabled",
        "Prefix": "uploads/",
        "TagFilters": [{"Key": STATE_TAG, "Value": UNREFERENCED}],
        "ExpirationInDays": UNREFERENCED_UPLOAD_DAYS,
        "NoncurrentVersionExpiration": {"NoncurrentDays": UNREFERENCED_UPLOAD_DAYS},
    }
    return _private_bucket(
        encryption,
        LoggingConfiguration={
            "DestinationBucketName": ref(ids.ACCESS_LOG_BUCKET),
            "LogFilePrefix": "uploads/",
        },
        LifecycleConfiguration={"Rules": [stalled, unreferenced]},
    )


def _access_log_bucket() -> Node:
    # Server access logs can only be delivered to a bucket encrypted with S3-managed keys.
    encryption = {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    expiry = {"Id": "ExpireLogs", "Status": "Enabled", "ExpirationInDays": ACCESS_LOG_DAYS}
    bucket = _private_bucket(encryption, LifecycleConfiguration={"Rules": [expiry]})
    bucket["Metadata"] = checkov_skips(("CKV_AWS_18", "this is the access log bucket itself"))
    return bucket


def _log_delivery() -> Node:
    return {
        "Sid": "S3ServerAccessLogsFromTheUploadsBucket",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": sub(f"${{{ids.ACCESS_LOG_BUCKET}.Arn}}/uploads/*"),
        "Condition": {
            "ArnLike": {"aws:SourceArn": get_att(ids.BUCKET, "Arn")},
            "StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")},
        },
    }


def _bucket_policy(bucket: str, *statements: Node) -> Node:
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": ref(bucket),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": list(statements)},
        },
    }


def buckets() -> dict[str, Node]:
    """Uploads and archive: private, versioned, encrypted with the key, TLS only."""
    return {
        ids.BUCKET: _uploads_bucket(),
        ids.BUCKET + "Policy": _bucket_policy(ids.BUCKET, _tls_only(ids.BUCKET)),
        ids.ACCESS_LOG_BUCKET: _access_log_bucket(),
        ids.ACCESS_LOG_BUCKET + "Policy": _bucket_policy(
            ids.ACCESS_LOG_BUCKET, _tls_only(ids.ACCESS_LOG_BUCKET), _log_delivery()
        ),
    }
