"""Use case: a department officer decides an item that waits for a person."""

from __future__ import annotations

from datetime import date

from chalicelib.domain import calendar
from chalicelib.domain.access import Principal
from chalicelib.domain.case import ItemCode, ItemStatus
from chalicelib.errors import Conflict, Forbidden, NotFound, StaleStateError
from chalicelib.services.context import Services
from chalicelib.services.handle import certificate_number
from chalicelib.services.history import event
from chalicelib.store.keys import split_task_id
from chalicelib.store.records import CaseBundle, CertificateRecord, ItemRecord
from chalicelib.store.repository import CaseChange, ItemChange


def _task(
    svc: Services, who: Principal, department: str, task_id: str
) -> tuple[CaseBundle, ItemRecord]:
    if who.department != department:
        raise Forbidden("只能处理本部门的待办事项", code="department.mismatch")
    case_id, code = split_task_id(task_id)
    bundle = svc.repo.load_case(case_id) if case_id and code else None
    item = next((i for i in bundle.items if i.code == code), None) if bundle else None
    if bundle is None or item is None or item.department != department or item.county != who.county:
        raise NotFound("未找到该待办事项")
    return bundle, item


def _approved(
    bundle: CaseBundle, item: ItemRecord, today: date
) -> tuple[dict[str, object], list[CertificateRecord]]:
    if item.code != ItemCode.PENSION_REGISTRATION:
        return dict(item.result), []
    number = certificate_number(bundle.case.id, item.code, item.county, today)
    result = {**item.result, "registration_number": number, "registered_on": today.isoformat()}
    cert = CertificateRecord(
        person_key=bundle.case.person_key,
        number=number,
        type=item.code,
        issued_on=today.isoformat(),
        application_id=bundle.case.id,
    )
    return result, [cert]


def decide(
    svc: Services, who: Principal, department: str, task_id: str, approve: bool, reason: str | None
) -> ItemRecord:
    bundle, item = _task(svc, who, department, task_id)
    if item.status != ItemStatus.IN_REVIEW or not item.task_token:
        raise Conflict("该事项已处理，不能重复审核", code="invalid_state")
    at = svc.now_iso()
    today = calendar.local_date(svc.clock())
    if approve:
        status, detail = ItemStatus.COMPLETED, "审核通过，已办理参保登记"
        result, certificates = _approved(bundle, item, today)
    else:
        status, detail = ItemStatus.REFUSED, f"审核未通过：{reason}"
        result, certificates = (
            {**item.result, "reason_code": "officer.refused", "reason": reason},
            [],
        )
    decided = item.model_copy(
        update={
            "status": status,
            "result": result,
            "updated_at": at,
            "task_token": None,
            "task_status": "decided",
        }
    )
    decision = event(
        item.case_id,
        at,
        status,
        detail,
        item=item.code,
        actor=who.actor,
        actor_id=who.subject,
    )
    try:
        svc.repo.apply(
            CaseChange(
                case_id=item.case_id,
                at=at,
                items=[ItemChange(decided, (ItemStatus.IN_REVIEW,))],
                events=[decision],
                certificates=certificates,
            )
        )
    except StaleStateError as exc:
        raise Conflict("该事项已由他人处理", code="invalid_state") from exc
    svc.workflow.succeed(item.task_token, {"code": item.code, "status": status})
    return decided
