"""The persistence port: what the services need from storage, independent of DynamoDB."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from chalicelib.store.records import (
    AccessRecord,
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
    Versioned,
)

R = TypeVar("R", bound=Versioned)


def evolve(record: R, **changes: object) -> R:
    """The record's next version (every write is conditional on the version it replaces)."""
    return record.model_copy(update={**changes, "version": record.version + 1})


@dataclass(frozen=True)
class CaseChange:
    """One atomic change to a case: new versions of the case and items, history, and rows
    that must not exist yet (certificates, notifications, payments, grants)."""

    case_id: str
    case: CaseRecord | None = None
    items: Sequence[ItemRecord] = ()
    others: Sequence[Versioned] = ()  # follow-ups, deliveries: new versions of other rows
    events: Sequence[EventRecord] = ()
    created: Sequence[Row] = ()
    subsidy_person: str | None = None  # fail with SubsidyAlreadyGranted if they had one


Scheduled = CaseRecord | ItemRecord | FollowUpRecord  # rows the jobs find in their indexes


@dataclass(frozen=True)
class Page:
    rows: list[Scheduled]
    cursor: dict[str, object] | None
    read: int  # items DynamoDB returned: what the job's cost scales with


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
    ) -> None:
        """Write everything at once; ``AlreadyExistsError`` if the idempotency key is taken."""

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
    def cases_of_person(self, person_key: str, limit: int = 50) -> list[CaseRecord]: ...

    @abstractmethod
    def cases_of_clerk(self, clerk_id: str, limit: int = 50) -> list[CaseRecord]: ...

    @abstractmethod
    def tasks(
        self, department: str, county: str, task_status: str, limit: int = 100
    ) -> list[ItemRecord]: ...

    @abstractmethod
    def breaches(self, department: str, county: str) -> list[Scheduled]: ...

    @abstractmethod
    def follow_ups(self, department: str, county: str, status: str) -> list[FollowUpRecord]: ...

    @abstractmethod
    def get_follow_up(self, case_id: str) -> FollowUpRecord | None: ...

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
    def scheduled(
        self, index: str, partition: str, upto: str, cursor: dict[str, object] | None, limit: int
    ) -> Page:
        """Rows of a sparse job index due up to ``upto`` (inclusive), oldest first."""

    @abstractmethod
    def feed(self, partition: str, after: str, settle_s: int, limit: int) -> FeedPage:
        """Up to ``limit`` events of one change feed after position ``after`` ("" from the
        start), oldest first, leaving out those recorded in the last ``settle_s`` seconds:
        a transaction sent earlier may still commit behind them."""

    @abstractmethod
    def counters(self, first_day: str, last_day: str) -> list[tuple[str, str, dict[str, int]]]:
        """(day, county, counters) rows between two local dates, inclusive."""

    @abstractmethod
    def record_access(self, record: AccessRecord) -> None:
        """Append a read to the case's audit trail; nothing if that request is recorded."""

    @abstractmethod
    def access_log(self, case_id: str, limit: int = 500) -> list[AccessRecord]:
        """The case's recorded reads, oldest first."""

    @abstractmethod
    def calendar_years(self) -> list[CalendarYearRecord]: ...

    @abstractmethod
    def put_calendar_year(self, record: CalendarYearRecord) -> None: ...
