"""Use cases of 统一出件: once a case's certificates are ready they reach the applicant by mail
(an officer records the courier and tracking number) or at a service centre (the clerk checks
the pickup code and confirms the handover)."""

from __future__ import annotations

import secrets
from datetime import datetime

from chalicelib.domain import catalogue
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.disclosure import disclose_delivery
from chalicelib.domain.problems import Problem
from chalicelib.errors import InvalidInput, InvalidState, NotFound, NotPermitted
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import deliver, notification
from chalicelib.services.read import Purpose, case_for, disclosed_to
from chalicelib.store.records import (
    CaseBundle,
    CaseRecord,
    DeliveryRecord,
    EventRecord,
    NotificationRecord,
)
from chalicelib.store.repository import CaseChange, evolve

# Six digits are a million codes: a few wrong tries, then the code is replaced and the new one
# goes to the applicant, so a code cannot be guessed at the counter.
MAX_PICKUP_ATTEMPTS = 5


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def certificates_of(bundle: CaseBundle) -> list[str]:
    """The numbers of the certificates the case's items issued (each entry's scheme says
    where its result keeps the number; a verified licence is not ours to deliver)."""
    found = []
    for item in bundle.items:
        scheme = catalogue.spec(item.code).certificate
        if scheme is not None and scheme.issued and item.result.get(scheme.number_field):
            found.append(str(item.result[scheme.number_field]))
    return found


def new_delivery(
    bundle: CaseBundle, now: datetime
) -> tuple[DeliveryRecord, NotificationRecord] | None:
    """The delivery a finished case needs, if it issued any certificate."""
    numbers = certificates_of(bundle)
    if not numbers:
        return None
    chosen = bundle.case.form["delivery"]
    at = iso(now)
    common = {
        "case_id": bundle.case.id,
        "certificates": numbers,
        "county": bundle.case.county,
        "person_key": bundle.case.person_key,
        "case_departments": bundle.case.departments,
        "created_at": at,
        "updated_at": at,
    }
    if chosen["method"] == "mail":
        record = DeliveryRecord(
            method="mail",
            status="awaiting_dispatch",
            address=chosen["address"],
            recipient=chosen["recipient"],
            phone=chosen["phone"],
            **common,
        )
        text = "您的证照已办好，将按您填写的地址邮寄。"
    else:
        code = _new_code()
        record = DeliveryRecord(
            method="pickup",
            status="ready_for_pickup",
            service_center=chosen["service_center"],
            pickup_code=code,
            **common,
        )
        text = f"您的证照已办好，请凭取件码 {code} 到 {chosen['service_center']} 领取。"
    return record, notification(bundle.case, "delivery_ready", text, now)


def delivery_for(svc: Services, who: Principal, case_id: str) -> tuple[CaseRecord, DeliveryRecord]:
    case = case_for(svc, who, case_id).case
    record = svc.repo.get_delivery(case_id)
    if record is None:
        raise NotFound("该办件暂无出件信息（证照尚未办结或无实体证照）")
    return case, record


def as_shown(
    svc: Services, who: Principal, case: CaseRecord, record: DeliveryRecord, purpose: Purpose
) -> DeliveryRecord:
    """The delivery as this reader may see it: recipient, address and phone masked by the
    case's disclosure rule, the read logged for staff (docs/domain.md §10)."""
    if record.method != "mail":
        return record  # a pickup names a service centre, nothing personal
    clear = disclosed_to(svc, who, case, purpose)
    recipient, address, phone = disclose_delivery(
        record.recipient, record.address, record.phone, clear
    )
    return record.model_copy(update={"recipient": recipient, "address": address, "phone": phone})


def read_delivery(svc: Services, who: Principal, case_id: str, purpose: Purpose) -> DeliveryRecord:
    case, record = delivery_for(svc, who, case_id)
    return as_shown(svc, who, case, record, purpose)


