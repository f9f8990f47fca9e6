"""The persistence port: what the services need from storage, independent of DynamoDB."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from chalicelib.store.records import (
    CaseBundle,
    CaseRecord,
    CertificateRecord,
    EventRecord,
    IdempotencyRecord,
    ItemRecord,
)


@dataclass(frozen=True)
class ItemChange:
    """Move one item to a new state, provided it is still in one of ``expected``."""

    item: ItemRecord
    expected: Collection[str]


@dataclass(frozen=True)
class CaseChange:
    """One atomic change to a case: items, the case's status, history, certificates."""

    case_id: str
    at: str
    items: Sequence[ItemChange] = ()
    case_status: str | None = None
    case_expected: Collection[str] = ()
    events: Sequence[EventRecord] = ()
    certificates: Sequence[CertificateRecord] = field(default_factory=tuple)
    subsidy_person: str | None = None  # fail with SubsidyAlreadyGranted if they had one


class CaseRepository(ABC):
    @abstractmethod
    def create_case(
        self,
        case: CaseRecord,
        items: Sequence[ItemRecord],
        events: Sequence[EventRecord],
        idempotency: IdempotencyRecord | None,
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
    def get_item(self, case_id: str, code: str) -> ItemRecord | None: ...

    @abstractmethod
    def apply(self, change: CaseChange) -> None:
        """Apply atomically; ``StaleStateError`` if any expected state no longer holds."""

    @abstractmethod
    def cases_of_person(self, person_key: str, limit: int = 50) -> list[CaseRecord]: ...

    @abstractmethod
    def cases_of_clerk(self, clerk_id: str, limit: int = 50) -> list[CaseRecord]: ...

    @abstractmethod
    def tasks(
        self, department: str, county: str, task_status: str, limit: int = 100
    ) -> list[ItemRecord]: ...

    @abstractmethod
    def certificates(self, person_key: str) -> list[CertificateRecord]: ...
