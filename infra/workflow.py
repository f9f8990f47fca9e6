"""The state machine: the definition built from the catalogue, with CloudFormation filling in
the queue URLs (``DefinitionSubstitutions``), exactly as ``definition.render`` does locally."""

from __future__ import annotations

from chalicelib.workflow.definition import template
from chalicelib.workflow.queues import STATE_MACHINE_NAME, queues
from infra import ids
from infra.cfn import Node, get_att, ref
from infra.operations import log_group

# The definition names its service integrations ``arn:aws:states:::sqs:...``; in AWS China
# they are ``arn:aws-cn:...``, so the partition becomes one more substitution.
PARTITION_PLACEHOLDER = "Partition"
_GLOBAL_ARN = '"arn:aws:'
_ANY_PARTITION_ARN = '"arn:${' + PARTITION_PLACEHOLDER + "}:"

# Vended log delivery (Step Functions to CloudWatch Logs) takes no resource-level
# permissions: these actions only ever apply to "*".
LOG_DELIVERY_ACTIONS = [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
]


def deployed_definition() -> str:
    """The definition file's text, with only the partition of its ARNs left open."""
    return template().replace(_GLOBAL_ARN, _ANY_PARTITION_ARN)


def substitutions() -> dict[str, Node]:
    """Placeholder -> value: each queue's URL (``Ref`` of a queue) and the partition."""
    values = {spec.placeholder: ref(ids.queue_id(spec.name)) for spec in queues()}
    values[PARTITION_PLACEHOLDER] = ref("AWS::Partition")
    return values


def _role() -> Node:
    allow = "Allow"
    trust = {
        "Effect": allow,
        "Principal": {"Service": "states.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}},
    }
    targets = [get_att(ids.queue_id(spec.name), "Arn") for spec in queues()]
    statements = [
        {
            "Sid": "SendToItsQueues",
            "Effect": allow,
            "Action": "sqs:SendMessage",
            "Resource": targets,
        },
        {
            "Sid": "EncryptTheMessages",  # the queues are encrypted with the stack's key
            "Effect": allow,
            "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
            "Resource": get_att(ids.KEY, "Arn"),
        },
        {"Sid": "WriteItsLogs", "Effect": allow, "Action": LOG_DELIVERY_ACTIONS, "Resource": "*"},
    ]
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
            "Policies": [
                {
                    "PolicyName": "SendToQueuesAndLog",
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                }
            ],
        },
    }


def state_machine() -> dict[str, Node]:
    logging = {
        # Errors only: Step Functions keeps every execution's full history for 90 days, and
        # the case's own history is in the table.
        "Level": "ERROR",
        "IncludeExecutionData": False,
        "Destinations": [
            {"CloudWatchLogsLogGroup": {"LogGroupArn": get_att(ids.STATE_MACHINE_LOGS, "Arn")}}
        ],
    }
    return {
        ids.STATE_MACHINE_LOGS: log_group(),
        ids.STATE_MACHINE_ROLE: _role(),
        ids.STATE_MACHINE: {
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {
                "StateMachineName": STATE_MACHINE_NAME,
                "StateMachineType": "STANDARD",
                "RoleArn": get_att(ids.STATE_MACHINE_ROLE, "Arn"),
                "DefinitionString": deployed_definition(),
                "DefinitionSubstitutions": substitutions(),
                "LoggingConfiguration": logging,
            },
        },
    }
