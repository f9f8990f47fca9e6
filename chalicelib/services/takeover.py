"""A person takes over an item the system gave up on (``failed``): an officer of its department
in its county (or an admin, from the operators' tools) sends it through its path again, or
an officer decides it by hand with the result they obtained. Both are audited with who and
why; the case then finishes as usual (the workflow kept waiting for the item's task)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.domain import catalogue
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.calendar import local_date
from chalicelib.domain.case import ItemStatus, Outcome, split_task_id
from chalicelib.domain.catalogue import ItemSpec
from chalicelib.domain.lifecycle import Trigger
from chalicelib.domain.problems import Problem
from chalicelib.errors import InvalidInput, InvalidState, NotFound
from chalicelib.services import archive
from chalicelib.services.changes import item_change
from chalicelib.services.context import Services, iso
from chalicelib.services.handle import answer
from chalicelib.services.history import event
from chalicelib.services.notify import deliver_all
from chalicelib.services.waiting import APPROVAL, next_attempt_at, stage_of
from chalicelib.store.records import CaseBundle, ItemRecord
from chalicelib.store.repository import CaseChange, move


def failed_item(svc: Services, task_id: str) -> tuple[CaseBundle, ItemRecord]:
    """The task's case and item (any state, any department), or ``NotFound``."""
    case_id, code = split_task_id(task_id)
    bundle = svc.repo.load_case(case_id) if case_id and code else None
    item = bundle.item(code) if bundle else None
    if bundle is None or item is None:
        raise NotFound("未找到该待办事项")
    return bundle, item


def _retried_status(item: ItemRecord, spec: ItemSpec) -> ItemStatus:
    if stage_of(item) == APPROVAL:
        return ItemStatus.WAITING_FOR_DEPARTMENT  # the approval's call, again
    return ItemStatus.PENDING if spec.gate else ItemStatus.DISPATCHED


def retry(
    svc: Services, who: Principal, bundle: CaseBundle, item: ItemRecord, reason: str
) -> ItemRecord:
    """Send the failed item through its path again (its department call, with the same
    idempotency key: a department that did register it does not register it twice)."""
    if item.status == ItemStatus.WAITING_FOR_DEPARTMENT:  # retried already: send it again
        svc.queues.send(item.code, bundle.case.id, item.task_token)
        raise InvalidState("该事项已在重试中", code="invalid_state")
    if item.status != ItemStatus.FAILED:
        raise InvalidState("只有处理失败的事项可以重试", code="invalid_state")
    spec = catalogue.spec(item.code)
    now = svc.clock()
    at = iso(now)
    info: dict[str, Any] | None = None
    if stage_of(item) == APPROVAL:
        info = {**(item.department_call or {}), "attempts": 0, "retried_at": at}
        info["next_attempt_at"] = next_attempt_at(now, 0)
    status = _retried_status(item, spec)
    retried = move(
        item, status, Trigger.RETRY, department_call=info, task_status=None, updated_at=at
    )
    history = event(
        bundle.case.id,
        at,
        "retried",
        f"人工重试：{reason}",
        item=item.code,
        actor=who.actor,
        actor_id=who.subject,
    )
    svc.repo.apply(CaseChange(bundle.case.id, items=[retried], events=[history]))
    svc.queues.send(item.code, bundle.case.id, item.task_token)
    return retried


def _by_hand(
    spec: ItemSpec,
    item: ItemRecord,
    approve: bool,
    reason: str,
    result: Mapping[str, str],
    today: str,
) -> Outcome:
    approval = stage_of(item) == APPROVAL
    review = spec.review
    if approve and not approval and (spec.grant is not None or spec.review is not None):
        # What handling would have started (a reminder, an officer's review) is not a result
        # to type in: send the item through its path again instead.
        raise InvalidState("该事项请使用重试，不能人工办结", code="takeover.retry_only")
    if approve:
        status = review.approved if approval and review else ItemStatus.COMPLETED
        scheme = spec.certificate
        issued = {scheme.date_field: today} if scheme and scheme.issued else {}
        return Outcome(status, f"人工办结：{reason}", {**item.result, **issued, **result})
    status = review.refused if approval and review else ItemStatus.REFUSED
    fields = {"reason_code": "officer.refused", "reason": reason}
    return Outcome(status, f"人工办理不予通过：{reason}", {**item.result, **fields})


def _check_result(spec: ItemSpec, approve: bool, result: Mapping[str, str]) -> None:
    scheme = spec.certificate
    if approve and scheme is not None and scheme.issued and not result.get(scheme.number_field):
        field = f"result.{scheme.number_field}"
        message = "人工办结须填写部门核发的证照编号"
        raise InvalidInput(problems=[Problem(field, "required", message)])


def decide_by_hand(
    svc: Services,
    who: Principal,
    bundle: CaseBundle,
    item: ItemRecord,
    approve: bool,
    reason: str,
    result: Mapping[str, str],
) -> ItemRecord:
    """An officer decides a failed item with what they obtained from the department."""
    spec = catalogue.spec(item.code)
    if not reason:
        raise InvalidInput(problems=[Problem("reason", "required", "人工办理须说明原因")])
    _check_result(spec, approve, result)
    now: datetime = svc.clock()
    outcome = _by_hand(spec, item, approve, reason, result, local_date(now).isoformat())
    actor = (who.actor, who.subject if who.role is not Role.APPLICANT else None)
    change = item_change(
        svc,
        bundle,
        item,
        spec,
        outcome,
        item.task_token,
        now,
        trigger=Trigger.TAKEOVER,
        actor=actor,
    )
    svc.repo.apply(change)
    archive.record_change(svc, bundle.case, change)
    deliver_all(svc, change.created)
    if item.task_token and not outcome.wait_for_person:
        answer(svc, item.task_token, item.code, outcome.status)
    return change.items[0]
