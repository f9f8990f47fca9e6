"""The contract between the state machine and the item handlers: the SQS message bodies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TaskMessage(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    case_id: str
    item: str
    task_token: str


class ItemResult(BaseModel):
    """What each item's task answers the state machine (and what a Catch produces)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    code: str
    status: str
    cause: str | None = None


class FinalizeMessage(TaskMessage):
    gate: dict[str, Any] = Field(default_factory=dict)  # the gate item's answer
    results: list[ItemResult] = Field(default_factory=list)
