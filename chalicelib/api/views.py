"""Stored records to response bodies (instants shown in Luoyang time, +08:00)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from chalicelib.api import schemas
from chalicelib.api.framework import Call
from chalicelib.api.review import review_view
from chalicelib.domain import catalogue, sms_notices
from chalicelib.domain.calendar import SHANGHAI_OFFSET
from chalicelib.domain.case import task_id
from chalicelib.domain.disclosure import EVERYTHING, PersonalField
from chalicelib.domain.sms import SmsState
from chalicelib.services.read import Personal, Purpose
from chalicelib.services.transitions import time_limit_of
from chalicelib.store.listings import BreachListing, CaseListing, TaskListing
from chalicelib.store.records import (
    CaseBundle,
    CertificateRecord,
    ItemRecord,
    NoticeRecord,
    NotificationRecord,
)

APPLICANT_FIELDS = EVERYTHING - {PersonalField.DELIVERY}  # what the case view shows


def local_instant(utc_iso: str) -> str:
    return datetime.fromisoformat(utc_iso).astimezone(SHANGHAI_OFFSET).isoformat(timespec="seconds")


def purpose(call: Call, operation: str) -> Purpose:
    """Why this request reads personal data: the operation, API Gateway's request id and the
    instant the request arrived (a retry of the request is the same read); a fresh id and no
    instant where there are none, as with the local test client."""
    context = call.request.context or {}
    request_id = context.get("requestId") or uuid.uuid4().hex
    epoch_ms = context.get("requestTimeEpoch")
    at = ""
    if isinstance(epoch_ms, int | str) and str(epoch_ms).isdigit():
        at = datetime.fromtimestamp(int(epoch_ms) / 1000, UTC).isoformat(timespec="microseconds")
    return Purpose(operation=operation, request_id=str(request_id), at=at)


def personal(data: Personal) -> schemas.PersonalView:
    return schemas.PersonalView(
        name=data.name,
        id_type=data.id_type,
        id_number=data.id_number,
        phone=data.phone,
        subsidy_bank=data.bank,
        subsidy_account=data.account,
        masked=[f for f in sorted(APPLICANT_FIELDS - data.clear) if f != "account" or data.account],
    )


def agent(data: Personal) -> schemas.AgentView | None:
    if data.agent is None:
        return None
    hidden = {PersonalField.NAME, PersonalField.ID_NUMBER} - data.clear
    return schemas.AgentView(
        name=data.agent.name,
        id_type=data.agent.id_type,
        id_number=data.agent.id_number,
        relationship=data.agent.relationship,
        masked=sorted(hidden),
    )


def case_view(bundle: CaseBundle, data: Personal, reviewer: str | None = None) -> schemas.CaseView:
    """``reviewer``: the department whose officer reads the case, who sees its items' reviews
    (docs/domain.md §6: what to check is the deciding officer's, not the applicant's)."""
    case = bundle.case
    signature = case.form.get("signature")
    order = {code: n for n, code in enumerate(case.items)}
    items = sorted(bundle.items, key=lambda i: order.get(i.code, 99))
    return schemas.CaseView(
        id=case.id,
        status=case.status,
        channel=case.channel,
        county=case.county,
        business=schemas.BusinessIn(**case.business),
        applicant=personal(data),
        agent=agent(data),
        signature=schemas.SignatureView(**signature) if signature else None,
        data_sharing=case.form.get("data_sharing"),
        accepted_at=local_instant(case.accepted_at),
        due_date=case.due_date,
        time_limit_working_days=time_limit_of(case),
        due_provisional=case.due_provisional,
        items=[
            schemas.ItemView(
                code=i.code,
                name=catalogue.spec(i.code).name,
                status=i.status,
                department=i.department,
                due_date=i.due_date,
                result=i.result,
                review=review_view(i.review) if i.department == reviewer else None,
            )
            for i in items
        ],
        history=[
            schemas.HistoryEntry(
                at=local_instant(e.at),
                type=e.type,
                actor=e.actor,
                item=e.item,
                detail=e.detail,
            )
            for e in sorted(bundle.events, key=lambda e: (e.at, e.seq))
        ],
    )


def case_summary(case: CaseListing) -> schemas.CaseSummary:
    return schemas.CaseSummary(
        id=case.id,
        status=case.status,
        channel=case.channel,
        county=case.county,
        business_name=case.business["name"],
        items=case.items,
        accepted_at=local_instant(case.accepted_at),
        due_date=case.due_date,
    )


def certificate(cert: CertificateRecord) -> schemas.Certificate:
    return schemas.Certificate(
        number=cert.number,
        type=cert.type,
        issued_on=cert.issued_on,
        application_id=cert.application_id,
        name=cert.name,
        uscc=cert.uscc,
        registered_on=cert.registered_on,
    )


def task(item: ItemRecord | TaskListing) -> schemas.Task:
    return schemas.Task(
        id=task_id(item.case_id, item.code),
        application_id=item.case_id,
        item=item.code,
        status=item.task_status or "pending",
        due_date=item.due_date,
        item_status=item.status,
        failure=(item.department_call or {}).get("failure"),
        review=review_view(item.review),
    )


def _sms(note: NotificationRecord) -> tuple[str | None, str | None]:
    """What the list says of the notification's SMS: its state (one being sent: held) and
    why; a type that never goes by SMS is not_applicable without the sender looking at it."""
    if note.sms is None:
        if note.type in sms_notices.candidate_types():
            return None, None
        return SmsState.NOT_APPLICABLE.value, sms_notices.REASONS["not_sms_type"]
    state = SmsState.HELD.value if note.sms.state == SmsState.SENDING else note.sms.state
    reason = sms_notices.REASONS.get(note.sms.reason or "")
    if state == SmsState.FAILED and reason is None:
        reason = sms_notices.REASONS["undelivered"]
    return state, reason


def notification(note: NotificationRecord) -> schemas.Notification:
    sms_state, sms_reason = _sms(note)
    return schemas.Notification(
        id=note.id,
        type=note.type,
        application_id=note.application_id,
        at=local_instant(note.at),
        read=note.read,
        text=note.text,
        sms=sms_state,
        sms_reason=sms_reason,
    )


def breach(row: BreachListing, late: int) -> schemas.Breach:
    return schemas.Breach(
        application_id=row.case_id,
        item=row.item,
        due_date=row.due_date,
        flagged_at=local_instant(row.flagged_at),
        working_days_late=late,
        provisional=row.provisional,
    )


def notice(row: NoticeRecord) -> schemas.NoticeEntry:
    return schemas.NoticeEntry(**row.model_dump(exclude={"application_id"}))
