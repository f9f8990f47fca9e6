"""The persistence port: what the services need from storage, independent of DynamoDB."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from chalicelib.domain import lifecycle
from chalicelib.domain.events import FeedScope
from chalicelib.domain.lifecycle import Trigger
from chalicelib.errors import IllegalTransition
from chalicelib.store.listings import BreachListing, CaseListing, TaskListing
from chalicelib.store.records import (
    AccessRecord,
    AdminActionRecord,
    CalendarAlertRecord,
    CalendarVersionRecord,
    CalendarYearRecord,
    CaseBundle,
    CaseRecord,
    CertificateRecord,
    DeliveryRecord,
    EventRecord,
    FeedRecord,
    FollowUpRecord,
    IdempotencyRecord,
    ItemRecord,
    NoticeRecord,
    NotificationRecord,
    Row,
    SubsidyGrantRecord,
    SubsidyMatchRecord,
    UploadCitationRecord,
    Versioned,
)

R = TypeVar("R", bound=Versioned)
S = TypeVar("S", CaseRecord, ItemRecord)


def evolve(record: R, **changes: object) -> R:
    """The record's next version (every write is conditional on the version it replaces). A
    case's or an item's status changes only through ``move``."""
    changing = "status" in changes and changes["status"] != getattr(record, "status", None)
    if changing and isinstance(record, CaseRecord | ItemRecord):
        raise IllegalTransition(f"{type(record).__name__}.status changes through move()")
    return record.model_copy(update={**changes, "version": record.version + 1})


def move(record: S, status: str, trigger: Trigger, **changes: object) -> S:
    """The case's or item's next version in ``status``, if its lifecycle allows the step."""
    machine = lifecycle.CASE if isinstance(record, CaseRecord) else lifecycle.ITEM
    machine.check(record.status, status, trigger)
    return record.model_copy(update={**changes, "status": status, "version": record.version + 1})


@dataclass(frozen=True)
class CaseChange:
    """One atomic change to a case: new versions of the case and items, history, rows that
    must not exist yet (notifications, payments, grants) and rows kept if they do
    (certificates)."""

    case_id: str
    case: CaseRecord | None = None
    items: Sequence[ItemRecord] = ()
    others: Sequence[Versioned] = ()  # follow-ups, deliveries: new versions of other rows
    events: Sequence[EventRecord] = ()
    created: Sequence[Row] = ()
    # Rows written unless one with the same key exists, which then stays as it is: a
    # certificate is one row per person and number, whichever case showed it first.
    kept: Sequence[Row] = ()
    # Fail with SubsidyAlreadyGranted if any of these keys (one person's, under each version
    # of the secret) already has a grant.
    subsidy_persons: Sequence[str] = ()


Scheduled = CaseRecord | ItemRecord | FollowUpRecord  # rows the jobs find in their indexes


Cursor = dict[str, object] | None  # opaque: where a page ended


@dataclass(frozen=True)
class Page:
    rows: list[Scheduled]
    cursor: Cursor
    read: int  # items the store returned: what the job's cost scales with


@dataclass(frozen=True)
class ConnectorHealth:
    """How a department's system has been answering: read from the recorded attempts."""

    connector: str
    last_success_at: str | None
    last_failure_at: str | None
    last_failure_class: str | None
    failures_since: int  # failed attempts since the instant asked about


@dataclass(frozen=True)
class FeedPage:
    events: list[FeedRecord]
    position: str  # where the page ends: the last event's sort key, else where it began
    more: bool  # more events were ready after this page


