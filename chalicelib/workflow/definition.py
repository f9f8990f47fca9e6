"""The state machine, in Amazon States Language, built from the item catalogue: verify the
licence (the catalogue's gate) first, fan out over the chosen items with a ``Map`` whose
branches are the catalogue's other items, record the outcome. Each task sends its item's
queue a message with a task token; the item's Lambda answers.

``definition.asl.json`` beside this module is the same document written out for readers and
diffs (``python -m chalicelib.workflow.definition``; a test fails when it is stale). Queue
URLs are ``${Placeholder}``s, filled in locally by ``render`` and in AWS by CloudFormation's
``DefinitionSubstitutions``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from chalicelib.domain import catalogue
from chalicelib.workflow.queues import FINALIZE, queues

ARTEFACT = Path(__file__).with_name("definition.asl.json")
_SEND = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
_CATCH_ALL = ["States.ALL"]


def _task(placeholder: str, body: dict[str, Any], **rest: Any) -> dict[str, Any]:
    message = {**body, "task_token.$": "$$.Task.Token"}
    params = {"QueueUrl": "${" + placeholder + "}", "MessageBody": message}
    return {"Type": "Task", "Resource": _SEND, "Parameters": params, **rest}


def _gate_states(gate: catalogue.ItemSpec) -> dict[str, Any]:
    failed, decided = f"{gate.state}Failed", f"{gate.state}Passed?"
    body = {"case_id.$": "$.case_id", "item": gate.code}
    catch = [{"ErrorEquals": _CATCH_ALL, "ResultPath": "$.error", "Next": failed}]
    return {
        gate.state: _task(gate.placeholder, body, ResultPath="$.gate", Catch=catch, Next=decided),
        failed: {
            "Type": "Pass",
            "Result": {"code": gate.code, "status": "failed"},
            "ResultPath": "$.gate",
            "Next": "NothingHandled",
        },
        decided: {
            "Type": "Choice",
            "Comment": "A corrected form (补正) sends the case back to the gate.",
            "Choices": [
                {"Variable": "$.gate.status", "StringEquals": "resubmitted", "Next": gate.state},
                {
                    "And": [
                        {"Variable": "$.gate.status", "StringEquals": "completed"},
                        {"Variable": "$.has_items", "BooleanEquals": True},
                    ],
                    "Next": "HandleItems",
                },
            ],
            "Default": "NothingHandled",
        },
        "NothingHandled": {
            "Type": "Pass",
            "Result": [],
            "ResultPath": "$.results",
            "Next": "RecordOutcome",
        },
    }


def _item_states(items: tuple[catalogue.ItemSpec, ...]) -> dict[str, Any]:
    body = {"case_id.$": "$.case_id", "item.$": "$.code"}
    catch = [{"ErrorEquals": _CATCH_ALL, "ResultPath": "$.error", "Next": "ItemFailed"}]
    states: dict[str, Any] = {
        "RouteItem": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.code", "StringEquals": s.code, "Next": s.state} for s in items
            ],
            "Default": "UnknownItem",
        },
        "UnknownItem": {
            "Type": "Pass",
            "Parameters": {"code.$": "$.code", "status": "failed", "cause": "unknown item"},
            "End": True,
        },
        "ItemFailed": {
            "Type": "Pass",
            "Parameters": {"code.$": "$.code", "status": "failed", "cause.$": "$.error.Error"},
            "End": True,
        },
    }
    states |= {s.state: _task(s.placeholder, body, Catch=catch, End=True) for s in items}
    return states


def definition() -> dict[str, Any]:
    gate = catalogue.gate()
    branches = tuple(s for s in catalogue.items() if not s.gate)
    finalize = next(q for q in queues() if q.key == FINALIZE)
    record = {
        "case_id.$": "$.case_id",
        "item": FINALIZE,
        "gate.$": "$.gate",
        "results.$": "$.results",
    }
    return {
        "Comment": "个人创业一件事: verify the licence, fan out to the chosen items, record the "
        "outcome. Generated from the item catalogue (chalicelib/workflow/definition.py).",
        "StartAt": gate.state,
        "States": {
            **_gate_states(gate),
            "HandleItems": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"case_id.$": "$.case_id", "code.$": "$$.Map.Item.Value"},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "RouteItem",
                    "States": _item_states(branches),
                },
                "ResultPath": "$.results",
                "Next": "RecordOutcome",
            },
            "RecordOutcome": _task(finalize.placeholder, record, End=True),
        },
    }


def template() -> str:
    """The definition with its ``${Placeholder}``s, as the artefact and the template hold it."""
    return json.dumps(definition(), indent=2, ensure_ascii=False) + "\n"


def render(queue_urls: Mapping[str, str]) -> str:
    """The definition with every ``${Placeholder}`` replaced by its queue's URL (by queue name),
    as CloudFormation's ``DefinitionSubstitutions`` does in deployment."""
    text = template()
    for spec in queues():
        text = text.replace("${" + spec.placeholder + "}", queue_urls[spec.name])
    return text


def main() -> int:
    ARTEFACT.write_text(template(), "utf-8")
    print(f"wrote {ARTEFACT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
