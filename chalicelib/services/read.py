"""Use cases that read: one case, my cases, my certificates, a department's queue."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from chalicelib.domain import calendar
from chalicelib.domain.access import Principal, Role, can_view_case
from chalicelib.domain.disclosure import PersonalField, disclose, is_staff, shown_in_clear
from chalicelib.errors import InvalidArgument, NotFound, NotPermitted
from chalicelib.services.context import Services
from chalicelib.services.personal import clear_form
from chalicelib.store.listings import BreachListing, CaseListing, TaskListing
from chalicelib.store.records import (
    AccessRecord,
    CaseBundle,
    CaseRecord,
    CertificateRecord,
    NoticeRecord,
    NotificationRecord,
)

TASK_STATUSES = ("pending", "decided", "failed")


def case_for(svc: Services, who: Principal, case_id: str) -> CaseBundle:
    bundle = svc.repo.load_case(case_id)
    if bundle is None or not can_view_case(
        who, bundle.case.person_key, bundle.case.clerk, bundle.case.county, bundle.case.departments
    ):
        # The same answer for "not yours" as for "not there": ids cannot be probed.
        raise NotFound("未找到该办件")
    return bundle


@dataclass(frozen=True)
class Purpose:
    """Why personal data is read: the route's operation, and the request (the audit trail's
    idempotency key: a retried request is one read)."""

    operation: str
    request_id: str
    at: str = ""  # when the request arrived (UTC ISO): a retry of it is then the same read


@dataclass(frozen=True)
class Agent:
    """The applicant's agent at the window (受委托人), masked like the applicant's fields."""

    name: str
    id_type: str
    id_number: str
    relationship: str


@dataclass(frozen=True)
class Personal:
    """The applicant's personal fields as this reader may see them (masked unless ``clear``),
    and their agent's, if one acted for them."""

    name: str
    id_type: str
    id_number: str
    phone: str
    bank: str | None
    account: str | None
    clear: frozenset[PersonalField]
    agent: Agent | None = None


def case_with_personal(
    svc: Services, who: Principal, case_id: str, purpose: Purpose
) -> tuple[CaseBundle, Personal]:
    """The case and its applicant's personal data, masked by ``domain.disclosure``; a staff
    read is recorded in the case's access log before anything is returned."""
    bundle = case_for(svc, who, case_id)
    clear = disclosed_to(svc, who, bundle.case, purpose)
    return bundle, _personal(svc, bundle, clear)


def disclosed_to(
    svc: Services, who: Principal, case: CaseRecord, purpose: Purpose
) -> frozenset[PersonalField]:
    """What of the case's personal data this reader sees in clear; a staff read is written to
    the case's access log before anything is returned."""
    clear = shown_in_clear(who, case.person_key, case.county, case.departments)
    if is_staff(who):
        svc.repo.record_access(
            AccessRecord(
                case_id=case.id,
                request_id=purpose.request_id,
                at=purpose.at or svc.now_iso(),
                operation=purpose.operation,
                subject=who.subject,
                role=who.role.value,
                department=who.department,
                county=who.county,
                clear=sorted(clear),
            )
        )
    return clear


def _personal(svc: Services, bundle: CaseBundle, clear: frozenset[PersonalField]) -> Personal:
    form = clear_form(svc.cipher, bundle.case)
    applicant, subsidy = form["applicant"], form.get("subsidy") or {}
    account = subsidy.get("account")
    agent = form.get("agent")
    return Personal(
        name=disclose(PersonalField.NAME, applicant["name"], clear),
        id_type=applicant["id_type"],
        id_number=disclose(PersonalField.ID_NUMBER, applicant["id_number"], clear),
        phone=disclose(PersonalField.PHONE, applicant["phone"], clear),
        bank=subsidy.get("bank"),
        account=disclose(PersonalField.ACCOUNT, account, clear) if account else None,
        clear=clear,
        agent=_agent(agent, clear) if agent else None,
    )


def _agent(agent: dict[str, str], clear: frozenset[PersonalField]) -> Agent:
    """The agent's name and ID number follow the rules of the applicant's (a reader who needs
    the applicant's name sees the agent's; nobody else does)."""
    return Agent(
        name=disclose(PersonalField.NAME, agent["name"], clear),
        id_type=agent["id_type"],
        id_number=disclose(PersonalField.ID_NUMBER, agent["id_number"], clear),
        relationship=agent["relationship"],
    )


