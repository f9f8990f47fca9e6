"""Local and deployed cannot drift: what ``make run`` and the tests provision on moto is what
the packaged template deploys (table keys and indexes, queues, the state machine's text)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from devtools.provision import Resources
from infra import ids
from infra.workflow import PARTITION_PLACEHOLDER
from tests.infra.helpers import Template, of_type

REGION = "cn-north-1"  # the shared ``aws`` fixture's region


def _index_shapes(indexes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keep = ("IndexName", "KeySchema", "Projection")
    return sorted(({k: i[k] for k in keep} for i in indexes), key=lambda i: i["IndexName"])


def test_local_table_has_the_deployed_keys_indexes_and_expiry(
    aws: Resources, packaged: Template
) -> None:
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    local = dynamodb.describe_table(TableName=aws.table_name)["Table"]
    deployed = packaged["Resources"][ids.TABLE]["Properties"]
    assert local["KeySchema"] == deployed["KeySchema"]
    assert sorted(local["AttributeDefinitions"], key=str) == sorted(
        deployed["AttributeDefinitions"], key=str
    )
    assert _index_shapes(local["GlobalSecondaryIndexes"]) == _index_shapes(
        deployed["GlobalSecondaryIndexes"]
    )
    ttl = dynamodb.describe_time_to_live(TableName=aws.table_name)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == deployed["TimeToLiveSpecification"]["AttributeName"]


def test_local_queues_are_the_deployed_queues(aws: Resources, packaged: Template) -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    deployed = {
        q["Properties"]["QueueName"]: q["Properties"]
        for q in of_type(packaged, "AWS::SQS::Queue").values()
    }
    assert set(aws.queue_urls) == set(deployed)
    for name, url in aws.queue_urls.items():
        local = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        if "RedrivePolicy" in deployed[name]:
            redrive = json.loads(local["RedrivePolicy"])
            assert redrive["maxReceiveCount"] == deployed[name]["RedrivePolicy"]["maxReceiveCount"]
            assert int(local["VisibilityTimeout"]) == deployed[name]["VisibilityTimeout"]


def test_local_state_machine_runs_the_deployed_definition(
    aws: Resources, packaged: Template
) -> None:
    machine = packaged["Resources"][ids.STATE_MACHINE]["Properties"]
    name_of = {
        logical: q["Properties"]["QueueName"]
        for logical, q in of_type(packaged, "AWS::SQS::Queue").items()
    }
    text = machine["DefinitionString"]
    for placeholder, value in machine["DefinitionSubstitutions"].items():
        local = (
            "aws" if placeholder == PARTITION_PLACEHOLDER else aws.queue_urls[name_of[value["Ref"]]]
        )
        text = text.replace("${" + placeholder + "}", local)
    sfn = boto3.client("stepfunctions", region_name=REGION)
    local_definition = sfn.describe_state_machine(stateMachineArn=aws.state_machine_arn)[
        "definition"
    ]
    assert json.loads(local_definition) == json.loads(text)
