"""The contract between the state machine and the item handlers: the SQS message bodies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TaskMessage(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    case_id: str
    item: str
    # The workflow's token for the item's task; none when the item is past the joint case (the
    # start-up subsidy's payment after its claim was approved).
    task_token: str | None = None
    # Which attempt at the item's department call this message carries (0: the first). A
    # message of an earlier attempt than the item records is a duplicate: it is dropped.
    attempt: int = 0


class ItemResult(BaseModel):
    """What each item's task answers the state machine (and what a Catch produces)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    code: str
    status: str
    cause: str | None = None


class FinalizeMessage(TaskMessage):
    task_token: str
    gate: dict[str, Any] = Field(default_factory=dict)  # the gate item's answer
    results: list[ItemResult] = Field(default_factory=list)
