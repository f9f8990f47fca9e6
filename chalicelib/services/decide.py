"""Use case: a department officer decides an item that waits for a person (its catalogue
entry's ``review``): the pension registration (resumes the workflow) or a start-up subsidy
claim (orders the payment)."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import calendar, catalogue
from chalicelib.domain.access import Principal
from chalicelib.domain.case import split_task_id
from chalicelib.domain.catalogue import ItemSpec, Review
from chalicelib.domain.lifecycle import Trigger
from chalicelib.errors import InvalidState, NotFound, NotPermitted
from chalicelib.services import archive
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import deliver, notification
from chalicelib.services.subsidy import approval_records
from chalicelib.services.transitions import certificate_number, close_item
from chalicelib.store.records import CaseBundle, CertificateRecord, ItemRecord, Row
from chalicelib.store.repository import CaseChange


def waiting_task(
    svc: Services, who: Principal, department: str, task_id: str, expected: str | None = None
) -> tuple[CaseBundle, ItemRecord]:
    """The officer's task: their department's item in their county, in ``expected`` state."""
    if who.department != department:
        raise NotPermitted("只能处理本部门的待办事项", code="department.mismatch")
    case_id, code = split_task_id(task_id)
    bundle = svc.repo.load_case(case_id) if case_id and code else None
    item = bundle.item(code) if bundle else None
    if bundle is None or item is None or item.department != department or item.county != who.county:
        raise NotFound("未找到该待办事项")
    if expected is not None and item.status != expected:
        raise InvalidState("该事项当前不在待审核状态", code="invalid_state")
    return bundle, item


def _certificate_records(
    spec: ItemSpec, bundle: CaseBundle, item: ItemRecord, now: datetime
) -> tuple[dict[str, object], list[Row]]:
    scheme = spec.certificate
    assert scheme is not None  # noqa: S101 - the caller checked  # nosec B101
    today = calendar.local_date(now)
    number = certificate_number(bundle.case.id, item.code, item.county, today)
    cert = CertificateRecord(
        person_key=bundle.case.person_key,
        number=number,
        type=item.code,
        issued_on=today.isoformat(),
        application_id=bundle.case.id,
    )
    return {scheme.number_field: number, scheme.date_field: today.isoformat()}, [cert]


def _approval(
    svc: Services, spec: ItemSpec, bundle: CaseBundle, item: ItemRecord, now: datetime
) -> tuple[dict[str, object], list[Row]]:
    """What approving creates: the item's certificate, or the grant it pays."""
    if spec.certificate is not None and spec.certificate.on_approval:
        return _certificate_records(spec, bundle, item, now)
    if spec.grant is not None:
        return approval_records(svc, bundle, item, now, spec.grant.amount_cny)
    return {}, []


def _answer_again(svc: Services, item: ItemRecord, review: Review | None) -> None:
    """A decision is stored before the workflow hears of it: if Step Functions failed then,
    the officer's retry (told 409, the decision stands) sends the stored answer again, or the
    case would wait forever. Answering a closed task again is harmless."""
    decided = review is not None and item.status in (review.approved, review.refused)
    if decided and item.task_token:
        svc.workflow.succeed(item.task_token, {"code": item.code, "status": item.status})


def decide(
    svc: Services, who: Principal, department: str, task_id: str, approve: bool, reason: str | None
) -> ItemRecord:
    bundle, item = waiting_task(svc, who, department, task_id)
    spec = catalogue.spec(item.code)
    review = spec.review
    if review is None or item.status != review.waits_in:
        _answer_again(svc, item, review)
        raise InvalidState("该事项当前不在待审核状态，不能重复审核", code="invalid_state")
    now = svc.clock()
    created: list[Row] = []
    if approve:
        extra, created = _approval(svc, spec, bundle, item, now)
    else:
        extra = {"reason_code": "officer.refused", "reason": reason}
    status = review.approved if approve else review.refused
    detail = "审核通过" if approve else f"审核未通过：{reason}"
    decided = close_item(
        svc,
        item,
        now,
        status,
        Trigger.DECISION,
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
    svc.repo.apply(change)  # a stale item or a grant on record: the API says 409
    deliver(svc, note)
    archive.record_change(svc, bundle.case, change)
    if item.task_token:
        svc.workflow.succeed(item.task_token, {"code": item.code, "status": status})
    return decided
