"""The two customer-managed keys and their policies: the stack's key (table, queues, topics,
bucket, logs, functions' environments) and the field key (personal-field envelopes)."""

from __future__ import annotations

from chalicelib.integrations.crypto import CASE_CONTEXT_KEY, SERVICE_CONTEXT
from infra import ids, policies
from infra.cfn import Node, arn, ref, sub
from infra.storage import RETAIN

# Both keys: the account administers and uses them through IAM (a key policy's resource is
# always the key itself).
_ACCOUNT_USES_IAM: Node = {
    "Sid": "AccountGrantsUseThroughIam",
    "Effect": "Allow",
    "Principal": {"AWS": arn("iam", "root", regional=False)},
    "Action": "kms:*",
    "Resource": "*",
}


def _key_policy() -> Node:
    anywhere = "*"  # a key policy's resource is always the key itself
    logs = sub("logs.${AWS::Region}.${AWS::URLSuffix}")
    return {
        "Version": "2012-10-17",
        "Statement": [
            _ACCOUNT_USES_IAM,
            {
                "Sid": "CloudWatchLogsEncryptsLogGroupsOfThisAccount",
                "Effect": "Allow",
                "Principal": {"Service": logs},
                "Action": [
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
                "Resource": anywhere,
                "Condition": {
                    "ArnLike": {"kms:EncryptionContext:aws:logs:arn": arn("logs", "log-group:*")}
                },
            },
            {
                # The notifications topic delivers to the encrypted SMS queue (infra.sms).
                "Sid": "TopicsDeliverToTheEncryptedQueuesOfThisAccount",
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": anywhere,
                "Condition": {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}},
            },
            {
                "Sid": "AlarmsPublishToTheEncryptedAlarmTopic",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": anywhere,
                # Only on behalf of this account's alarms (no confused deputy).
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")},
                    "ArnLike": {"aws:SourceArn": arn("cloudwatch", "alarm:*")},
                },
            },
        ],
    }


def key() -> dict[str, Node]:
    return {
        ids.KEY: {
            "Type": "AWS::KMS::Key",
            **RETAIN,
            "Properties": {
                "Description": "yijianshi: table, queues, topics, uploads, logs, Lambda env",
                "EnableKeyRotation": True,
                "KeyPolicy": _key_policy(),
            },
        },
        ids.KEY + "Alias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {
                "AliasName": sub("alias/${AWS::StackName}"),
                "TargetKeyId": ref(ids.KEY),
            },
        },
    }


# What the account's administrators may do with the field key: everything but use it on data.
KEY_ADMINISTRATION = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
]


def _role_arns(functions: list[str]) -> list[Node]:
    return [arn("iam", f"role/${{AWS::StackName}}-{name}", regional=False) for name in functions]


def _use_of_a_case(sid: str, actions: list[str], functions: list[str]) -> Node:
    """Data use for the named function roles only, and only for one case at a time: the
    encryption context must be this service's and name the case (CloudTrail shows which)."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        # The roles are made after the key (their policies name it): named by condition.
        "Principal": {"AWS": arn("iam", "root", regional=False)},
        "Action": actions,
        "Resource": "*",  # a key policy's resource is always the key itself
        "Condition": {
            "ArnEquals": {"aws:PrincipalArn": _role_arns(functions)},
            "StringEquals": {
                f"kms:EncryptionContext:{name}": value for name, value in SERVICE_CONTEXT.items()
            },
            "Null": {f"kms:EncryptionContext:{CASE_CONTEXT_KEY}": "false"},
        },
    }


def _field_key_policy() -> Node:
    """Administrators keep the key's administration but cannot use it on data; the functions
    that seal (the API) and open (the API and the item handlers) personal fields may, for one
    case at a time (``infra.policies.access_table`` says which)."""
    table = policies.access_table()
    sealers = sorted(name for name, a in table.items() if a.personal == "seal")
    openers = sorted(name for name, a in table.items() if a.personal)
    administer = {
        "Sid": "AdministratorsManageTheKeyWithoutUsingIt",
        "Effect": "Allow",
        "Principal": {"AWS": arn("iam", "root", regional=False)},
        "Action": KEY_ADMINISTRATION,
        "Resource": "*",
    }
    return {
        "Version": "2012-10-17",
        "Statement": [
            administer,
            _use_of_a_case(
                "FunctionsSealPersonalFieldsOfOneCase", ["kms:GenerateDataKey"], sealers
            ),
            _use_of_a_case("FunctionsOpenPersonalFieldsOfOneCase", ["kms:Decrypt"], openers),
        ],
    }


def field_key() -> dict[str, Node]:
    """The key of the personal-field envelopes (ID numbers, bank accounts). Apart from the
    key that encrypts the table, logs and queues at rest: no AWS service may use it, and only
    the functions that seal or open those fields are granted it."""
    return {
        ids.FIELD_KEY: {
            "Type": "AWS::KMS::Key",
            **RETAIN,
            "Properties": {
                "Description": "yijianshi: personal fields (ID numbers, bank accounts)",
                "EnableKeyRotation": True,
                "KeyPolicy": _field_key_policy(),
            },
        },
        ids.FIELD_KEY + "Alias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {
                "AliasName": sub("alias/${AWS::StackName}-personal-fields"),
                "TargetKeyId": ref(ids.FIELD_KEY),
            },
        },
    }
