"""/v1/events: the change feed integrators follow instead of polling every case."""

from __future__ import annotations

from pydantic import Field

from chalicelib import deps
from chalicelib.api.framework import Call, Operation, QueryParam, Reply, operation
from chalicelib.api.schemas import ItemCodeT, Out
from chalicelib.api.views import local_instant
from chalicelib.domain.access import Role
from chalicelib.domain.events import EventType
from chalicelib.services import events
from chalicelib.store.records import FeedRecord

TYPE_TEXT = {
    EventType.CASE_ACCEPTED: "case.accepted 已受理",
    EventType.CASE_IN_PROGRESS: "case.in_progress 执照核验通过，已分送各部门",
    EventType.CASE_FINISHED: "case.finished 办结（status 为结果）",
    EventType.CASE_WITHDRAWN: "case.withdrawn 已撤回",
    EventType.CASE_RATED: "case.rated 已评价",
    EventType.CASE_OWNER_CHANGED: "case.owner_changed 首问负责人承接或移交",
    EventType.ITEM_STATUS_CHANGED: "item.status_changed 事项状态变化（status 为新状态）",
    EventType.CORRECTION_REQUESTED: "correction.requested 退回补正",
    EventType.CORRECTION_SUBMITTED: "correction.submitted 已补正",
    EventType.DEADLINE_BREACHED: "deadline.breached 超期（有 item 为该事项，否则为整件）",
    EventType.SUBSIDY_REMINDED: "subsidy.reminded 已推送创业补贴申领提醒",
    EventType.SUBSIDY_CLAIMED: "subsidy.claimed 已提交创业补贴申领",
    EventType.DELIVERY_DISPATCHED: "delivery.dispatched 证照已寄出",
    EventType.DELIVERY_HANDED_OVER: "delivery.handed_over 证照已当面交付",
    EventType.FOLLOW_UP_BREACHED: "follow_up.breached 差评回访超期",
    EventType.FOLLOW_UP_CLOSED: "follow_up.closed 差评回访已完成",
}


class ChangeEvent(Out):
    id: str = Field(description="事件编号：稳定、唯一，同一事件在各可见范围的订阅中编号相同")
    type: EventType = Field(description="事件类型（取值固定）：" + "；".join(TYPE_TEXT.values()))
    occurred_at: str = Field(description="发生时间（ISO-8601，+08:00）")
    application_id: str = Field(description="办件编号")
    item: ItemCodeT | None = Field(description="涉及的事项（整件的事件为 null）")
    status: str | None = Field(
        description="事件之后的状态：事项事件为事项状态，整件事件为办件状态，出件、回访事件为其状态"
    )


class EventPage(Out):
    events: list[ChangeEvent] = Field(description="按记录顺序（严格递增）排列的事件")
    next: str = Field(description="下一页的游标：作为 after 传回；没有新事件时原样返回，可据此轮询")
    has_more: bool = Field(description="是否已有下一页可取（为 false 时可稍后再轮询）")


def _event(row: FeedRecord) -> ChangeEvent:
    return ChangeEvent.model_validate(
        {
            "id": row.id,
            "type": row.type,
            "occurred_at": local_instant(row.occurred_at),
            "application_id": row.case_id,
            "item": row.item,
            "status": row.status,
        }
    )


@operation(
    Operation(
        name="list_events",
        method="GET",
        path="/v1/events",
        summary=(
            "办件变更事件：按调用者可见范围（申请人本人的办件、窗口人员本县区、"
            "部门人员本部门本县区、管理员全部）分页列出，供对接系统增量同步"
        ),
        tag="events",
        roles=frozenset(Role),
        responses={200: EventPage},
        query={
            "after": QueryParam("游标：上一页返回的 next；不传则从最早的事件开始"),
            "limit": QueryParam(
                f"每页条数，1–{events.MAX_LIMIT}", default=str(events.DEFAULT_LIMIT)
            ),
        },
        errors=(400, 401),
    ),
)
def list_events(call: Call) -> Reply:
    limit = events.parse_limit(call.query("limit"))
    page = events.events(deps.services(), call.who, call.query("after"), limit)
    body = EventPage(
        events=[_event(r) for r in page.events], next=page.next, has_more=page.has_more
    )
    return Reply(200, body)
