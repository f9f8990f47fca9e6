"""What several use cases share: the facts a decision needs, certificate numbers, and
closing an item or case (recording how late it finished, in working days)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from chalicelib.domain import calendar, catalogue, items
from chalicelib.domain.lifecycle import Trigger
from chalicelib.domain.raw_form import identity_of
from chalicelib.services.context import Services, iso
from chalicelib.services.personal import clear_form
from chalicelib.settings import CASE_TIME_LIMIT_WORKING_DAYS
from chalicelib.store.records import CaseBundle, CaseRecord, FollowUpRecord, ItemRecord
from chalicelib.store.repository import move


def facts_of(svc: Services, bundle: CaseBundle, today: date, **known: Any) -> items.Facts:
    """What a decision on the case's items rests on: the form (its sealed fields opened) and
    whatever the caller looked up (``known``: the registry's record, a grant on file)."""
    form = clear_form(svc.cipher, bundle.case)
    applicant = form["applicant"]
    info, _ = identity_of(applicant, today)
    birth = info.birth_date if info and info.birth_date else _date(applicant.get("birth_date"))
    return items.Facts(
        today=today,
        person_key=bundle.case.person_key,
        birth_date=birth,
        gender=applicant["gender"],
        business_name=form["business"]["name"],
        uscc=form["business"]["uscc"],
        female_retirement_age=svc.settings.female_retirement_age,
        subsidy_category=(form.get("subsidy") or {}).get("category"),
        pension_base=(form.get("pension") or {}).get("contribution_base"),
        sections={s.name: form[s.name] for _, s in catalogue.form_sections() if form.get(s.name)},
        **known,
    )


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def case_time_limit(case_items: Iterable[str]) -> int:
    """Working days the case has: its longest item's, at most CASE_TIME_LIMIT_WORKING_DAYS."""
    return catalogue.case_time_limit(case_items, CASE_TIME_LIMIT_WORKING_DAYS)


def time_limit_of(row: CaseRecord | ItemRecord) -> int:
    if isinstance(row, CaseRecord):
        return case_time_limit(row.items)
    return catalogue.spec(row.code).time_limit_working_days


def deadline_of(svc: Services, row: CaseRecord | ItemRecord | FollowUpRecord) -> calendar.Deadline:
    """The row's deadline under the calendar data known now: a case's or an item's from its
    clock's start, a call-back's from the day it was opened."""
    if isinstance(row, FollowUpRecord):
        start = calendar.local_date(datetime.fromisoformat(row.opened_at))
        limit = row.time_limit_working_days or svc.settings.follow_up_working_days
        return svc.calendar.add_working_days(start, limit)
    return svc.calendar.add_working_days(date.fromisoformat(row.clock_start), time_limit_of(row))


def due_fields(deadline: calendar.Deadline) -> dict[str, object]:
    """How a deadline is stored: the local date, the instant (end of that working day, in
    UTC) and whether it rests on official holiday data."""
    return {
        "due_date": deadline.due_date.isoformat(),
        "due_at": iso(calendar.end_of_local_day(deadline.due_date)),
        "due_provisional": deadline.provisional,
    }


def lateness(svc: Services, due_at: str, due_date: str, now: datetime) -> int | None:
    """Working days past the due date, if finished after the due instant."""
    if iso(now) <= due_at:
        return None
    return svc.calendar.working_days_between(date.fromisoformat(due_date), calendar.local_date(now))


def close_item(
    svc: Services,
    item: ItemRecord,
    now: datetime,
    status: str,
    trigger: Trigger,
    **changes: object,
) -> ItemRecord:
    """The item in its final ``status`` (or the subsidy's reminder), with how long it took."""
    late = lateness(svc, item.due_at, item.due_date, now)
    taken = svc.calendar.working_days_between(
        date.fromisoformat(item.clock_start), calendar.local_date(now)
    )
    return move(
        item,
        status,
        trigger,
        finished_at=iso(now),
        working_days_late=late,
        working_days_taken=taken,
        updated_at=iso(now),
        **changes,
    )


def close_case(
    svc: Services, case: CaseRecord, now: datetime, status: str, trigger: Trigger
) -> CaseRecord:
    late = lateness(svc, case.due_at, case.due_date, now)
    return move(
        case, status, trigger, finished_at=iso(now), working_days_late=late, updated_at=iso(now)
    )
