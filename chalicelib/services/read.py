"""Use cases that read: one case, my cases, my certificates, a department's queue."""

from __future__ import annotations

from datetime import date

from chalicelib.domain import calendar
from chalicelib.domain.access import Principal, Role, can_view_case
from chalicelib.errors import Forbidden, NotFound
from chalicelib.services.context import Services
from chalicelib.store.records import (
    CaseBundle,
    CaseRecord,
    CertificateRecord,
    ItemRecord,
    NoticeRecord,
    NotificationRecord,
)
from chalicelib.store.repository import Scheduled

TASK_STATUSES = ("pending", "decided")


def case_for(svc: Services, who: Principal, case_id: str) -> CaseBundle:
    bundle = svc.repo.load_case(case_id)
    if bundle is None or not can_view_case(
        who, bundle.case.person_key, bundle.case.clerk, bundle.case.county, bundle.case.departments
    ):
        # The same answer for "not yours" as for "not there": ids cannot be probed.
        raise NotFound("未找到该办件")
    return bundle


def my_cases(svc: Services, who: Principal) -> list[CaseRecord]:
    if who.role is Role.CLERK:
        return svc.repo.cases_of_clerk(who.subject)
    return svc.repo.cases_of_person(who.subject)


def my_certificates(svc: Services, who: Principal) -> list[CertificateRecord]:
    return sorted(
        svc.repo.certificates(who.subject), key=lambda c: (c.issued_on, c.number), reverse=True
    )


def department_tasks(
    svc: Services, who: Principal, department: str, status: str
) -> list[ItemRecord]:
    if who.department != department:
        raise Forbidden("只能查看本部门的待办事项", code="department.mismatch")
    return svc.repo.tasks(department, who.county or "", status)


def my_notifications(svc: Services, who: Principal) -> list[NotificationRecord]:
    return svc.repo.notifications(who.subject)


def department_breaches(
    svc: Services, who: Principal, department: str
) -> list[tuple[Scheduled, int]]:
    """Open breaches of the officer's department and county, with working days late so far."""
    if who.department != department:
        raise Forbidden("只能查看本部门的超期事项", code="department.mismatch")
    today = calendar.local_date(svc.clock())
    rows = svc.repo.breaches(department, who.county or "")
    return [
        (row, svc.calendar.working_days_between(date.fromisoformat(row.due_date), today))
        for row in rows
    ]


def subsidy_notice(svc: Services) -> list[NoticeRecord]:
    return svc.repo.notices()
