"""Who may do what: one IAM policy per Lambda function, written to ``.chalice/policy-<name>.json``
(Chalice attaches each to its function's own role). Only what the function's code calls, on
the resources it calls it on; the files are generated from this table, never edited by hand.

An item's handler gets the rights its catalogue entry's ``ports`` name (``item_access``);
every other function has its row here (``access_table``). When a use case starts calling
something new, add it here (or a port to the item's entry) and run ``make package``.
``tests/infra`` fails while a call a function makes in a whole case on moto is not granted,
and while a committed policy file differs from this table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from chalicelib import sms_queue
from chalicelib.domain import catalogue
from chalicelib.domain.catalogue import ItemSpec, Port
from chalicelib.integrations.crypto import CASE_CONTEXT_KEY, SERVICE_CONTEXT
from chalicelib.store import keys
from chalicelib.workflow import queues, schedules
from infra import ids, sms
from infra.cfn import Node, arn, get_att, ref, secret_arn, sub
from infra.functions import Function

SUCCESS, FAILURE = "states:SendTaskSuccess", "states:SendTaskFailure"


@dataclass(frozen=True)
class Access:
    """What one function's code calls. Its own log group, the key that encrypts its
    environment and, for a consumer, its queue come with every function."""

    reads: bool = False  # GetItem and Query on the table
    writes: bool = False  # PutItem, UpdateItem, and transactions of Put, Update, ConditionCheck
    indexes: tuple[str, ...] = ()  # Query on these indexes
    starts: bool = False  # StartExecution (the execution is named after the case)
    stops: bool = False  # StopExecution of a case's execution (withdrawal)
    answers: tuple[str, ...] = ()  # answers task tokens
    publishes: bool = False  # notifications to the SNS topic
    documents: bool = False  # uploads (presigned for the client) and the archive
    # Personal fields: "open" (kms:Decrypt of their data keys) or "seal" (and GenerateDataKey).
    personal: str = ""
    gateway: bool = False  # reads the gateway's credentials (calls the departments' systems)
    requeues: tuple[str, ...] = ()  # sends item tasks back to these queues (retries, approvals)
    sms: bool = False  # the SMS provider's API key, and holding its queue's messages


_TABLE = Access(reads=True, writes=True)


def item_access(spec: ItemSpec) -> Access:
    """An item handler: the table and its task's answer, and what its entry's ports reach.
    Handlers archive what they decide (the gate also the form), notify the applicant and open
    the form's ID number to check working age (services.transitions.facts_of)."""
    return replace(
        _TABLE,
        answers=(SUCCESS,),
        publishes=Port.NOTIFY in spec.ports,
        documents=Port.ARCHIVE in spec.ports,
        personal="open" if Port.PERSONAL_FIELDS in spec.ports else "",
        gateway=spec.reaches_departments,
        requeues=(spec.queue,) if spec.reaches_departments else (),
    )


def _item_queues() -> tuple[str, ...]:
    return tuple(spec.queue for spec in catalogue.items())


_JOBS = {
    schedules.SUBSIDY_REMINDERS: replace(_TABLE, indexes=(keys.GSI_REMIND,), publishes=True),
    schedules.DEADLINE_BREACHES: replace(_TABLE, indexes=(keys.GSI_DUE,), publishes=True),
    # It also resends the tasks of items whose retry was lost (GSI_REMIND's RETRY partition).
    schedules.RESTART_UNSTARTED: Access(
        reads=True,
        writes=True,
        indexes=(keys.GSI_UNSTARTED, keys.GSI_REMIND),
        starts=True,
        requeues=("*",),
    ),
    schedules.RECOMPUTE_PROVISIONAL: replace(_TABLE, indexes=(keys.GSI_PROVISIONAL,)),
    # Reads the loaded calendar, records the day's alert and tells the admins.
    schedules.CALENDAR_CHECK: replace(_TABLE, publishes=True),
}
_OTHERS: dict[str, Access] = {
    # The API also runs any scheduled job by hand (/v1/admin/jobs), so it holds their rights.
    "api_handler": replace(
        _TABLE,
        indexes=keys.INDEXES,
        starts=True,
        stops=True,
        answers=(SUCCESS,),
        publishes=True,
        documents=True,
        personal="seal",  # submissions and corrections seal, reads and approvals open
        gateway=True,  # a subsidy claim asks the registry whether the business still runs
        requeues=("*",),  # officers' approvals and retries put item tasks back on their queues
    ),
    # The token authorizer verifies signatures against keys in its configuration: no AWS call.
    "bearer_token": Access(),
    queues.FINALIZE_FUNCTION: replace(_TABLE, answers=(SUCCESS,), publishes=True),
    # It fails the item to a person (the item's row, history and the department's alert) and
    # answers a finished item's task, or fails the final step's.
    queues.DEAD_LETTER_FUNCTION: replace(_TABLE, answers=(SUCCESS, FAILURE), publishes=True),
    # Reads the notification and its case, opens the contact phone (the only function besides
    # the API that may), claims and records each SMS; calls the provider, not AWS, to send.
    sms_queue.SMS_FUNCTION: replace(_TABLE, personal="open", sms=True),
}


def access_table() -> dict[str, Access]:
    """What each function's code calls, by function name: the item handlers from their
    catalogue entries, the jobs from their schedules."""
    table = dict(_OTHERS)
    table |= {spec.code: item_access(spec) for spec in catalogue.items()}
    table |= {s.function: _JOBS[s.job] for s in schedules.SCHEDULES}
    return table


