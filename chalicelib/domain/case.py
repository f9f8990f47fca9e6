"""The joint case and its items: the shipped items' codes, statuses and what an item's handling
decided. What differs between items is in ``domain.catalogue``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ItemCode(StrEnum):
    """The codes of the plan's five items (the catalogue may hold more)."""

    LICENSE_VERIFICATION = "license_verification"
    TAXPAYER_CONFIRMATION = "taxpayer_confirmation"
    EMPLOYMENT_CERTIFICATE = "employment_certificate"
    PENSION_REGISTRATION = "pension_registration"
    STARTUP_SUBSIDY = "startup_subsidy"


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
    WAITING_FOR_DEPARTMENT = "waiting_for_department"  # its system is down or slow: retried
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
# subsidy counts as finished for the case once its one-year reminder is scheduled. A failed
# item is not: a person takes it over (retries it, or decides it by hand).
FINISHED = frozenset(
    {
        ItemStatus.COMPLETED,
        ItemStatus.REFUSED,
        ItemStatus.NOT_HANDLED,
        ItemStatus.WITHDRAWN,
    }
    | SUBSIDY_AFTERLIFE
)
# Waiting for a person: an officer's review or decision, the applicant's correction, or the
# take-over of an item the system gave up on. Its handler has nothing to do meanwhile.
WAITING_FOR_PERSON = frozenset(
    {ItemStatus.IN_REVIEW, ItemStatus.CORRECTION_REQUIRED, ItemStatus.CLAIMED, ItemStatus.FAILED}
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


@dataclass(frozen=True)
class Outcome:
    """What an item handler decided: the new status, the result the applicant sees, and the
    event's detail. ``wait_for_person`` means a person acts next (an officer decides, or the
    applicant corrects the form): the workflow's task token is kept until they do."""

    status: ItemStatus
    detail: str
    result: Mapping[str, object]
    wait_for_person: bool = False
    remind_on: date | None = None  # the start-up subsidy: when to send its one-year reminder
    # What the officer who decides the item is told (``domain.review``): points to check and
    # how each condition was established. The deciding officer's, not the applicant's.
    review: Mapping[str, object] | None = None

    @property
    def succeeded(self) -> bool:
        return self.status in SUCCESSFUL


def task_id(case_id: str, code: str) -> str:
    """A department's task: one item of one case (``<case id>.<item code>``)."""
    return f"{case_id}.{code}"


def split_task_id(value: str) -> tuple[str, str]:
    case_id, _, code = value.partition(".")
    return case_id, code
