"""The change events integrators follow (GET /v1/events): a stable type for each kind of
case history entry, so a client branches on ``type`` and never parses history text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain import catalogue
from chalicelib.domain.stats import FOLLOW_UP  # what the breach job names a late follow-up


class EventType(StrEnum):
    CASE_ACCEPTED = "case.accepted"
    CASE_IN_PROGRESS = "case.in_progress"
    CASE_FINISHED = "case.finished"  # status: completed | partially_completed | rejected
    CASE_WITHDRAWN = "case.withdrawn"
    CASE_RATED = "case.rated"
    CASE_OWNER_CHANGED = "case.owner_changed"  # 首问负责: taken or handed over
    ITEM_STATUS_CHANGED = "item.status_changed"  # status: the item's new status
    CORRECTION_REQUESTED = "correction.requested"
    CORRECTION_SUBMITTED = "correction.submitted"
    DEADLINE_BREACHED = "deadline.breached"  # item set: that item's deadline; else the case's
    SUBSIDY_REMINDED = "subsidy.reminded"
    SUBSIDY_CLAIMED = "subsidy.claimed"
    DELIVERY_DISPATCHED = "delivery.dispatched"
    DELIVERY_HANDED_OVER = "delivery.handed_over"
    FOLLOW_UP_BREACHED = "follow_up.breached"
    FOLLOW_UP_CLOSED = "follow_up.closed"


# History kinds (services.history.event's ``kind``) that name a case-level fact. ``None``:
# recorded in the history but not published (``submitted`` is written in the same
# transaction as ``accepted``, which says everything an integrator needs).
CASE_KINDS: dict[str, EventType | None] = {
    "submitted": None,
    "accepted": EventType.CASE_ACCEPTED,
    "in_progress": EventType.CASE_IN_PROGRESS,
    "completed": EventType.CASE_FINISHED,
    "partially_completed": EventType.CASE_FINISHED,
    "rejected": EventType.CASE_FINISHED,
    "withdrawn": EventType.CASE_WITHDRAWN,
    "rated": EventType.CASE_RATED,
    "ownership_taken": EventType.CASE_OWNER_CHANGED,
    "handed_over": EventType.CASE_OWNER_CHANGED,
    "correction_required": EventType.CORRECTION_REQUESTED,
    "corrected": EventType.CORRECTION_SUBMITTED,
    "deadline_breached": EventType.DEADLINE_BREACHED,
    "delivery_dispatched": EventType.DELIVERY_DISPATCHED,
    "delivery_handed_over": EventType.DELIVERY_HANDED_OVER,
    "pickup_code_reissued": None,  # a security fact of the counter, not a change of the case
    "follow_up_closed": EventType.FOLLOW_UP_CLOSED,
    "retried": None,  # written on an item only (a person retried it): its status change says it
}
# Kinds on an item with a type of their own; every other item kind is an item status.
ITEM_KINDS: dict[str, EventType] = {
    "correction_required": EventType.CORRECTION_REQUESTED,
    "deadline_breached": EventType.DEADLINE_BREACHED,
    "reminder_sent": EventType.SUBSIDY_REMINDED,
    "claimed": EventType.SUBSIDY_CLAIMED,
}


def event_type(kind: str, item: str | None) -> EventType | None:
    """The published type of a history entry; ``None`` if it is not published. A kind not
    classified here is not published (tests check every kind the services write is)."""
    if item == FOLLOW_UP:
        return EventType.FOLLOW_UP_BREACHED if kind == "deadline_breached" else None
    if item is None:
        return CASE_KINDS.get(kind)
    if item not in catalogue.codes():
        return None
    return ITEM_KINDS.get(kind, EventType.ITEM_STATUS_CHANGED)


@dataclass(frozen=True)
class FeedScope:
    """Whose change feed: a person's, a county's, one department's in a county, or (nothing
    set) the whole city's."""

    person_key: str | None = None
    county: str | None = None
    department: str | None = None
