"""An item whose department's system did not answer: it waits (``waiting_for_department``)
and its task goes back to its queue, delayed a little longer after each failed attempt, until
the system answers; after the configured attempts, or at once when trying again cannot help,
it fails to a person (the department's officers take it over: ``services.takeover``).

The attempt count lives on the item (``department_call``) and travels in each message: a
message of an earlier attempt is a duplicate and is dropped, so one waiting item never has
two retry chains, however often SQS delivers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.case import ItemStatus
from chalicelib.domain.catalogue import ItemSpec
from chalicelib.domain.lifecycle import Trigger
from chalicelib.integrations.departments import DepartmentUnavailable
from chalicelib.services.context import Services, iso
from chalicelib.services.department_calls import department_name
from chalicelib.services.history import event
from chalicelib.services.notify import alert_department
from chalicelib.store.records import CaseBundle, ConnectorCallRecord, ItemRecord
from chalicelib.store.repository import CaseChange, evolve, move
from chalicelib.workflow.messages import TaskMessage

HANDLING, APPROVAL = "handling", "approval"
# A task expected back by then and not seen is sent again by the restart sweeper (its message
# was lost, e.g. the queue refused it right after the item was written).
LOST_AFTER = timedelta(minutes=5)
FAILURE_TEXT = {
    "timeout": "系统响应超时",
    "unavailable": "系统暂不可用",
    "throttled": "系统繁忙",
    "server_error": "系统内部错误",
    "credentials": "对接凭据未通过",
    "not_configured": "对接尚未配置",
    "contract": "对接数据不符合约定",
    "handler_error": "多次处理失败",
}


def stage_of(item: ItemRecord) -> str:
    return str((item.department_call or {}).get("stage") or HANDLING)


def attempts_of(item: ItemRecord) -> int:
    return int((item.department_call or {}).get("attempts") or 0)


def stale(item: ItemRecord, message: TaskMessage) -> bool:
    """A message of an earlier attempt than the item records (a duplicate delivery)."""
    return item.status == ItemStatus.WAITING_FOR_DEPARTMENT and message.attempt < attempts_of(item)


def delay_s(svc: Services, attempts: int) -> int:
    """base x 2^(attempts - 1) seconds, capped."""
    base, cap = svc.settings.retry_base_s, svc.settings.retry_max_s
    return int(min(cap, base * 2 ** max(0, attempts - 1)))


def next_attempt_at(now: datetime, delay: int) -> str:
    """When the sweeper may take the task for lost: its delay, and then some."""
    return iso(now + timedelta(seconds=delay) + LOST_AFTER)


def _call_info(
    svc: Services, item: ItemRecord, failure: DepartmentUnavailable, now: datetime
) -> dict[str, Any]:
    info = dict(item.department_call or {})
    info.setdefault("stage", HANDLING)
    info.setdefault("first_failed_at", iso(now))
    attempts = attempts_of(item) + 1
    info.update(
        connector=failure.connector,
        failure=failure.kind,
        attempts=attempts,
        last_failed_at=iso(now),
        next_attempt_at=next_attempt_at(now, delay_s(svc, attempts)),
    )
    return info


def wait(
    svc: Services,
    bundle: CaseBundle,
    item: ItemRecord,
    spec: ItemSpec,
    failure: DepartmentUnavailable,
    calls: Sequence[ConnectorCallRecord],
    token: str | None,
    now: datetime,
) -> None:
    """Record the failed attempt and send the task back, later; or give up."""
    at = iso(now)
    info = _call_info(svc, item, failure, now)
    if failure.final or info["attempts"] >= svc.settings.connector_max_attempts:
        give_up(svc, bundle, item, spec, failure.kind, now, token, calls, info)
        return
    fields: dict[str, Any] = {"department_call": info, "updated_at": at}
    if token:
        fields["task_token"] = token
    if item.status == ItemStatus.WAITING_FOR_DEPARTMENT:
        waited = evolve(item, **fields)
    else:
        waited = move(item, ItemStatus.WAITING_FOR_DEPARTMENT, Trigger.HANDLING, **fields)
    events = []
    previous = (item.department_call or {}).get("failure")
    if item.status != ItemStatus.WAITING_FOR_DEPARTMENT or previous != failure.kind:
        trouble = FAILURE_TEXT.get(failure.kind, "暂时无法办理")
        text = f"{department_name(spec)}{trouble}，系统将自动重试"
        events.append(
            event(bundle.case.id, at, ItemStatus.WAITING_FOR_DEPARTMENT, text, item=item.code)
        )
    svc.repo.apply(CaseChange(bundle.case.id, items=[waited], events=events, created=calls))
    svc.queues.send(
        item.code,
        bundle.case.id,
        token,
        delay_s=delay_s(svc, info["attempts"]),
        attempt=info["attempts"],
    )


def give_up(
    svc: Services,
    bundle: CaseBundle,
    item: ItemRecord,
    spec: ItemSpec,
    kind: str,
    now: datetime,
    token: str | None = None,
    calls: Sequence[ConnectorCallRecord] = (),
    info: dict[str, Any] | None = None,
) -> None:
    """The item fails to a person: it joins its department's queue of failed items, keeps its
    task token (the workflow waits for the person), and the department is alerted."""
    at = iso(now)
    info = {**(info or item.department_call or {}), "failure": kind, "given_up_at": at}
    info.setdefault("stage", HANDLING)
    info.pop("next_attempt_at", None)
    fields: dict[str, Any] = {"department_call": info, "task_status": "failed", "updated_at": at}
    if token:
        fields["task_token"] = token
    failed = move(item, ItemStatus.FAILED, Trigger.GIVEN_UP, **fields)
    text = f"系统处理失败（{FAILURE_TEXT.get(kind, kind)}），已转{department_name(spec)}人工处理"
    history = event(bundle.case.id, at, ItemStatus.FAILED, text, item=item.code)
    svc.repo.apply(CaseChange(bundle.case.id, items=[failed], events=[history], created=calls))
    payload = {"application_id": bundle.case.id, "item": item.code, "failure": kind}
    alert_department(svc, spec.department, item.county, "item_failed", payload)
