"""Use case: a department officer decides an item that waits for a person: the pension
registration (resumes the workflow) or a start-up subsidy claim (orders the payment)."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import calendar
from chalicelib.domain.access import Principal
from chalicelib.domain.case import ItemCode, ItemStatus
from chalicelib.errors import Conflict, Forbidden, NotFound, StaleStateError, SubsidyAlreadyGranted
from chalicelib.services import archive
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import deliver, notification
from chalicelib.services.subsidy import approval_records
from chalicelib.services.transitions import certificate_number, close_item
from chalicelib.store.keys import split_task_id
from chalicelib.store.records import CaseBundle, CertificateRecord, ItemRecord, Row
from chalicelib.store.repository import CaseChange

# What approval and refusal mean for each item that waits for a person.
_DECIDABLE = {
    ItemCode.PENSION_REGISTRATION: (ItemStatus.IN_REVIEW, ItemStatus.COMPLETED, ItemStatus.REFUSED),
    ItemCode.STARTUP_SUBSIDY: (ItemStatus.CLAIMED, ItemStatus.APPROVED, ItemStatus.REJECTED),
}


def waiting_task(
    svc: Services, who: Principal, department: str, task_id: str, expected: str | None = None
) -> tuple[CaseBundle, ItemRecord]:
    """The officer's task: their department's item in their county, in ``expected`` state."""
    if who.department != department:
        raise Forbidden("只能处理本部门的待办事项", code="department.mismatch")
    case_id, code = split_task_id(task_id)
    bundle = svc.repo.load_case(case_id) if case_id and code else None
    item = bundle.item(code) if bundle else None
    if bundle is None or item is None or item.department != department or item.county != who.county:
        raise NotFound("未找到该待办事项")
    if expected is not None and item.status != expected:
        raise Conflict("该事项当前不在待审核状态", code="invalid_state")
    return bundle, item


def _pension_records(
    bundle: CaseBundle, item: ItemRecord, now: datetime
) -> tuple[dict[str, object], list[Row]]:
    today = calendar.local_date(now)
    number = certificate_number(bundle.case.id, item.code, item.county, today)
    cert = CertificateRecord(
        person_key=bundle.case.person_key,
        number=number,
        type=item.code,
        issued_on=today.isoformat(),
        application_id=bundle.case.id,
    )
    return {"registration_number": number, "registered_on": today.isoformat()}, [cert]


def _answer_again(
    svc: Services, item: ItemRecord, states: tuple[ItemStatus, ItemStatus, ItemStatus] | None
) -> None:
    """A decision is stored before the workflow hears of it: if Step Functions failed then,
    the officer's retry (told 409, the decision stands) sends the stored answer again, or the
    case would wait forever. Answering a closed task again is harmless."""
    if states is not None and item.status in states[1:] and item.task_token:
        svc.workflow.succeed(item.task_token, {"code": item.code, "status": item.status})


def decide(
    svc: Services, who: Principal, department: str, task_id: str, approve: bool, reason: str | None
) -> ItemRecord:
    bundle, item = waiting_task(svc, who, department, task_id)
    states = _DECIDABLE.get(ItemCode(item.code))
    if states is None or item.status != states[0]:
        _answer_again(svc, item, states)
        raise Conflict("该事项当前不在待审核状态，不能重复审核", code="invalid_state")
    now = svc.clock()
    created: list[Row] = []
    if approve and item.code == ItemCode.PENSION_REGISTRATION:
        extra, created = _pension_records(bundle, item, now)
    elif approve:
        extra, created = approval_records(svc, bundle, item, now)
    else:
        extra = {"reason_code": "officer.refused", "reason": reason}
    status = states[1] if approve else states[2]
    detail = "审核通过" if approve else f"审核未通过：{reason}"
    decided = close_item(
        svc,
        item,
        now,
        status=status,
        result={**item.result, **extra},
        task_status="decided",  # the token stays: _answer_again may need it
    )
    note = notification(item, f"{item.code}_decided", f"{detail}（{item.code}）", now)
    history = event(
        item.case_id,
        iso(now),
        status,
        detail,
        item=item.code,
        actor=who.actor,
        actor_id=who.subject,
    )
    change = CaseChange(item.case_id, items=[decided], events=[history], created=[*created, note])
    try:
        svc.repo.apply(change)
    except SubsidyAlreadyGranted as exc:
        raise Conflict(
            "申请人已享受过一次性开业补贴，不能重复发放", code="subsidy.already_granted"
        ) from exc
    except StaleStateError as exc:
        raise Conflict("该事项已由他人处理", code="invalid_state") from exc
    deliver(svc, note)
    archive.record_change(svc, bundle.case, change)
    if item.task_token:
        svc.workflow.succeed(item.task_token, {"code": item.code, "status": status})
    return decided
