"""The joint case and its items: codes, departments, statuses and the case's outcome."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class ItemCode(StrEnum):
    LICENSE_VERIFICATION = "license_verification"
    TAXPAYER_CONFIRMATION = "taxpayer_confirmation"
    EMPLOYMENT_CERTIFICATE = "employment_certificate"
    PENSION_REGISTRATION = "pension_registration"
    STARTUP_SUBSIDY = "startup_subsidy"


class Department(StrEnum):
    MARKET_REGULATION = "market_regulation"
    TAX = "tax"
    HRSS = "hrss"


class Channel(StrEnum):
    ONLINE = "online"
    WINDOW = "window"


class CaseStatus(StrEnum):
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    PARTIALLY_COMPLETED = "partially_completed"
    REJECTED = "rejected"
    CORRECTION_REQUIRED = "correction_required"
    WITHDRAWN = "withdrawn"


class ItemStatus(StrEnum):
    PENDING = "pending"
    DISPATCHED = "dispatched"
    IN_REVIEW = "in_review"
    COMPLETED = "completed"
    REFUSED = "refused"
    FAILED = "failed"
    NOT_HANDLED = "not_handled"
    REMINDER_SCHEDULED = "reminder_scheduled"
    REMINDER_SENT = "reminder_sent"
    CLAIMED = "claimed"
    APPROVED = "approved"
    REJECTED = "rejected"
    CORRECTION_REQUIRED = "correction_required"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ItemSpec:
    code: ItemCode
    name: str
    department: Department
    time_limit_working_days: int  # 0 = instant (办结 the same day)


CATALOGUE: Mapping[ItemCode, ItemSpec] = {
    spec.code: spec
    for spec in (
        ItemSpec(
            ItemCode.LICENSE_VERIFICATION,
            "经营主体营业执照信息核验",
            Department.MARKET_REGULATION,
            0,
        ),
        ItemSpec(ItemCode.TAXPAYER_CONFIRMATION, "纳税人信息确认", Department.TAX, 0),
        ItemSpec(ItemCode.EMPLOYMENT_CERTIFICATE, "就业创业证申领", Department.HRSS, 0),
        ItemSpec(
            ItemCode.PENSION_REGISTRATION,
            "无雇工个体工商户及灵活就业人员参加养老保险登记",
            Department.HRSS,
            10,
        ),
        ItemSpec(ItemCode.STARTUP_SUBSIDY, "创业补贴申领", Department.HRSS, 0),
    )
}

# The start-up subsidy's own life after the joint case: reminder, claim, decision.
SUBSIDY_AFTERLIFE = frozenset(
    {
        ItemStatus.REMINDER_SCHEDULED,
        ItemStatus.REMINDER_SENT,
        ItemStatus.CLAIMED,
        ItemStatus.APPROVED,
        ItemStatus.REJECTED,
    }
)
# An item in one of these states needs nothing more from anyone for the case to finish; the
# subsidy counts as finished for the case once its one-year reminder is scheduled.
FINISHED = frozenset(
    {
        ItemStatus.COMPLETED,
        ItemStatus.REFUSED,
        ItemStatus.FAILED,
        ItemStatus.NOT_HANDLED,
        ItemStatus.WITHDRAWN,
    }
    | SUBSIDY_AFTERLIFE
)
SUCCESSFUL = SUBSIDY_AFTERLIFE - {ItemStatus.REJECTED} | {ItemStatus.COMPLETED}
FINAL_CASE_STATUSES = frozenset(
    {
        CaseStatus.COMPLETED,
        CaseStatus.PARTIALLY_COMPLETED,
        CaseStatus.REJECTED,
        CaseStatus.WITHDRAWN,
    }
)
# Items waiting for someone outside the department: their clock is stopped.
WAITING_FOR_APPLICANT = frozenset({ItemStatus.CORRECTION_REQUIRED})


def with_gate(chosen: Iterable[ItemCode]) -> list[ItemCode]:
    """The items a case handles: licence verification gates every other item, so it always
    runs first, whether or not the applicant ticked it."""
    picked = set(chosen)
    picked.add(ItemCode.LICENSE_VERIFICATION)
    return [code for code in ItemCode if code in picked]


def departments_of(items: Iterable[ItemCode]) -> list[Department]:
    return sorted({CATALOGUE[code].department for code in items})


def case_outcome(statuses: Mapping[ItemCode, ItemStatus]) -> CaseStatus:
    """The case's final status once every item has finished."""
    if statuses.get(ItemCode.LICENSE_VERIFICATION) is not ItemStatus.COMPLETED:
        return CaseStatus.REJECTED
    if all(status in SUCCESSFUL for status in statuses.values()):
        return CaseStatus.COMPLETED
    return CaseStatus.PARTIALLY_COMPLETED


@dataclass(frozen=True)
class Outcome:
    """What an item handler decided: the new status, the result the applicant sees, and the
    event's detail. ``wait_for_person`` means a person acts next (an officer decides, or the
    applicant corrects the form): the workflow's task token is kept until they do."""

    status: ItemStatus
    detail: str
    result: Mapping[str, object]
    wait_for_person: bool = False

    @property
    def succeeded(self) -> bool:
        return self.status in SUCCESSFUL