class CaseRepository(ABC):
    @abstractmethod
    def create_case(
        self,
        case: CaseRecord,
        items: Sequence[ItemRecord],
        events: Sequence[EventRecord],
        idempotency: IdempotencyRecord | None,
        notes: Sequence[NotificationRecord] = (),
        citations: Sequence[UploadCitationRecord] = (),
    ) -> None:
        """Write everything at once; ``AlreadyExistsError`` if the idempotency key is taken,
        else ``UploadAlreadyCited`` if another case cites one of the uploads."""

    @abstractmethod
    def get_idempotency(self, scope: str, client_key: str) -> IdempotencyRecord | None: ...

    @abstractmethod
    def load_case(self, case_id: str) -> CaseBundle | None:
        """The case with its items and history, in one read."""

    @abstractmethod
    def get_case(self, case_id: str) -> CaseRecord | None: ...

    @abstractmethod
    def apply(self, change: CaseChange) -> None:
        """Apply atomically; ``StaleStateError`` if any row changed since it was read."""

    @abstractmethod
    def cases_of_person(self, person_key: str, limit: int = 50) -> list[CaseListing]: ...

    @abstractmethod
    def cases_of_clerk(self, clerk_id: str, limit: int = 50) -> list[CaseListing]: ...

    @abstractmethod
    def tasks(
        self, department: str, county: str, task_status: str, limit: int = 100
    ) -> list[TaskListing]: ...

    @abstractmethod
    def breaches(self, department: str, county: str) -> list[BreachListing]: ...

    @abstractmethod
    def provisional_breaches(self, department: str, county: str) -> list[BreachListing]:
        """Open rows whose provisional deadline passed: not breaches (no count includes them)
        until the year's official data is loaded and the deadline recomputed."""

    @abstractmethod
    def follow_ups(self, department: str, county: str, status: str) -> list[FollowUpRecord]: ...

    @abstractmethod
    def follow_ups_of_case(self, case_id: str) -> list[FollowUpRecord]:
        """The case's call-backs, one per poorly rated stage, in one read."""

    @abstractmethod
    def get_delivery(self, case_id: str) -> DeliveryRecord | None: ...

    @abstractmethod
    def mark_read(self, person_key: str, notification_id: str) -> bool:
        """Mark one of the person's notifications read; ``False`` if there is none."""

    @abstractmethod
    def certificates(self, person_key: str) -> list[CertificateRecord]: ...

    @abstractmethod
    def notifications(self, person_key: str, limit: int = 100) -> list[NotificationRecord]: ...

    @abstractmethod
    def notices(self, limit: int = 200) -> list[NoticeRecord]: ...

    @abstractmethod
    def subsidy_grant(self, person_key: str) -> SubsidyGrantRecord | None: ...

    @abstractmethod
    def subsidy_matches(self, match_key: str) -> list[SubsidyMatchRecord]:
        """The subsidy claims filed under a match key (name, birth date and gender, hashed)."""

    # The jobs' work lists: exactly the rows that are due, oldest first, a page at a time
    # (``cursor``: where the previous page ended, as the page returned it).
    @abstractmethod
    def due(self, before: str, cursor: Cursor, limit: int) -> Page:
        """Open cases, items and call-backs not yet flagged whose deadline instant (UTC ISO)
        is at or before ``before``."""

    @abstractmethod
    def reminders_due(self, on: str, cursor: Cursor, limit: int) -> Page:
        """Subsidy items whose one-year reminder date (a local date) is at or before ``on``."""

    @abstractmethod
    def unstarted(self, accepted_before: str, cursor: Cursor, limit: int) -> Page:
        """Accepted cases whose workflow never ran, accepted at or before the instant."""

    @abstractmethod
    def provisional(self, cursor: Cursor, limit: int) -> Page:
        """Open rows whose deadline was computed without official holiday data."""

    @abstractmethod
    def lost_retries(self, before: str, cursor: Cursor, limit: int) -> Page:
        """Items waiting for a department whose retry was expected back before ``before``."""

    @abstractmethod
    def failed_items(self, cursor: Cursor, limit: int) -> Page:
        """Items the system gave up on, waiting for a person, oldest first (the whole city)."""

    @abstractmethod
    def connector_health(self, connector: str, since: str) -> ConnectorHealth:
        """The connector's last answer, last failure and the failures since ``since``."""

    @abstractmethod
    def feed(self, scope: FeedScope, after: str, settle_s: int, limit: int) -> FeedPage:
        """Up to ``limit`` events of one change feed after position ``after`` ("" from the
        start), oldest first, leaving out those recorded in the last ``settle_s`` seconds:
        a transaction sent earlier may still commit behind them."""

    @abstractmethod
    def is_feed_position(self, position: str) -> bool:
        """Whether ``position`` is one this repository could have handed out."""

    @abstractmethod
    def counters(self, first_day: str, last_day: str) -> list[tuple[str, str, dict[str, int]]]:
        """(day, county, counters) rows between two local dates, inclusive."""

    @abstractmethod
    def record_access(self, record: AccessRecord) -> None:
        """Append a read to the case's audit trail; nothing if that request is recorded."""

    @abstractmethod
    def access_log(
        self, case_id: str, after: str = "", limit: int = 100
    ) -> tuple[list[AccessRecord], str | None]:
        """A page of the case's recorded reads, oldest first, after position ``after`` ("": from
        the first), and where the next page starts (``None``: this was the last)."""

    @abstractmethod
    def is_access_position(self, position: str) -> bool:
        """Whether ``position`` is one ``access_log`` could have handed out."""

    @abstractmethod
    def calendar_years(self) -> list[CalendarYearRecord]: ...

    @abstractmethod
    def put_calendar_year(self, record: CalendarYearRecord) -> None:
        """Store the year's new version (``record.version``), keeping every earlier one."""

    @abstractmethod
    def calendar_versions(self, year: int) -> list[CalendarVersionRecord]:
        """Every version of a year's loaded data, oldest first."""

    @abstractmethod
    def record_calendar_alert(self, record: CalendarAlertRecord) -> bool:
        """Record that day's alert; ``False`` (nothing written) if it was recorded already."""

    @abstractmethod
    def record_admin_action(self, record: AdminActionRecord) -> None:
        """Append to the admins' audit trail; nothing if that request is recorded."""

    @abstractmethod
    def admin_actions(self, limit: int = 100) -> list[AdminActionRecord]:
        """The admins' recorded actions, newest first."""
