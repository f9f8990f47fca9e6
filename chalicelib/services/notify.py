"""Notifications to applicants and departments: stored with the state change that caused
them (so they exist exactly once), then delivered through the notifications port."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from chalicelib.domain.rating import RATING_INVITATION, RatingStage
from chalicelib.services.context import Services, iso
from chalicelib.services.transitions import case_time_limit
from chalicelib.store.records import CaseRecord, ItemRecord, NotificationRecord


def notification(
    row: CaseRecord | ItemRecord, kind: str, text: str, now: datetime, key: str = ""
) -> NotificationRecord:
    """The applicant's notification about a case (or one of its items). ``key`` tells apart
    notices of one kind about one case (it names no item: an item's notice is made from the
    item's row)."""
    case_id = row.id if isinstance(row, CaseRecord) else row.case_id
    item = row.code if isinstance(row, ItemRecord) else None
    digest = hashlib.sha256(f"{case_id}:{kind}:{key}".encode()).hexdigest()[:8]
    return NotificationRecord(
        person_key=row.person_key,
        id=f"{now.astimezone(UTC):%Y%m%dT%H%M%S%f}-{digest}",  # sorts by time; one key read
        type=kind,
        application_id=case_id,
        at=iso(now),
        text=text,
        item=item,  # the SMS sender reads the item's outcome from the store, never the text
    )


def deliver(svc: Services, note: NotificationRecord) -> None:
    payload = {
        "id": note.id,
        "person_key": note.person_key,
        "type": note.type,
        "application_id": note.application_id,
        "text": note.text,
        "item": note.item,
    }
    svc.notifier.send("applicant", note.type, payload)


def alert_department(
    svc: Services, department: str, county: str, kind: str, payload: Mapping[str, object]
) -> None:
    svc.notifier.send("department", kind, {"department": department, "county": county, **payload})


def deliver_all(svc: Services, rows: Iterable[object]) -> None:
    """Deliver every notification among rows just stored."""
    for row in rows:
        if isinstance(row, NotificationRecord):
            deliver(svc, row)


ACCEPTED_TEXT = "您的个人创业“一件事”联办申请已受理，{due}。"


def due_text(case: CaseRecord) -> str:
    """When the case is due, as the applicant is told: a case of instant items only is due
    the day it is accepted (docs/domain.md §2)."""
    if case_time_limit(case.items) == 0:
        return f"所选事项均为即时办结事项，应于 {case.due_date} 当日办结"
    return f"应于 {case.due_date} 前办结"


def accepted_notices(case: CaseRecord) -> list[NotificationRecord]:
    """Stored with the submission: the acceptance, and the invitation to rate it (附件3
    四（五）: "受理及联办事项办结后…推送“好差评”服务"). The same records (same ids) are rebuilt to
    deliver them once the workflow's first step ran."""
    when = datetime.fromisoformat(case.accepted_at)
    accepted = notification(case, "accepted", ACCEPTED_TEXT.format(due=due_text(case)), when)
    return [accepted, rating_invitation(case, RatingStage.ACCEPTANCE, when)]


RATING_TEXT = {
    RatingStage.ACCEPTANCE: "您的联办申请已受理，欢迎对受理服务进行“好差评”评价。",
    RatingStage.COMPLETION: "您的联办申请已办结，欢迎对办理服务进行“好差评”评价。",
}


def rating_invitation(case: CaseRecord, stage: RatingStage, now: datetime) -> NotificationRecord:
    """The invitation to rate one stage (in-app only: no SMS template, docs/domain.md §9)."""
    # Keyed by the stage: both may fall in one instant.
    return notification(case, RATING_INVITATION, RATING_TEXT[stage], now, key=stage.value)


CORRECTION_TEXT = "您的联办申请需要补正，请按以下内容一次性修改后重新提交："


def correction_notice(
    case: CaseRecord, corrections: Sequence[Mapping[str, str]], now: datetime
) -> NotificationRecord:
    """一次告知: every field to correct and why, in one notice."""
    lines = "；".join(f"{c['field']}：{c['reason']}" for c in corrections)
    return notification(case, "correction_required", CORRECTION_TEXT + lines, now)