def _save(
    svc: Services, record: DeliveryRecord, history: EventRecord, note: NotificationRecord | None
) -> None:
    svc.repo.apply(
        CaseChange(
            record.case_id, others=[record], events=[history], created=[note] if note else []
        )
    )
    if note:
        deliver(svc, note)


def dispatch(
    svc: Services,
    who: Principal,
    case_id: str,
    courier: str,
    tracking_number: str,
    purpose: Purpose,
) -> DeliveryRecord:
    if who.role is not Role.OFFICER:
        raise NotPermitted("只有部门工作人员可以登记寄递")
    case, record = delivery_for(svc, who, case_id)
    if record.method != "mail" or record.status != "awaiting_dispatch":
        raise InvalidState("该出件不是待寄递状态", code="invalid_state")
    now = svc.clock()
    sent = evolve(
        record,
        status="dispatched",
        courier=courier,
        tracking_number=tracking_number,
        dispatched_by=who.subject,
        updated_at=iso(now),
    )
    note = notification(
        case,
        "delivery_dispatched",
        f"您的证照已由{courier}寄出，运单号 {tracking_number}。",
        now,
    )
    history = event(
        case_id,
        iso(now),
        "delivery_dispatched",
        f"证照已寄出：{courier} {tracking_number}",
        actor=who.actor,
        actor_id=who.subject,
    )
    _save(svc, sent, history, note)
    return as_shown(svc, who, case, sent, purpose)


def _wrong_code(svc: Services, who: Principal, case: CaseRecord, record: DeliveryRecord) -> None:
    """Count a wrong code; the fifth replaces the code and sends the new one to the applicant.
    Either way the answer is 422, and the count is stored first (a guess is never free)."""
    now = svc.clock()
    at, attempts = iso(now), record.pickup_attempts + 1
    if attempts < MAX_PICKUP_ATTEMPTS:
        counted = evolve(record, pickup_attempts=attempts, updated_at=at)
        svc.repo.apply(CaseChange(record.case_id, others=[counted]))
        left = MAX_PICKUP_ATTEMPTS - attempts
        message = f"取件码不正确（再错 {left} 次将失效）"
        raise InvalidInput(problems=[Problem("pickup_code", "pickup_code.mismatch", message)])
    code = _new_code()
    reissued = evolve(record, pickup_code=code, pickup_attempts=0, updated_at=at)
    note = notification(
        case,
        "delivery_code_reissued",
        f"您的取件码因连续输错已失效，新取件码 {code}，请凭新码到 {record.service_center} 领取。",
        now,
        key=at,
    )
    text = f"取件码连续输错 {MAX_PICKUP_ATTEMPTS} 次已失效，已向申请人发送新取件码"
    history = event(
        record.case_id, at, "pickup_code_reissued", text, actor=who.actor, actor_id=who.subject
    )
    _save(svc, reissued, history, note)
    raise InvalidInput(problems=[Problem("pickup_code", "pickup_code.locked", text)])


def hand_over(svc: Services, who: Principal, case_id: str, pickup_code: str) -> DeliveryRecord:
    if who.role is not Role.CLERK:
        raise NotPermitted("只有窗口人员可以确认领取")
    case = case_for(svc, who, case_id).case
    record = svc.repo.get_delivery(case_id)
    if record is None or record.method != "pickup" or record.status != "ready_for_pickup":
        raise InvalidState("该出件不是待领取状态", code="invalid_state")
    # Bytes: compare_digest refuses non-ASCII str (a TypeError, not a mismatch).
    if not secrets.compare_digest(pickup_code.encode(), (record.pickup_code or "").encode()):
        _wrong_code(svc, who, case, record)
    at = iso(svc.clock())
    handed = evolve(record, status="handed_over", handed_over_by=who.subject, updated_at=at)
    history = event(
        case_id,
        at,
        "delivery_handed_over",
        "证照已当面交付申请人",
        actor=who.actor,
        actor_id=who.subject,
    )
    _save(svc, handed, history, None)
    return handed
