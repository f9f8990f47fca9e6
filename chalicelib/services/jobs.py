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
from chalicelib.domain import calendar, catalogue
from chalicelib.domain.case import ItemStatus
from chalicelib.domain.catalogue import LEAD_DEPARTMENT
from chalicelib.domain.items import SUBSIDY_AMOUNT_CNY
from chalicelib.domain.lifecycle import Trigger
from chalicelib.domain.stats import FOLLOW_UP
from chalicelib.errors import StaleStateError
from chalicelib.services import waiting
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import alert_department, deliver, notification
from chalicelib.services.transitions import deadline_of, due_fields
from chalicelib.store.records import (
    CalendarAlertRecord,
    CaseRecord,
    FollowUpRecord,
    ItemRecord,
)
from chalicelib.store.repository import CaseChange, Cursor, Page, Scheduled, evolve, move
from chalicelib.workflow import schedules

log = logging.getLogger(__name__)
PAGE = 100
START_GRACE = timedelta(minutes=2)  # a submission's own StartExecution gets this long first
CALENDAR_MISSING = "calendar_missing"  # the admins' notification: next year's data is missing


@dataclass
class JobReport:
    job: str
    at: str
    read: int = 0  # items DynamoDB returned
    changed: int = 0  # rows this run changed (flagged, sent, started, recomputed)
    notified: int = 0
    skipped: int = 0  # due rows another run (or a state change) got to first
    # Rows whose provisional deadline passed: listed for their department, not breaches
    # (among ``changed``: each is written once).
    provisional: int = 0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _due(report: JobReport, fetch: Callable[[Cursor, int], Page]) -> Iterator[Scheduled]:
    """Every row of a job's work list, a page at a time."""
    cursor: Cursor = None
    while True:
        page = fetch(cursor, PAGE)
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
        return FOLLOW_UP, row.department
    return "case", LEAD_DEPARTMENT


def _change(row: Scheduled, **kwargs: Any) -> CaseChange:
    if isinstance(row, CaseRecord):
        return CaseChange(row.id, case=row, **kwargs)
    if isinstance(row, ItemRecord):
        return CaseChange(row.case_id, items=[row], **kwargs)
    return CaseChange(row.case_id, others=[row], **kwargs)


def flag_breaches(svc: Services, now: datetime) -> JobReport:
    """Flag each row past its deadline once: its history, its department's alert, the counts.
    A deadline computed without the year's official holiday data is a guess (weekends only:
    the days around Spring Festival would call cases late that are not), so a row past it is
    only marked: its department lists it as provisional, the applicant is told nothing and no
    count includes it, until the year's data is loaded and ``recompute_provisional`` puts it
    back under its real deadline (docs/domain.md §5)."""
    report = JobReport(schedules.DEADLINE_BREACHES, iso(now))
    at = iso(now)
    for row in _due(report, lambda cursor, limit: svc.repo.due(at, cursor, limit)):
        if row.due_provisional:
            if _try(report, _change(evolve(row, provisional_breach_at=at)), svc):
                report.provisional += 1
            continue
        label, department = _label(row)
        item = None if label == "case" else label
        text = f"{'联办件' if item is None else item} 已超过办结时限 {row.due_date}"
        stage = row.stage if isinstance(row, FollowUpRecord) else ""  # a call-back per stage
        breach = event(_case_id(row), at, "deadline_breached", text, item=item, key=stage)
        if _try(report, _change(evolve(row, breached_at=at), events=[breach]), svc):
            payload = {"application_id": _case_id(row), "item": label, "due_date": row.due_date}
            alert_department(svc, department, row.county, "deadline_breached", payload)
            report.notified += 1
    metrics.emit(metrics.BREACHES_FLAGGED, report.changed - report.provisional)
    return report


REMINDER_TEXT = (
    f"您的个体工商户已正常经营满一年，可申领一次性开业补贴（{SUBSIDY_AMOUNT_CNY}元），"
    "请补充材料后提交申领。"
)


def send_reminders(svc: Services, now: datetime) -> JobReport:
    report = JobReport(schedules.SUBSIDY_REMINDERS, iso(now))
    at = iso(now)
    today = calendar.local_date(now).isoformat()
    for row in _due(report, lambda cursor, limit: svc.repo.reminders_due(today, cursor, limit)):
        if not isinstance(row, ItemRecord) or row.status != ItemStatus.REMINDER_SCHEDULED:
            continue
        note = notification(row, "subsidy_reminder", REMINDER_TEXT, now)
        result = {**row.result, "reminder_sent_at": at}
        sent = move(row, ItemStatus.REMINDER_SENT, Trigger.REMINDER, updated_at=at, result=result)
        history = event(
            row.case_id, at, ItemStatus.REMINDER_SENT, "已推送创业补贴申领提醒", item=row.code
        )
        if _try(report, _change(sent, events=[history], created=[note]), svc):
            deliver(svc, note)
            report.notified += 1
    return report


