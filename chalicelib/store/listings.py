"""What the list reads get from the indexes, which project only these attributes
(``store.schema``): never the form, an item's result or a task token."""

from __future__ import annotations

from typing import Any

from chalicelib.store.records import Row


class CaseListing(Row):
    """A case in 我的办件 or a clerk's list (GSI1, GSI2)."""

    id: str
    status: str
    channel: str
    county: str
    business: dict[str, str]
    items: list[str]
    accepted_at: str
    due_date: str


class TaskListing(Row):
    """An item in a department's queue (GSI2)."""

    case_id: str
    code: str
    status: str
    due_date: str
    task_status: str | None = None
    # A failed or waiting department call: stage, attempts and the failure's class (no
    # personal data); the queue shows officers why an item waits for them.
    department_call: dict[str, Any] | None = None
    # What the deciding officer is told (flags, conditions): codes and texts, no personal data.
    review: dict[str, Any] | None = None


class BreachListing(Row):
    """A flagged row in a department's breach list (GSI6): what is late, and since when."""

    case_id: str
    item: str  # an item code, "case" or "follow_up"
    due_date: str
    flagged_at: str
    # The deadline was computed without official holiday data: not a breach until the year's
    # data is loaded and the deadline recomputed (services.jobs.flag_breaches).
    provisional: bool = False