ACCESS_LOG_LIMIT, ACCESS_LOG_MAX = 100, 500


@dataclass(frozen=True)
class AccessPage:
    entries: list[AccessRecord]
    next: str | None  # the cursor of the next page; None: this was the last


def _position(svc: Services, cursor: str | None) -> str:
    if not cursor:
        return ""
    try:
        position = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        position = ""
    if len(cursor) > 512 or not svc.repo.is_access_position(position):
        raise InvalidArgument(
            "after 参数不是有效的游标（请使用上一页返回的 next）", code="cursor.invalid"
        )
    return position


def parse_access_limit(value: str | None) -> int:
    if value is None:
        return ACCESS_LOG_LIMIT
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= ACCESS_LOG_MAX):
        raise InvalidArgument(f"limit 应为 1–{ACCESS_LOG_MAX} 的整数", code="limit.invalid")
    return int(value)


def access_log(svc: Services, case_id: str, cursor: str | None, limit: int) -> AccessPage:
    """Admins only (the route says so): who read the case's personal data, when and why,
    oldest first, a page at a time."""
    position = _position(svc, cursor)
    if svc.repo.get_case(case_id) is None:
        raise NotFound("未找到该办件")
    rows, last = svc.repo.access_log(case_id, position, limit)
    following = base64.urlsafe_b64encode(last.encode()).decode().rstrip("=") if last else None
    return AccessPage(rows, following)


# An applicant's lists read every key that names them: one Query each, so two only while a
# person-key rotation is under way (docs: README, operations).
def my_cases(svc: Services, who: Principal) -> list[CaseListing]:
    if who.role is Role.CLERK:
        return svc.repo.cases_of_clerk(who.subject)
    found = [case for key in who.keys for case in svc.repo.cases_of_person(key)]
    return sorted(found, key=lambda c: (c.accepted_at, c.id), reverse=True)


def my_certificates(svc: Services, who: Principal) -> list[CertificateRecord]:
    found = [cert for key in who.keys for cert in svc.repo.certificates(key)]
    return sorted(found, key=lambda c: (c.issued_on, c.number), reverse=True)


def department_tasks(
    svc: Services, who: Principal, department: str, status: str
) -> list[TaskListing]:
    if who.department != department:
        raise NotPermitted("只能查看本部门的待办事项", code="department.mismatch")
    return svc.repo.tasks(department, who.county or "", status)


def my_notifications(svc: Services, who: Principal) -> list[NotificationRecord]:
    found = [note for key in who.keys for note in svc.repo.notifications(key)]
    return sorted(found, key=lambda n: n.id, reverse=True)


def mark_my_notification_read(svc: Services, who: Principal, notification_id: str) -> None:
    """Mark one of the caller's own notifications read (again: no change); someone else's
    or a missing one is not found."""
    if not any(svc.repo.mark_read(key, notification_id) for key in who.keys):
        raise NotFound("未找到该消息")


def department_breaches(
    svc: Services, who: Principal, department: str
) -> list[tuple[BreachListing, int]]:
    """Open breaches of the officer's department and county, with working days late so far;
    then the provisional ones (a deadline computed without official holiday data has passed:
    shown to the department, never to the applicant, counted nowhere)."""
    if who.department != department:
        raise NotPermitted("只能查看本部门的超期事项", code="department.mismatch")
    today = calendar.local_date(svc.clock())
    county = who.county or ""
    rows = svc.repo.breaches(department, county) + svc.repo.provisional_breaches(department, county)
    return [
        (row, svc.calendar.working_days_between(date.fromisoformat(row.due_date), today))
        for row in rows
    ]


def subsidy_notice(svc: Services) -> list[NoticeRecord]:
    """The lines still in their publicity period (公示期: ``notice_working_days`` working days
    after approval, the approval day not counted): a published line does not stay public."""
    today = calendar.local_date(svc.clock())
    days = svc.settings.notice_working_days

    def public(row: NoticeRecord) -> bool:
        approved = date.fromisoformat(row.approved_on)
        return approved <= today <= svc.calendar.add_working_days(approved, days).due_date

    return [row for row in svc.repo.notices() if public(row)]
