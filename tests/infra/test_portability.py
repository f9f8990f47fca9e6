"""AWS China: every ARN takes its partition from the stack, and nothing in the template names
a partition, a region or an account, so one template deploys to cn-north-1 and cn-northwest-1
(and, unchanged, anywhere else)."""

from __future__ import annotations

import re

from tests.infra.helpers import Template, strings

LITERAL_PARTITION = re.compile(r"arn:aws(-[a-z]+)*:")
REGION = re.compile(r"\b[a-z]{2}(-gov)?-(north|south|east|west|central)(east|west)?-\d\b")
ACCOUNT_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")


def test_no_arn_names_its_partition(packaged: Template) -> None:
    assert [s for s in strings(packaged) if LITERAL_PARTITION.search(s)] == []
    arns = [s for s in strings(packaged) if s.startswith("arn:")]
    assert arns and all(s.startswith("arn:${AWS::Partition}:") for s in arns)


def test_nothing_names_a_region_or_an_account(packaged: Template) -> None:
    assert [s for s in strings(packaged) if REGION.search(s)] == []
    assert [s for s in strings(packaged) if ACCOUNT_ID.search(s)] == []


def test_state_machine_names_its_integrations_partition_through_a_substitution(
    packaged: Template,
) -> None:
    definition = packaged["Resources"]["StateMachine"]["Properties"]["DefinitionString"]
    resources = set(re.findall(r'"Resource": "([^"]+)"', definition))
    assert resources == {"arn:${Partition}:states:::sqs:sendMessage.waitForTaskToken"}
