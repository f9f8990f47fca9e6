"""The SMS channel's storage: a notification's SMS state (on the notification row itself, so
the applicant's list reads it with the notification), the per-phone send window, and the
provider's serial numbers that receipts name.

Every change is conditional on the state it moves from, so a notification is claimed for
sending once, however often it is delivered; each counter of the summary report moves in the
same transaction as the state it counts."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.sms import SmsState
from chalicelib.errors import StaleStateError
from chalicelib.store import codec, counters, keys
from chalicelib.store import transactions as tx
from chalicelib.store.records import (
    NotificationRecord,
    PhoneWindowRecord,
    Row,
    SmsSerialRecord,
    SmsStatus,
)


@dataclass(frozen=True)
class Count:
    """One counter of the summary report: ``sms.<state>`` on that day, in that county."""

    day: str
    county: str
    state: str


# A notification may be claimed while nobody holds it: never claimed, held for later, or
# claimed by a sender that stopped before it recorded anything (``:stale``).
_CLAIMABLE = (
    "attribute_exists(PK) AND (attribute_not_exists(sms) OR sms.#state = :held"
    " OR (sms.#state = :sending AND sms.claimed_at < :stale))"
)
_UNCLAIMED = "attribute_exists(PK) AND (attribute_not_exists(sms) OR sms.#state = :held)"
_OURS = "sms.#state = :sending AND sms.claimed_at = :claim"
_RECEIPT = "sms.#state = :sent AND sms.serial = :serial"


class SmsStore(ABC):
    @abstractmethod
    def notification(self, person_key: str, notification_id: str) -> NotificationRecord | None:
        """The notification as stored (the record of truth), with its SMS state."""

    @abstractmethod
    def window(self, phone_key: str) -> PhoneWindowRecord | None: ...

    @abstractmethod
    def mark(self, note: NotificationRecord, status: SmsStatus, count: Count | None) -> bool:
        """Set the SMS state of a notification nobody has claimed; ``False`` if one has."""

    @abstractmethod
    def claim(
        self, note: NotificationRecord, status: SmsStatus, window: PhoneWindowRecord, stale: str
    ) -> bool:
        """Claim the notification for sending and take the phone's send slot, at once.
        ``False``: another sender has it (or it is done); ``StaleStateError``: the phone's
        window changed since it was read."""

    @abstractmethod
    def settle(
        self,
        note: NotificationRecord,
        status: SmsStatus,
        claimed_at: str,
        serial: SmsSerialRecord | None,
        count: Count | None,
    ) -> bool:
        """Record what the provider said, if the claim is still ours."""

    @abstractmethod
    def serial(self, serial: str) -> SmsSerialRecord | None: ...

    @abstractmethod
    def receipt(self, row: SmsSerialRecord, state: str, at: str, count: Count) -> bool:
        """A sent SMS's final state from its receipt; ``False`` if it had one already."""


class DynamoDBSmsStore(SmsStore):
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        return codec.get_row(self._client, self._table, pk, sk)

    def notification(self, person_key: str, notification_id: str) -> NotificationRecord | None:
        row = self._get(keys.person_pk(person_key), keys.notification_sk(notification_id))
        return NotificationRecord(**row) if row else None

    def window(self, phone_key: str) -> PhoneWindowRecord | None:
        row = self._get(keys.phone_window_pk(phone_key), keys.PHONE_WINDOW_SK)
        return PhoneWindowRecord(**row) if row else None

    def serial(self, serial: str) -> SmsSerialRecord | None:
        row = self._get(keys.sms_serial_pk(serial), keys.SMS_SK)
        return SmsSerialRecord(**row) if row else None

    def _update(
        self, person_key: str, notification_id: str, set_: str, condition: str, **values: Any
    ) -> dict[str, Any]:
        key = {"PK": keys.person_pk(person_key), "SK": keys.notification_sk(notification_id)}
        return {
            "Update": {
                "TableName": self._table,
                "Key": codec.marshal(key),
                "UpdateExpression": f"SET {set_}",
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {"#state": "state"},
                "ExpressionAttributeValues": codec.marshal({f":{k}": v for k, v in values.items()}),
            }
        }

    def _set_status(
        self, note: NotificationRecord, status: SmsStatus, condition: str, **values: Any
    ) -> dict[str, Any]:
        dumped = status.model_dump(mode="json", exclude_none=True)
        return self._update(
            note.person_key, note.id, "sms = :status", condition, status=dumped, **values
        )

    def _counter(self, count: Count | None) -> list[dict[str, Any]]:
        if count is None:
            return []
        counts = Counter({f"sms.{count.state}": 1})
        return [counters.update(self._table, count.day, count.county, counts)]

    def mark(self, note: NotificationRecord, status: SmsStatus, count: Count | None) -> bool:
        update = self._set_status(note, status, _UNCLAIMED, held=SmsState.HELD.value)
        return not tx.run(self._client, [update, *self._counter(count)])

    def claim(
        self, note: NotificationRecord, status: SmsStatus, window: PhoneWindowRecord, stale: str
    ) -> bool:
        update = self._set_status(
            note,
            status,
            _CLAIMABLE,
            held=SmsState.HELD.value,
            sending=SmsState.SENDING.value,
            stale=stale,
        )
        codes = tx.run(self._client, [update, tx.put_version(self._table, window)])
        if not codes:
            return True
        if codes[0] == tx.FAILED:
            return False
        raise StaleStateError("the phone's send window changed meanwhile")

    def settle(
        self,
        note: NotificationRecord,
        status: SmsStatus,
        claimed_at: str,
        serial: SmsSerialRecord | None,
        count: Count | None,
    ) -> bool:
        update = self._set_status(
            note, status, _OURS, sending=SmsState.SENDING.value, claim=claimed_at
        )
        created: list[Row] = [serial] if serial is not None else []
        puts = [tx.put(self._table, row, tx.ABSENT) for row in created]
        return not tx.run(self._client, [update, *puts, *self._counter(count)])

    def receipt(self, row: SmsSerialRecord, state: str, at: str, count: Count) -> bool:
        update = self._update(
            row.person_key,
            row.notification_id,
            "sms.#state = :final, sms.#at = :at",
            _RECEIPT,
            final=state,
            at=at,
            sent=SmsState.SENT.value,
            serial=row.serial,
        )
        update["Update"]["ExpressionAttributeNames"]["#at"] = "at"
        return not tx.run(self._client, [update, *self._counter(count)])