# The bucket's two prefixes (chalicelib.services.uploads): clients' uploads and the archive.
DOCUMENT_PREFIXES = ("uploads", "archive")


def _allow(sid: str, actions: list[str], resources: list[Any]) -> Node:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}


def _table(access: Access) -> list[Node]:
    table = get_att(ids.TABLE, "Arn")
    statements = []
    if access.reads:
        statements.append(_allow("ReadTable", ["dynamodb:GetItem", "dynamodb:Query"], [table]))
    if access.writes:
        actions = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"]
        statements.append(_allow("WriteTable", actions, [table]))
    if access.indexes:
        arns = [sub(f"${{{ids.TABLE}.Arn}}/index/{name}") for name in access.indexes]
        statements.append(_allow("QueryIndexes", ["dynamodb:Query"], arns))
    return statements


def _workflow(access: Access) -> list[Node]:
    statements = []
    if access.starts:
        statements.append(_allow("StartCase", ["states:StartExecution"], [ref(ids.STATE_MACHINE)]))
    if access.stops:
        # Executions are named after their case: any execution of this one state machine.
        execution = f"execution:${{{ids.STATE_MACHINE}.Name}}:*"
        statements.append(_allow("StopCase", ["states:StopExecution"], [arn("states", execution)]))
    if access.answers:
        # Task-token calls name no resource: IAM knows no narrower resource for them.
        statements.append(_allow("AnswerTasks", list(access.answers), ["*"]))
    return statements


def _documents() -> list[Node]:
    objects = [sub(f"${{{ids.BUCKET}.Arn}}/{prefix}/*") for prefix in DOCUMENT_PREFIXES]
    bucket = get_att(ids.BUCKET, "Arn")
    listing = _allow("ListDocuments", ["s3:ListBucket", "s3:ListBucketVersions"], [bucket])
    # Listing only under the two prefixes (the archive lists a case's versions and the uploads
    # it cites). Without an unconditioned ListBucket, HEAD of a missing key answers 403, which
    # the document store reads as "absent" (integrations.storage).
    listing["Condition"] = {"StringLike": {"s3:prefix": [f"{p}/*" for p in DOCUMENT_PREFIXES]}}
    return [
        # PutObject (and PutObjectTagging: the form tags the upload "unreferenced") also signs
        # the clients' presigned upload forms; GetObject answers HEAD and reads a cited upload;
        # PutObjectVersionTagging marks the cited version "referenced" (kept).
        _allow(
            "Documents",
            ["s3:PutObject", "s3:PutObjectTagging", "s3:GetObject", "s3:PutObjectVersionTagging"],
            objects,
        ),
        listing,
    ]


def _gateway(access: Access) -> list[Node]:
    statements = []
    if access.gateway:
        secret = secret_arn(ids.GATEWAY_SECRET_NAME)
        statements.append(_allow("GatewayCredentials", ["secretsmanager:GetSecretValue"], [secret]))
    if access.requeues:
        names = _item_queues() if access.requeues == ("*",) else access.requeues
        targets = [get_att(ids.queue_id(name), "Arn") for name in names]
        statements.append(_allow("RequeueItems", ["sqs:GetQueueUrl", "sqs:SendMessage"], targets))
    return statements


def _key_actions(access: Access) -> list[str]:
    # Decrypt: the environment and a consumer's messages. Whoever writes to the encrypted
    # topic or bucket also makes data keys.
    writes_encrypted = access.publishes or access.documents or bool(access.requeues)
    return ["kms:Decrypt", "kms:GenerateDataKey"] if writes_encrypted else ["kms:Decrypt"]


def _personal(access: Access) -> list[Node]:
    if not access.personal:
        return []
    actions = ["kms:Decrypt"] + (["kms:GenerateDataKey"] if access.personal == "seal" else [])
    statement = _allow("PersonalFields", actions, [get_att(ids.FIELD_KEY, "Arn")])
    # One case at a time, under this service's context (the key policy says the same).
    statement["Condition"] = {
        "StringEquals": {f"kms:EncryptionContext:{k}": v for k, v in SERVICE_CONTEXT.items()},
        "Null": {f"kms:EncryptionContext:{CASE_CONTEXT_KEY}": "false"},
    }
    return [statement]


def policy(function: Function) -> Node:
    access = access_table()[function.name]
    logs = get_att(function.log_group_id, "Arn")
    statements = [_allow("OwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [logs])]
    statements.append(_allow("UseKey", _key_actions(access), [get_att(ids.KEY, "Arn")]))
    if function.queue:
        consume = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        queue = get_att(ids.queue_id(function.queue), "Arn")
        statements.append(_allow("ConsumeQueue", consume, [queue]))
    statements += _table(access) + _workflow(access) + _personal(access) + _gateway(access)
    if access.publishes:
        statements.append(_allow("Notify", ["sns:Publish"], [ref(ids.TOPIC)]))
    if access.documents:
        statements += _documents()
    if access.sms:
        statements += sms.sender_statements()
    return {"Version": "2012-10-17", "Statement": statements}


def policy_file(function: Function) -> str:
    return f"policy-{function.name}.json"


def render(function: Function) -> str:
    return json.dumps(policy(function), indent=2, ensure_ascii=False) + "\n"


def write_policies(functions: tuple[Function, ...], folder: Path) -> list[Path]:
    """Write each function's policy file; only files whose content changed are touched."""
    changed = []
    for function in functions:
        path = folder / policy_file(function)
        text = render(function)
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
            changed.append(path)
    return changed
