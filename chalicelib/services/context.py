"""What every use case is handed: its ports, configuration and clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Protocol

from chalicelib.domain.calendar import WorkCalendar
from chalicelib.domain.person import FAMILIES, MATCH_FAMILY, KeyRing, match_identity
from chalicelib.integrations.crypto import FieldCipher
from chalicelib.integrations.notify import Notifier
from chalicelib.integrations.storage import DocumentStore
from chalicelib.settings import Settings
from chalicelib.store.repository import CaseRepository
from chalicelib.workflow.engine import ItemQueues, Workflow

if TYPE_CHECKING:  # the adapter's contract loads with the first department call
    from chalicelib.integrations.departments import Departments


class CalendarSource(Protocol):
    def __call__(self) -> WorkCalendar: ...

    def invalidate(self) -> None: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    repo: CaseRepository
    workflow: Workflow
    departments: Departments  # the departments' systems, through the province's gateway
    queues: ItemQueues  # sends an item back through its queue (a retry, an approval's call)
    notifier: Notifier
    documents: DocumentStore  # uploads and the electronic archive
    settings: Settings
    calendars: CalendarSource  # official data can arrive while we run
    cipher: FieldCipher  # personal fields kept whole: the form, its versions, the archive
    clock: Callable[[], datetime] = utc_now

    @property
    def calendar(self) -> WorkCalendar:
        return self.calendars()

    def person_keys(self, id_type: str, identity_key: str) -> tuple[str, ...]:
        """The person's key under every version of the secret, the current one first (only
        the functions that hold the secret can: docs/domain.md §10)."""
        ring = KeyRing.parse(self.settings.person_key_secret)
        return ring.keys(FAMILIES[id_type], identity_key)

    def person_key(self, id_type: str, identity_key: str) -> str:
        return self.person_keys(id_type, identity_key)[0]

    def match_keys(self, name: str, birth: date, gender: str) -> tuple[str, ...]:
        """The subsidy's match key of a name, birth date and gender under every version of
        the person-key secret, the current one first (domain.person.match_identity)."""
        ring = KeyRing.parse(self.settings.person_key_secret)
        return ring.keys(MATCH_FAMILY, match_identity(name, birth, gender))

    def now_iso(self) -> str:
        return iso(self.clock())


def iso(instant: datetime) -> str:
    """Instants are stored in UTC, ISO-8601, to the microsecond (sortable as text)."""
    return instant.astimezone(UTC).isoformat(timespec="microseconds")
