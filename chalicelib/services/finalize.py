"""Use case: the workflow's last step records the case's outcome once every item finished."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import catalogue
from chalicelib.domain.case import FINAL_CASE_STATUSES, FINISHED, ItemStatus
from chalicelib.domain.lifecycle import Trigger
from chalicelib.domain.rating import RatingStage
from chalicelib.services.context import Services, iso
from chalicelib.services.delivery import new_delivery
from chalicelib.services.history import event
from chalicelib.services.notify import deliver_all, notification, rating_invitation
from chalicelib.services.transitions import close_case, close_item
from chalicelib.store.records import EventRecord, ItemRecord
from chalicelib.store.repository import CaseChange
from chalicelib.workflow.messages import FinalizeMessage

OUTCOME_TEXT = {
    "completed": "联办事项已全部办结",
    "partially_completed": "联办事项已办结，部分事项未予办理，详见各事项结果",
    "rejected": "营业执照信息核验未通过，其他联办事项不予办理",
}
_NOT_HANDLED = "营业执照信息核验未通过，本事项未办理"


def _closing(
    item: ItemRecord, failed: dict[str, str], gate_passed: bool
) -> tuple[ItemStatus, str] | None:
    """What an item that had not finished becomes when the case closes, if anything."""
    if item.status in FINISHED:
        return None
    if item.code in failed:
        return ItemStatus.FAILED, f"系统处理失败（{failed[item.code]}），已转人工处理"
    if not gate_passed:
        return ItemStatus.NOT_HANDLED, _NOT_HANDLED
    return None


def _close_items(
    svc: Services, items: list[ItemRecord], failed: dict[str, str], now: datetime
) -> tuple[list[ItemRecord], list[EventRecord], dict[str, ItemStatus]]:
    gate = next(i for i in items if i.code == catalogue.gate().code)
    gate_passed = gate.status == ItemStatus.COMPLETED
    changed, events, statuses = [], [], {}
    for item in items:
        status = ItemStatus(item.status)
        closing = _closing(item, failed, gate_passed)
        if closing is not None:
            status, detail = closing
            changed.append(close_item(svc, item, now, status, Trigger.CASE_CLOSED))
            events.append(event(item.case_id, iso(now), status, detail, item=item.code))
        statuses[item.code] = status
    return changed, events, statuses


def finalize(svc: Services, message: FinalizeMessage) -> None:
    bundle = svc.repo.load_case(message.case_id)
    if bundle is None:
        raise LookupError(f"case {message.case_id} does not exist")
    if bundle.case.status in FINAL_CASE_STATUSES:  # a redelivery: the outcome stands
        svc.workflow.succeed(message.task_token, {"status": bundle.case.status})
        return
    now = svc.clock()
    failed = {r.code: r.cause or "error" for r in message.results if r.status == ItemStatus.FAILED}
    if message.gate.get("status") == ItemStatus.FAILED:
        failed[catalogue.gate().code] = "licence check failed"
    changed, events, statuses = _close_items(svc, bundle.items, failed, now)
    outcome = catalogue.case_outcome(statuses)
    events.append(event(bundle.case.id, iso(now), outcome, OUTCOME_TEXT[outcome]))
    case = close_case(svc, bundle.case, now, outcome, Trigger.CASE_CLOSED)
    notes = [
        notification(case, "case_finished", f"您的联办申请已办结：{OUTCOME_TEXT[outcome]}", now),
        rating_invitation(case, RatingStage.COMPLETION, now),
    ]
    delivery = new_delivery(bundle, now)
    if delivery is not None:
        notes.append(delivery[1])
    others = [delivery[0]] if delivery else []
    svc.repo.apply(
        CaseChange(case.id, case=case, items=changed, events=events, created=notes, others=others)
    )
    deliver_all(svc, notes)
    svc.workflow.succeed(message.task_token, {"status": outcome})
