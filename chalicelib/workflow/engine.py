"""The workflow port (start a case, answer a task) and its Step Functions implementation."""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import WorkflowUnavailable

log = logging.getLogger(__name__)
MAX_DELAY_S = 900  # SQS's longest delivery delay

# A token whose task already closed (an earlier delivery answered it, or the execution
# ended): answering it again is the at-least-once case, not an error.
_CLOSED_TOKEN_ERRORS = frozenset({"TaskTimedOut", "TaskDoesNotExist", "InvalidToken"})


class Workflow(ABC):
    @abstractmethod
    def start(self, case_id: str, items: Sequence[str]) -> bool:
        """Start the case's execution; ``False`` if it had already started,
        ``WorkflowUnavailable`` if the engine did not take it (a sweeper starts it later)."""

    @abstractmethod
    def succeed(self, task_token: str, output: Mapping[str, Any]) -> None: ...

    @abstractmethod
    def fail(self, task_token: str, error: str, cause: str) -> None: ...

    @abstractmethod
    def stop(self, case_id: str, cause: str) -> None:
        """Stop the case's execution cleanly (withdrawal); nothing if it already ended."""


class StepFunctionsWorkflow(Workflow):
    def __init__(self, client: Any, state_machine_arn: str) -> None:
        self._client = client
        self._arn = state_machine_arn

    def start(self, case_id: str, items: Sequence[str]) -> bool:
        payload = {"case_id": case_id, "items": list(items), "has_items": bool(items)}
        try:
            # The execution's name is the case id: Step Functions refuses a second start.
            self._client.start_execution(
                stateMachineArn=self._arn, name=case_id, input=json.dumps(payload)
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ExecutionAlreadyExists":
                return False
            raise WorkflowUnavailable(exc.response["Error"]["Code"]) from exc
        except BotoCoreError as exc:
            raise WorkflowUnavailable(type(exc).__name__) from exc
        return True

    def succeed(self, task_token: str, output: Mapping[str, Any]) -> None:
        self._answer(
            self._client.send_task_success, taskToken=task_token, output=json.dumps(output)
        )

    def fail(self, task_token: str, error: str, cause: str) -> None:
        self._answer(self._client.send_task_failure, taskToken=task_token, error=error, cause=cause)

    def stop(self, case_id: str, cause: str) -> None:
        prefix, _, name = self._arn.rpartition(":stateMachine:")
        execution = f"{prefix}:execution:{name}:{case_id}"
        try:
            self._client.stop_execution(executionArn=execution, error="Withdrawn", cause=cause)
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in ("ExecutionDoesNotExist", "InvalidArn"):
                raise

    @staticmethod
    def _answer(call: Any, **kwargs: Any) -> None:
        try:
            call(**kwargs)
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code not in _CLOSED_TOKEN_ERRORS:
                raise
            log.info("task already answered", extra={"error_code": code})


class ItemQueues(ABC):
    @abstractmethod
    def send(
        self, item: str, case_id: str, task_token: str | None, delay_s: int = 0, attempt: int = 0
    ) -> None:
        """Put the item's task on its queue again, visible after ``delay_s`` (at most 900):
        its handler takes it from where it is."""


class SqsItemQueues(ItemQueues):
    def __init__(self, client: Any) -> None:
        self._client = client
        self._urls: dict[str, str] = {}

    def send(
        self, item: str, case_id: str, task_token: str | None, delay_s: int = 0, attempt: int = 0
    ) -> None:
        from chalicelib.domain import catalogue

        name = catalogue.spec(item).queue
        if name not in self._urls:  # once per queue and process
            self._urls[name] = self._client.get_queue_url(QueueName=name)["QueueUrl"]
        body = {"case_id": case_id, "item": item, "task_token": task_token, "attempt": attempt}
        self._client.send_message(
            QueueUrl=self._urls[name],
            MessageBody=json.dumps(body),
            DelaySeconds=max(0, min(delay_s, MAX_DELAY_S)),
        )