def restart_unstarted(svc: Services, now: datetime) -> JobReport:
    """Start every accepted case whose workflow never ran (the process died after the write).
    Starting twice is harmless: the execution is named after the case. Then send again the
    task of every item waiting for a department whose retry never came back (its message was
    lost): the item's attempt count makes any late duplicate a no-op."""
    report = JobReport(schedules.RESTART_UNSTARTED, iso(now))
    before = iso(now - START_GRACE)
    for row in _due(report, lambda cursor, limit: svc.repo.unstarted(before, cursor, limit)):
        if isinstance(row, CaseRecord):
            if svc.workflow.start(row.id, catalogue.fan_out(row.items)):
                report.changed += 1
            else:
                report.skipped += 1
    at = iso(now)
    for row in _due(report, lambda cursor, limit: svc.repo.lost_retries(at, cursor, limit)):
        if isinstance(row, ItemRecord) and row.status == ItemStatus.WAITING_FOR_DEPARTMENT:
            _resend(svc, report, row, now)
    return report


def _resend(svc: Services, report: JobReport, item: ItemRecord, now: datetime) -> None:
    info = {**(item.department_call or {}), "next_attempt_at": waiting.next_attempt_at(now, 0)}
    if _try(report, _change(evolve(item, department_call=info, updated_at=iso(now))), svc):
        attempt = waiting.attempts_of(item)
        svc.queues.send(item.code, item.case_id, item.task_token, attempt=attempt)


def recompute_provisional(svc: Services, now: datetime) -> JobReport:
    """Deadlines computed without official holiday data (cases, items and call-backs),
    recomputed once the data exists. A row seen past its provisional deadline goes back to
    the breach job's list under the real one, which flags it if it is late after all."""
    report = JobReport(schedules.RECOMPUTE_PROVISIONAL, iso(now))
    for row in _due(report, svc.repo.provisional):
        deadline = deadline_of(svc, row)
        if deadline.provisional:
            continue  # still no data for that year
        recomputed = evolve(row, **due_fields(deadline), provisional_breach_at=None)
        _try(report, _change(recomputed), svc)
    return report


def watch_calendar(svc: Services, now: datetime) -> JobReport:
    """From 1 November, while next year's official holiday data is missing, tell the admins
    once a day (a notification, and the metric an alarm watches): deadlines reaching into
    that year are only provisional until it is loaded (docs/domain.md §5)."""
    report = JobReport(schedules.CALENDAR_CHECK, iso(now))
    today = calendar.local_date(now)
    year = calendar.missing_next_year(today, svc.calendar)
    metrics.emit(metrics.NEXT_YEAR_HOLIDAYS_MISSING, 0 if year is None else 1)
    if year is None:
        return report
    alert = CalendarAlertRecord(year=year, day=today.isoformat(), at=iso(now))
    if not svc.repo.record_calendar_alert(alert):
        report.skipped += 1  # that day's alert went out already
        return report
    report.changed += 1
    text = (
        f"{year} 年法定节假日安排尚未载入：办结时限跨入 {year} 年的办件暂按周末推算（暂定），"
        f"请在国务院办公厅通知发布后通过 PUT /v1/admin/calendar/{year} 载入，"
        "再运行 recompute-provisional。"
    )
    payload = {"year": year, "day": alert.day, "text": text}
    svc.notifier.send("admin", CALENDAR_MISSING, payload)
    report.notified += 1
    return report


def event_time(value: str | None) -> datetime:
    """A schedule event's ``time`` (ISO-8601, UTC, ``Z``) as an aware instant."""
    if not value:
        return datetime.now(UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


JOBS: dict[str, Callable[[Services, datetime], JobReport]] = {
    schedules.SUBSIDY_REMINDERS: send_reminders,
    schedules.DEADLINE_BREACHES: flag_breaches,
    schedules.RESTART_UNSTARTED: restart_unstarted,
    schedules.RECOMPUTE_PROVISIONAL: recompute_provisional,
    schedules.CALENDAR_CHECK: watch_calendar,
}


def run(svc: Services, name: str, now: datetime) -> JobReport:
    report = JOBS[name](svc, now)
    log.info("job finished", extra=report.as_dict())
    return report
