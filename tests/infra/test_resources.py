"""The resources the merge template adds to Chalice's template: what the code uses exists,
configured as the issue asks (durable, encrypted with the stack's own key, private)."""

from __future__ import annotations

import json
import re

from chalicelib.sms_queue import SMS_DEAD_LETTER_QUEUE, SMS_QUEUE
from chalicelib.store import keys
from chalicelib.store.schema import TTL_ATTRIBUTE
from chalicelib.workflow.definition import ARTEFACT, render, template
from chalicelib.workflow.queues import DEAD_LETTER_QUEUE, MAX_RECEIVE_COUNT, queues
from infra import ids, operations
from infra.functions import Function
from infra.workflow import PARTITION_PLACEHOLDER, deployed_definition
from tests.infra.helpers import Template, get_att_target, of_type

QUEUES = queues()

KEY_ARN = {"Fn::GetAtt": [ids.KEY, "Arn"]}


def _queues_by_name(template: Template) -> dict[str, dict[str, object]]:
    queues = of_type(template, "AWS::SQS::Queue")
    return {str(q["Properties"]["QueueName"]): q["Properties"] for q in queues.values()}


def test_every_index_the_code_queries_is_on_the_table(packaged: Template) -> None:
    table = packaged["Resources"][ids.TABLE]["Properties"]
    indexes = {index["IndexName"]: index for index in table["GlobalSecondaryIndexes"]}
    assert set(indexes) == set(keys.INDEXES)
    for name, index in indexes.items():
        assert [k["AttributeName"] for k in index["KeySchema"]] == [f"{name}PK", f"{name}SK"]


def test_table_is_on_demand_recoverable_protected_and_expires_idempotency_rows(
    packaged: Template,
) -> None:
    resource = packaged["Resources"][ids.TABLE]
    table = resource["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["DeletionProtectionEnabled"] is True
    assert table["TimeToLiveSpecification"] == {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
    assert TTL_ATTRIBUTE == "expires_at"
    assert table["SSESpecification"]["KMSMasterKeyId"] == KEY_ARN
    assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"


def test_every_queue_a_handler_consumes_exists(
    packaged: Template, app_functions: tuple[Function, ...]
) -> None:
    consumed = {f.queue for f in app_functions if f.queue}
    assert consumed == {spec.name for spec in QUEUES} | {DEAD_LETTER_QUEUE, SMS_QUEUE}
    assert consumed <= set(_queues_by_name(packaged))


def test_every_work_queue_redrives_to_the_dead_letter_queue(packaged: Template) -> None:
    queues = of_type(packaged, "AWS::SQS::Queue")
    dead_letters = ids.queue_id(DEAD_LETTER_QUEUE)
    for spec in QUEUES:
        redrive = queues[ids.queue_id(spec.name)]["Properties"]["RedrivePolicy"]
        assert get_att_target(redrive["deadLetterTargetArn"]) == dead_letters
        assert redrive["maxReceiveCount"] == MAX_RECEIVE_COUNT
    assert "RedrivePolicy" not in queues[dead_letters]["Properties"]


def test_state_machine_runs_the_repository_definition(packaged: Template) -> None:
    machine = packaged["Resources"][ids.STATE_MACHINE]["Properties"]
    assert machine["StateMachineType"] == "STANDARD"
    assert machine["DefinitionString"] == deployed_definition()
    placeholders = set(re.findall(r"\$\{(\w+)\}", machine["DefinitionString"]))
    assert placeholders == set(machine["DefinitionSubstitutions"])
    for spec in QUEUES:
        assert machine["DefinitionSubstitutions"][spec.placeholder] == {
            "Ref": ids.queue_id(spec.name)
        }


def test_deployed_definition_is_what_moto_runs_once_substituted() -> None:
    urls = {spec.name: f"https://sqs.example/{spec.name}" for spec in QUEUES}
    text = deployed_definition().replace("${" + PARTITION_PLACEHOLDER + "}", "aws")
    for spec in QUEUES:
        text = text.replace("${" + spec.placeholder + "}", urls[spec.name])
    assert text == render(urls)
    assert PARTITION_PLACEHOLDER not in {spec.placeholder for spec in QUEUES}
    assert json.loads(template())  # the document stays plain JSON


def test_the_committed_definition_is_the_one_the_catalogue_builds() -> None:
    assert ARTEFACT.read_text("utf-8") == template(), (
        "run `.venv/bin/python -m chalicelib.workflow.definition`"
    )


def test_state_machine_logs_to_an_encrypted_log_group(packaged: Template) -> None:
    logging = packaged["Resources"][ids.STATE_MACHINE]["Properties"]["LoggingConfiguration"]
    [destination] = logging["Destinations"]
    group = get_att_target(destination["CloudWatchLogsLogGroup"]["LogGroupArn"])
    assert packaged["Resources"][group]["Properties"]["KmsKeyId"] == KEY_ARN
    assert logging["Level"] in {"ERROR", "ALL"}


def test_data_at_rest_is_encrypted_with_the_stacks_key(packaged: Template) -> None:
    key = packaged["Resources"][ids.KEY]["Properties"]
    assert key["EnableKeyRotation"] is True
    for queue in _queues_by_name(packaged).values():
        assert queue["KmsMasterKeyId"] == KEY_ARN
    for topic in of_type(packaged, "AWS::SNS::Topic").values():
        assert topic["Properties"]["KmsMasterKeyId"] == KEY_ARN
    for group in of_type(packaged, "AWS::Logs::LogGroup").values():
        assert group["Properties"]["KmsKeyId"] == KEY_ARN
    bucket = packaged["Resources"][ids.BUCKET]["Properties"]
    [rule] = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": KEY_ARN,
    }


def test_uploads_bucket_is_versioned_private_and_tls_only(packaged: Template) -> None:
    resources = packaged["Resources"]
    bucket = resources[ids.BUCKET]["Properties"]
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert bucket["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": ids.ACCESS_LOG_BUCKET}
    policies = of_type(packaged, "AWS::S3::BucketPolicy").values()
    [policy] = [p for p in policies if p["Properties"]["Bucket"] == {"Ref": ids.BUCKET}]
    denials = [
        s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"
    ]
    assert [d["Condition"] for d in denials] == [{"Bool": {"aws:SecureTransport": "false"}}]


def test_alarms_watch_dead_letters_failed_executions_and_open_breaches(
    packaged: Template,
) -> None:
    alarms = [a["Properties"] for a in of_type(packaged, "AWS::CloudWatch::Alarm").values()]
    watched = {(a["Namespace"], a["MetricName"]) for a in alarms}
    assert {
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible"),
        ("AWS/States", "ExecutionsFailed"),
        (operations.BREACH_NAMESPACE, operations.BREACH_METRIC),
    } <= watched
    assert (operations.BREACH_NAMESPACE, operations.BREACH_METRIC) == (
        "Yijianshi",
        "BreachesFlagged",
    )
    dead_letters = [
        [{"Name": "QueueName", "Value": {"Fn::GetAtt": [ids.queue_id(name), "QueueName"]}}]
        for name in (DEAD_LETTER_QUEUE, SMS_DEAD_LETTER_QUEUE)
    ]
    for alarm in alarms:
        assert alarm["AlarmActions"] == [{"Ref": ids.ALARM_TOPIC}]
        if alarm["Namespace"] == "AWS/SQS":
            assert alarm["Dimensions"] in dead_letters
        if alarm["Namespace"] == "AWS/States":
            assert alarm["Dimensions"][0]["Value"] == {"Ref": ids.STATE_MACHINE}
