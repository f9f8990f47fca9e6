"""Records to DynamoDB items and back: key attributes are added and stripped here."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from chalicelib.store import keys
from chalicelib.store.records import (
    CaseRecord,
    CertificateRecord,
    EventRecord,
    IdempotencyRecord,
    ItemRecord,
    Row,
)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
KEY_ATTRIBUTES = frozenset(
    {"PK", "SK", "kind"}
    | {f"{i}{p}" for i in (keys.GSI_OWNER, keys.GSI_QUEUE) for p in ("PK", "SK")}
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
    return {k: _serializer.serialize(v) for k, v in prepared.items() if v is not None}


def unmarshal(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def _dump(record: Row, kind: str, **key_attrs: str) -> dict[str, Any]:
    return marshal({**record.model_dump(mode="json"), **key_attrs, "kind": kind})


def case_item(case: CaseRecord) -> dict[str, Any]:
    extra = {}
    if case.clerk:
        extra = {
            f"{keys.GSI_QUEUE}PK": keys.clerk_pk(case.clerk),
            f"{keys.GSI_QUEUE}SK": keys.owner_sk(case.accepted_at, case.id),
        }
    return _dump(
        case,
        "case",
        PK=keys.case_pk(case.id),
        SK=keys.CASE_SK,
        **{
            f"{keys.GSI_OWNER}PK": keys.person_pk(case.person_key),
            f"{keys.GSI_OWNER}SK": keys.owner_sk(case.accepted_at, case.id),
        },
        **extra,
    )


def item_item(item: ItemRecord) -> dict[str, Any]:
    extra = {}
    if item.task_status:
        extra = {
            f"{keys.GSI_QUEUE}PK": keys.queue_pk(item.department, item.county, item.task_status),
            f"{keys.GSI_QUEUE}SK": f"{item.due_at}#{keys.task_id(item.case_id, item.code)}",
        }
    return _dump(item, "item", PK=keys.case_pk(item.case_id), SK=keys.item_sk(item.code), **extra)


def event_item(event: EventRecord) -> dict[str, Any]:
    return _dump(
        event, "event", PK=keys.case_pk(event.case_id), SK=keys.event_sk(event.at, event.seq)
    )


def certificate_item(cert: CertificateRecord) -> dict[str, Any]:
    return _dump(
        cert, "certificate", PK=keys.person_pk(cert.person_key), SK=keys.certificate_sk(cert.number)
    )


def idempotency_item(record: IdempotencyRecord) -> dict[str, Any]:
    return _dump(
        record,
        "idempotency",
        PK=keys.idempotency_pk(record.scope, record.client_key),
        SK=keys.IDEMPOTENCY_SK,
    )


def load(item: dict[str, Any]) -> dict[str, Any]:
    plain = unmarshal(item)
    return {k: v for k, v in plain.items() if k not in KEY_ATTRIBUTES}
