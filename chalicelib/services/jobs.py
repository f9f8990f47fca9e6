"""The scheduled jobs. Each reads a sparse index of exactly the rows that are due (never a
Scan) and changes each row with a conditional write, so a second run, or two runs at once,
change nothing and send nothing twice."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib import metrics
from chalicelib.domain import calendar
from chalicelib.domain.case import ItemStatus
from chalicelib.errors import StaleStateError
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import alert_department, deliver, notification
from chalicelib.services.transitions import deadline_of, due_fields
from chalicelib.store import keys
from chalicelib.store.codec import LEAD_DEPARTMENT
from chalicelib.store.records import CaseRecord, FollowUpRecord, ItemRecord
from chalicelib.store.repository import CaseChange, Scheduled, evolve

log = logging.getLogger(__name__)
PAGE = 100
START_GRACE = timedelta(minutes=2)  # a submission's own StartExecution gets this long first


@dataclass
class JobReport:
    job: str
    at: str
    read: int = 0  # items DynamoDB returned
    changed: int = 0  # rows this run changed (flagged, sent, started, recomputed)
    notified: int = 0
    skipped: int = 0  # due rows another run (or a state change) got to first

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _due(svc: Services, report: JobReport, index: str, pk: str, upto: str) -> Iterator[Scheduled]:
    cursor = None
    while True:
        page = svc.repo.scheduled(index, pk, upto, cursor, PAGE)
        report.read += page.read
        yield from page.rows
        if not page.cursor:
            return
        cursor = page.cursor


def _try(report: JobReport, change: CaseChange, svc: Services) -> bool:
    try:
        svc.repo.apply(change)
    except StaleStateError:
        report.skipped += 1
        return False
    report.changed += 1
    return True


def _case_id(row: Scheduled) -> str:
    return row.id if isinstance(row, CaseRecord) else row.case_id


def _label(row: Scheduled) -> tuple[str, str]:
    """What is late (the case, an item code, or a rating's follow-up) and whose it is."""
    if isinstance(row, ItemRecord):
        return row.code, row.department
    if isinstance(row, FollowUpRecord):
        return "follow_up", row.department
    return "case", LEAD_DEPARTMENT


def _change(row: Scheduled, **kwargs: Any) -> CaseChange:
    if isinstance(row, CaseRecord):
        return CaseChange(row.id, case=row, **kwargs)
    if isinstance(row, ItemRecord):
        return CaseChange(row.case_id, items=[row], **kwargs)
    return CaseChange(row.case_id, others=[row], **kwargs)


def flag_breaches(svc: Services, now: datetime) -> JobReport:
    report = JobReport("deadline-breaches", iso(now))
    at = iso(now)
    for row in _due(svc, report, keys.GSI_DUE, keys.DUE_PK, at):
        label, department = _label(row)
        item = None if label == "case" else label
        text = f"{'联办件' if item is None else item} 已超过办结时限 {row.due_date}"
        breach = event(_case_id(row), at, "deadline_breached", text, item=item)
        if _try(report, _change(evolve(row, breached_at=at), events=[breach]), svc):
            payload = {"application_id": _case_id(row), "item": label, "due_date": row.due_date}
            alert_department(svc, department, row.county, "deadline_breached", payload)
            report.notified += 1
    metrics.emit(metrics.BREACHES_FLAGGED, report.changed)
    return report


REMINDER_TEXT = (
    "您的个体工商户已正常经营满一年，可申领一次性开业补贴（5000元），请补充材料后提交申领。"
)


def send_reminders(svc: Services, now: datetime) -> JobReport:
    report = JobReport("subsidy-reminders", iso(now))
    at = iso(now)
    for row in _due(
        svc, report, keys.GSI_REMIND, keys.REMIND_PK, calendar.local_date(now).isoformat()
    ):
        if not isinstance(row, ItemRecord) or row.status != ItemStatus.REMINDER_SCHEDULED:
            continue
        note = notification(row, "subsidy_reminder", REMINDER_TEXT, now)
        result = {**row.result, "reminder_sent_at": at}
        sent = evolve(row, status=ItemStatus.REMINDER_SENT, updated_at=at, result=result)
        history = event(
            row.case_id, at, ItemStatus.REMINDER_SENT, "已推送创业补贴申领提醒", item=row.code
        )
        if _try(report, _change(sent, events=[history], created=[note]), svc):
            deliver(svc, note)
            report.notified += 1
    return report


def restart_unstarted(svc: Services, now: datetime) -> JobReport:
    """Start every accepted case whose workflow never ran (the process died after the write).
    Starting twice is harmless: the execution is named after the case."""
    report = JobReport("restart-unstarted", iso(now))
    for row in _due(svc, report, keys.GSI_UNSTARTED, keys.UNSTARTED_PK, iso(now - START_GRACE)):
        if isinstance(row, CaseRecord):
            fan_out = [c for c in row.items if c != "license_verification"]
            if svc.workflow.start(row.id, fan_out):
                report.changed += 1
            else:
                report.skipped += 1
    return report


def recompute_provisional(svc: Services, now: datetime) -> JobReport:
    """Deadlines computed without official holiday data, recomputed once the data exists."""
    report = JobReport("recompute-provisional", iso(now))
    far = "9999"  # every provisional row, whatever its due date
    for row in _due(svc, report, keys.GSI_PROVISIONAL, keys.PROVISIONAL_PK, far):
        if isinstance(row, FollowUpRecord):
            continue  # follow-ups are not marked provisional
        deadline = deadline_of(svc, row)
        if deadline.provisional:
            continue  # still no data for that year
        _try(report, _change(evolve(row, **due_fields(deadline))), svc)
    return report


def event_time(value: str | None) -> datetime:
    """A schedule event's ``time`` (ISO-8601, UTC, ``Z``) as an aware instant."""
    if not value:
        return datetime.now(UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


JOBS: dict[str, Callable[[Services, datetime], JobReport]] = {
    "subsidy-reminders": send_reminders,
    "deadline-breaches": flag_breaches,
    "restart-unstarted": restart_unstarted,
    "recompute-provisional": recompute_provisional,
}


def run(svc: Services, name: str, now: datetime) -> JobReport:
    report = JOBS[name](svc, now)
    log.info("job finished", extra=report.as_dict())
    return report
