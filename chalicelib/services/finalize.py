"""Use case: the workflow's last step records the case's outcome once every item finished."""

from __future__ import annotations

from chalicelib.domain.case import (
    FINAL_CASE_STATUSES,
    FINISHED,
    CaseStatus,
    ItemCode,
    ItemStatus,
    case_outcome,
)
from chalicelib.services.context import Services
from chalicelib.services.history import event
from chalicelib.store.records import ItemRecord
from chalicelib.store.repository import CaseChange, ItemChange
from chalicelib.workflow.messages import FinalizeMessage

_OUTCOME_TEXT = {
    CaseStatus.COMPLETED: "联办事项已全部办结",
    CaseStatus.PARTIALLY_COMPLETED: "联办事项已办结，部分事项未予办理，详见各事项结果",
    CaseStatus.REJECTED: "营业执照信息核验未通过，其他联办事项不予办理",
}


def _closing_status(
    item: ItemRecord, failed: dict[str, str], licence_ok: bool
) -> tuple[ItemStatus, str] | None:
    """What an item that had not finished becomes when the case closes, if anything."""
    if item.status in FINISHED:
        return None
    if item.code in failed:
        return ItemStatus.FAILED, f"系统处理失败（{failed[item.code]}），已转人工处理"
    if not licence_ok:
        return ItemStatus.NOT_HANDLED, "营业执照信息核验未通过，本事项未办理"
    return None


def finalize(svc: Services, message: FinalizeMessage) -> None:
    bundle = svc.repo.load_case(message.case_id)
    if bundle is None:
        raise LookupError(f"case {message.case_id} does not exist")
    if bundle.case.status in FINAL_CASE_STATUSES:
        svc.workflow.succeed(message.task_token, {"status": bundle.case.status})
        return
    at = svc.now_iso()
    failed = {r.code: r.cause or "error" for r in message.results if r.status == ItemStatus.FAILED}
    if message.licence.get("status") == ItemStatus.FAILED:
        failed[ItemCode.LICENSE_VERIFICATION] = "licence check failed"
    licence = next(i for i in bundle.items if i.code == ItemCode.LICENSE_VERIFICATION)
    licence_ok = licence.status == ItemStatus.COMPLETED
    changes, events, statuses = [], [], {}
    for item in bundle.items:
        closing = _closing_status(item, failed, licence_ok)
        status = ItemStatus(item.status)
        if closing is not None:
            status, detail = closing
            changes.append(
                ItemChange(
                    item.model_copy(update={"status": status, "updated_at": at}), (item.status,)
                )
            )
            events.append(event(item.case_id, at, status, detail, item=item.code))
        statuses[ItemCode(item.code)] = status
    outcome = case_outcome(statuses)
    events.append(event(bundle.case.id, at, outcome, _OUTCOME_TEXT[outcome]))
    open_states = tuple(s for s in CaseStatus if s not in FINAL_CASE_STATUSES)
    svc.repo.apply(
        CaseChange(
            case_id=bundle.case.id,
            at=at,
            items=changes,
            case_status=outcome,
            case_expected=open_states,
            events=events,
        )
    )
    svc.workflow.succeed(message.task_token, {"status": outcome})
