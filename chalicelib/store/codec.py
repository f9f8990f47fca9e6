"""Records to DynamoDB items and back. Key attributes, and the sparse indexes a row belongs
to, are derived here from the row's state and stripped again on the way out."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from chalicelib.domain.case import FINAL_CASE_STATUSES, CaseStatus, ItemStatus
from chalicelib.domain.specs import LEAD_DEPARTMENT  # 牵头单位: the joint case is HRSS's
from chalicelib.store import keys
from chalicelib.store.attributes import from_attribute, to_attribute
from chalicelib.store.records import (
    AccessRecord,
    AdminActionRecord,
    CalendarAlertRecord,
    CalendarVersionRecord,
    CalendarYearRecord,
    CaseRecord,
    CertificateRecord,
    ConnectorCallRecord,
    DeliveryRecord,
    EventRecord,
    FeedRecord,
    FollowUpRecord,
    FormVersionRecord,
    IdempotencyRecord,
    ItemRecord,
    NoticeRecord,
    NotificationRecord,
    PaymentRecord,
    PhoneWindowRecord,
    Row,
    SmsSerialRecord,
    SubsidyGrantRecord,
    SubsidyMatchRecord,
    UploadCitationRecord,
)

KEY_ATTRIBUTES = frozenset(
    {"PK", "SK", "kind"} | {f"{i}{p}" for i in keys.INDEXES for p in ("PK", "SK")}
)
# Items whose deadline still runs: what the breach job watches (an item waiting for its
# department's system, or for a person to take it over, is still late if it is late).
RUNNING = frozenset(
    {
        ItemStatus.PENDING,
        ItemStatus.DISPATCHED,
        ItemStatus.IN_REVIEW,
        ItemStatus.WAITING_FOR_DEPARTMENT,
        ItemStatus.FAILED,
    }
)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_plain(v) for v in value]
    return value


def marshal(attributes: dict[str, Any]) -> dict[str, Any]:
    # DynamoDB wants Decimal, never float: round-trip through JSON to convert every number.
    prepared = json.loads(json.dumps(attributes), parse_float=Decimal)
    return {k: to_attribute(v) for k, v in prepared.items() if v is not None}


def unmarshal(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(from_attribute(v)) for k, v in item.items()}


def _index(name: str, pk: str, sk: str) -> dict[str, str]:
    return {f"{name}PK": pk, f"{name}SK": sk}


def _case_indexes(case: CaseRecord) -> dict[str, str]:
    open_case = case.status not in FINAL_CASE_STATUSES
    # While the applicant corrects the form the clock is stopped; it restarts on resubmission.
    clock_runs = open_case and case.status != CaseStatus.CORRECTION_REQUIRED
    attrs = _index(
        keys.GSI_OWNER, keys.person_pk(case.person_key), keys.owner_sk(case.accepted_at, case.id)
    )
    if case.clerk:
        attrs |= _index(
            keys.GSI_QUEUE, keys.clerk_pk(case.clerk), keys.owner_sk(case.accepted_at, case.id)
        )
    due = keys.schedule_sk(case.due_at, case.id, "case")
    if clock_runs and not (case.breached_at or case.provisional_breach_at):
        attrs |= _index(keys.GSI_DUE, keys.DUE_PK, due)
    if open_case and not case.started:
        sk = keys.schedule_sk(case.accepted_at, case.id, "case")
        attrs |= _index(keys.GSI_UNSTARTED, keys.UNSTARTED_PK, sk)
    if open_case:
        attrs |= _breach_index(case, LEAD_DEPARTMENT, case.county, case.id, "case")
    if open_case and case.due_provisional:
        attrs |= _index(keys.GSI_PROVISIONAL, keys.PROVISIONAL_PK, due)
    return attrs


def _item_indexes(item: ItemRecord) -> dict[str, str]:
    attrs: dict[str, str] = {}
    due = keys.schedule_sk(item.due_at, item.case_id, item.code)
    running = item.status in RUNNING
    if item.task_status:
        pk = keys.queue_pk(item.department, item.county, item.task_status)
        attrs |= _index(keys.GSI_QUEUE, pk, due)
    if running and not (item.breached_at or item.provisional_breach_at):
        attrs |= _index(keys.GSI_DUE, keys.DUE_PK, due)
    if running:
        attrs |= _breach_index(item, item.department, item.county, item.case_id, item.code)
    if running and item.due_provisional:
        attrs |= _index(keys.GSI_PROVISIONAL, keys.PROVISIONAL_PK, due)
    retry_at = (item.department_call or {}).get("next_attempt_at")
    if item.status == ItemStatus.WAITING_FOR_DEPARTMENT and retry_at:
        sk = keys.schedule_sk(str(retry_at), item.case_id, item.code)
        attrs |= _index(keys.GSI_REMIND, keys.RETRY_PK, sk)
    if item.status == ItemStatus.FAILED:
        sk = keys.schedule_sk(item.updated_at, item.case_id, item.code)
        attrs |= _index(keys.GSI_UNSTARTED, keys.FAILED_PK, sk)
    if item.status == ItemStatus.REMINDER_SCHEDULED and item.reminder_date:
        sk = keys.schedule_sk(item.reminder_date, item.case_id, item.code)
        attrs |= _index(keys.GSI_REMIND, keys.REMIND_PK, sk)
    return attrs


def _follow_up_indexes(follow_up: FollowUpRecord) -> dict[str, str]:
    due = keys.schedule_sk(follow_up.due_at, follow_up.case_id, "follow_up")
    queue = keys.follow_up_pk(follow_up.department, follow_up.county, follow_up.status)
    attrs = _index(keys.GSI_QUEUE, queue, due)
    if follow_up.status != "open":
        return attrs
    if not (follow_up.breached_at or follow_up.provisional_breach_at):
        attrs |= _index(keys.GSI_DUE, keys.DUE_PK, due)
    department, county = follow_up.department, follow_up.county
    attrs |= _breach_index(follow_up, department, county, follow_up.case_id, "follow_up")
    if follow_up.due_provisional:
        attrs |= _index(keys.GSI_PROVISIONAL, keys.PROVISIONAL_PK, due)
    return attrs


def _breach_index(
    row: CaseRecord | ItemRecord | FollowUpRecord, department: str, county: str, *of: str
) -> dict[str, str]:
    """A flagged breach, by its due instant; else a provisional deadline seen passing, in a
    partition of its own, by when it was seen (the index projects no attribute that says
    when: the list reads it from the sort key, see store.worklists)."""
    case_id, code = of
    if row.breached_at:
        sk = keys.schedule_sk(row.due_at, case_id, code)
        return _index(keys.GSI_BREACH, keys.breach_pk(department, county), sk)
    if row.provisional_breach_at:
        sk = keys.schedule_sk(row.provisional_breach_at, case_id, code)
        return _index(keys.GSI_BREACH, keys.provisional_breach_pk(department, county), sk)
    return {}


def _dump(record: Row, kind: str, pk: str, sk: str, **extra: str) -> dict[str, Any]:
    return marshal({**record.model_dump(mode="json"), **extra, "PK": pk, "SK": sk, "kind": kind})


def encode(record: Row) -> dict[str, Any]:
    """The DynamoDB item for any stored record."""
    if isinstance(record, CaseRecord):
        return _dump(record, "case", keys.case_pk(record.id), keys.CASE_SK, **_case_indexes(record))
    if isinstance(record, ItemRecord):
        pk, sk = keys.case_pk(record.case_id), keys.item_sk(record.code)
        return _dump(record, "item", pk, sk, **_item_indexes(record))
    if isinstance(record, EventRecord):
        return _dump(
            record, "event", keys.case_pk(record.case_id), keys.event_sk(record.at, record.seq)
        )
    if isinstance(record, FeedRecord):  # immutable: in no index, never changed
        sk = keys.feed_sk(record.recorded_at, record.case_id, record.seq)
        return _dump(record, "feed", record.feed, sk)
    if isinstance(record, FollowUpRecord):
        pk, sk = keys.case_pk(record.case_id), keys.follow_up_sk(record.stage)
        return _dump(record, "follow_up", pk, sk, **_follow_up_indexes(record))
    if isinstance(record, UploadCitationRecord):
        return _dump(record, "citation", keys.citation_pk(record.key), keys.CITATION_SK)
    if isinstance(record, AccessRecord):
        pk, sk = keys.access_pk(record.case_id), keys.access_sk(record.at, record.request_id)
        return _dump(record, "access", pk, sk)
    return _dump(record, *_other_keys(record))


# The rows that live in no index: their kind and how their keys are made.
_KEYS: dict[type[Row], tuple[str, Callable[[Any], tuple[str, str]]]] = {
    CertificateRecord: (
        "certificate",
        lambda r: (keys.person_pk(r.person_key), keys.certificate_sk(r.number)),
    ),
    NotificationRecord: (
        "notification",
        lambda r: (keys.person_pk(r.person_key), keys.notification_sk(r.id)),
    ),
    DeliveryRecord: ("delivery", lambda r: (keys.case_pk(r.case_id), keys.DELIVERY_SK)),
    FormVersionRecord: (
        "form_version",
        lambda r: (keys.case_pk(r.case_id), keys.form_version_sk(r.version)),
    ),
    SubsidyGrantRecord: (
        "subsidy_grant",
        lambda r: (keys.person_pk(r.person_key), keys.SUBSIDY_SK),
    ),
    SubsidyMatchRecord: (
        "subsidy_match",
        lambda r: (keys.subsidy_match_pk(r.match_key), keys.subsidy_match_sk(r.application_id)),
    ),
    PaymentRecord: ("payment", lambda r: (keys.case_pk(r.application_id), keys.PAYMENT_SK)),
    NoticeRecord: ("notice", lambda r: (keys.NOTICE_PK, f"{r.approved_on}#{r.application_id}")),
    ConnectorCallRecord: (
        "connector_call",
        lambda r: (
            keys.connector_pk(r.connector, r.outcome),
            keys.connector_sk(r.at, r.case_id, r.item, r.attempt),
        ),
    ),
    IdempotencyRecord: (
        "idempotency",
        lambda r: (keys.idempotency_pk(r.scope, r.client_key), keys.IDEMPOTENCY_SK),
    ),
    CalendarAlertRecord: (
        "calendar_alert",
        lambda r: (keys.CALENDAR_PK, keys.calendar_alert_sk(r.year, r.day)),
    ),
    CalendarYearRecord: ("calendar", lambda r: (keys.CALENDAR_PK, keys.calendar_sk(r.year))),
    CalendarVersionRecord: (
        "calendar_version",
        lambda r: (keys.CALENDAR_PK, keys.calendar_version_sk(r.year, r.version)),
    ),
    AdminActionRecord: (
        "admin_action",
        lambda r: (keys.ADMIN_ACTIONS_PK, keys.admin_action_sk(r.at, r.request_id)),
    ),
    SmsSerialRecord: ("sms_serial", lambda r: (keys.sms_serial_pk(r.serial), keys.SMS_SK)),
    PhoneWindowRecord: (
        "phone_window",
        lambda r: (keys.phone_window_pk(r.phone_key), keys.PHONE_WINDOW_SK),
    ),
}


def _other_keys(record: Row) -> tuple[str, str, str]:
    if type(record) not in _KEYS:  # by exact type: a subclass has a scheme of its own
        raise TypeError(f"no key scheme for {type(record).__name__}")
    kind, make = _KEYS[type(record)]
    return (kind, *make(record))


def get_row(client: Any, table: str, pk: str, sk: str) -> dict[str, Any] | None:
    """One row by its key, read consistently and decoded; ``None`` if there is none."""
    response = client.get_item(
        TableName=table, Key=marshal({"PK": pk, "SK": sk}), ConsistentRead=True
    )
    item = response.get("Item")
    return load(item) if item else None


def key_of(record: Row) -> dict[str, Any]:
    item = encode(record)
    return {"PK": item["PK"], "SK": item["SK"]}


def load(item: dict[str, Any]) -> dict[str, Any]:
    plain = unmarshal(item)
    return {k: v for k, v in plain.items() if k not in KEY_ATTRIBUTES}


def kind_of(item: dict[str, Any]) -> str:
    return str(item["kind"]["S"])
