"""Stored rows as pydantic models: what the table holds, validated on the way in and out."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class CaseRecord(Row):
    id: str
    status: str
    channel: str
    county: str
    person_key: str
    clerk: str | None = None
    items: list[str]
    departments: list[str]
    accepted_at: str  # UTC ISO-8601
    due_date: str  # Asia/Shanghai date
    due_at: str  # UTC instant: end of the due working day
    due_provisional: bool = False
    business: dict[str, str]
    form: dict[str, Any]  # the application as submitted (archive of record)
    form_hash: str
    updated_at: str
    version: int = 1


class ItemRecord(Row):
    case_id: str
    code: str
    status: str
    department: str
    county: str
    due_date: str
    due_at: str
    result: dict[str, Any] = Field(default_factory=dict)
    task_token: str | None = None
    task_status: str | None = None  # set while the item sits in a department's queue
    reminder_date: str | None = None
    updated_at: str


class EventRecord(Row):
    case_id: str
    at: str
    seq: str
    type: str
    actor: str  # applicant | clerk | officer | system
    actor_id: str | None = None
    item: str | None = None
    detail: str = ""


class CertificateRecord(Row):
    person_key: str
    number: str
    type: str
    issued_on: str
    application_id: str


class IdempotencyRecord(Row):
    scope: str
    client_key: str
    request_hash: str
    case_id: str
    expires_at: int  # epoch seconds, the table's TTL attribute


class CaseBundle(Row):
    """Everything one ``Query`` on a case's partition returns."""

    case: CaseRecord
    items: list[ItemRecord]
    events: list[EventRecord]
