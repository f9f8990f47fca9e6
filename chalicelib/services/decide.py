"""Use case: a department officer decides an item that waits for a person: its review (its
catalogue entry's ``review``: the pension registration, a start-up subsidy claim), or, when
the system gave up on it, its take-over by hand (``services.takeover``).

An approval that a department's system carries out (the entry's ``call`` on approval: the
pension registration with HRSS social insurance, the subsidy's payment instruction with HRSS
finance) puts the item in ``waiting_for_department`` and its task on its queue: the handler
makes the call and finishes the item (and answers the workflow) with the department's answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.domain import catalogue
from chalicelib.domain.access import Principal
from chalicelib.domain.case import ItemStatus
from chalicelib.domain.catalogue import ItemSpec, Review
from chalicelib.domain.lifecycle import Trigger
from chalicelib.errors import InvalidState, NotFound, NotPermitted
from chalicelib.services import archive, takeover
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import deliver, notification
from chalicelib.services.subsidy import approval_records
from chalicelib.services.transitions import close_item
from chalicelib.services.waiting import APPROVAL, next_attempt_at, stage_of
from chalicelib.store.records import CaseBundle, ItemRecord, Row
from chalicelib.store.repository import CaseChange, move


def waiting_task(
    svc: Services, who: Principal, department: str, task_id: str, expected: str | None = None
) -> tuple[CaseBundle, ItemRecord]:
    """The officer's task: their department's item in their county, in ``expected`` state."""
    if who.department != department:
        raise NotPermitted("只能处理本部门的待办事项", code="department.mismatch")
    bundle, item = takeover.failed_item(svc, task_id)  # the task's case and item, or 404
    if item.department != department or item.county != who.county:
        raise NotFound("未找到该待办事项")
    if expected is not None and item.status != expected:
        raise InvalidState("该事项当前不在待审核状态", code="invalid_state")
    return bundle, item


def _answer_again(svc: Services, item: ItemRecord, review: Review | None) -> None:
    """A decision is stored before the workflow (or the department's system) hears of it: if
    that failed, the officer's retry (told 409, the decision stands) sends it again, or the
    case would wait forever. Answering a closed task again is harmless."""
    if item.status == ItemStatus.WAITING_FOR_DEPARTMENT and stage_of(item) == APPROVAL:
        svc.queues.send(item.code, item.case_id, item.task_token)
        return
    decided = review is not None and item.status in (review.approved, review.refused)
    if decided and item.task_token:
        svc.workflow.succeed(item.task_token, {"code": item.code, "status": item.status})


def _approved_by_department(
    svc: Services, spec: ItemSpec, bundle: CaseBundle, item: ItemRecord, now: datetime
) -> tuple[ItemRecord, list[Row]]:
    """The approval goes to the department's system: the item waits for its answer. A grant
    is recorded now (its key makes a second approval impossible), the payment ordered."""
    created: list[Row] = []
    extra: dict[str, Any] = {}
    if spec.grant is not None:
        extra, created = approval_records(svc, bundle, item, now, spec.grant.amount_cny)
    at = iso(now)
    info = {
        "stage": APPROVAL,
        "operation": spec.call.operation if spec.call else "",
        "attempts": 0,
        "approved_at": at,
        "next_attempt_at": next_attempt_at(now, 0),
    }
    waiting = move(
        item,
        ItemStatus.WAITING_FOR_DEPARTMENT,
        Trigger.DECISION,
        result={**item.result, **extra},
        department_call=info,
        task_status="decided",
        updated_at=at,
    )
    return waiting, created


def _decided(
    svc: Services,
    spec: ItemSpec,
    bundle: CaseBundle,
    item: ItemRecord,
    approve: bool,
    reason: str | None,
) -> tuple[ItemRecord, list[Row]]:
    review = spec.review
    assert review is not None  # noqa: S101 - checked by decide  # nosec B101
    now = svc.clock()
    if approve and spec.call is not None and spec.call.on_approval:
        return _approved_by_department(svc, spec, bundle, item, now)
    created: list[Row] = []
    extra: dict[str, Any] = {}
    if approve and spec.grant is not None:
        extra, created = approval_records(svc, bundle, item, now, spec.grant.amount_cny)
    elif not approve:
        extra = {"reason_code": "officer.refused", "reason": reason}
    status = review.approved if approve else review.refused
    decided = close_item(
        svc,
        item,
        now,
        status,
        Trigger.DECISION,
        result={**item.result, **extra},
        task_status="decided",  # the token stays: _answer_again may need it
    )
    return decided, created


def decide(
    svc: Services,
    who: Principal,
    department: str,
    task_id: str,
    approve: bool,
    reason: str | None,
    result: dict[str, str] | None = None,
) -> ItemRecord:
    bundle, item = waiting_task(svc, who, department, task_id)
    if item.status == ItemStatus.FAILED:
        return takeover.decide_by_hand(svc, who, bundle, item, approve, reason or "", result or {})
    spec = catalogue.spec(item.code)
    review = spec.review
    if review is None or item.status != review.waits_in:
        _answer_again(svc, item, review)
        raise InvalidState("该事项当前不在待审核状态，不能重复审核", code="invalid_state")
    decided, created = _decided(svc, spec, bundle, item, approve, reason)
    now = svc.clock()
    detail = "审核通过" if approve else f"审核未通过：{reason}"
    note = notification(item, f"{item.code}_decided", f"{detail}（{item.code}）", now)
    history = event(
        item.case_id,
        iso(now),
        decided.status,
        detail,
        item=item.code,
        actor=who.actor,
        actor_id=who.subject,
    )
    change = CaseChange(item.case_id, items=[decided], events=[history], created=[*created, note])
    svc.repo.apply(change)  # a stale item or a grant on record: the API says 409
    deliver(svc, note)
    archive.record_change(svc, bundle.case, change)
    if decided.status == ItemStatus.WAITING_FOR_DEPARTMENT:
        svc.queues.send(item.code, item.case_id, item.task_token)
    elif item.task_token:
        svc.workflow.succeed(item.task_token, {"code": item.code, "status": decided.status})
    return decided


def retry_task(
    svc: Services, who: Principal, department: str | None, task_id: str, reason: str
) -> ItemRecord:
    """An officer of the item's department (or an admin: ``department`` None) retries it."""
    if department is not None:
        bundle, item = waiting_task(svc, who, department, task_id)
    else:
        bundle, item = takeover.failed_item(svc, task_id)
    return takeover.retry(svc, who, bundle, item, reason)
