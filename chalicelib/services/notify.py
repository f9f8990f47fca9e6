"""Notifications to applicants and departments: stored with the state change that caused
them (so they exist exactly once), then delivered through the notifications port."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from chalicelib.services.context import Services, iso
from chalicelib.store.records import CaseRecord, ItemRecord, NotificationRecord


def notification(
    row: CaseRecord | ItemRecord, kind: str, text: str, now: datetime
) -> NotificationRecord:
    """The applicant's notification about a case (or one of its items)."""
    case_id = row.id if isinstance(row, CaseRecord) else row.case_id
    digest = hashlib.sha256(f"{case_id}:{kind}:{iso(now)}".encode()).hexdigest()[:16]
    return NotificationRecord(
        person_key=row.person_key,
        id=digest,
        type=kind,
        application_id=case_id,
        at=iso(now),
        text=text,
    )


def deliver(svc: Services, note: NotificationRecord) -> None:
    payload = {
        "id": note.id,
        "person_key": note.person_key,
        "type": note.type,
        "application_id": note.application_id,
        "text": note.text,
    }
    svc.notifier.send("applicant", note.type, payload)


def alert_department(
    svc: Services, department: str, county: str, kind: str, payload: Mapping[str, object]
) -> None:
    svc.notifier.send("department", kind, {"department": department, "county": county, **payload})
