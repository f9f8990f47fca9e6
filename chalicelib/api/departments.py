"""/v1/departments/{department}: an officer's work queue and decisions."""

from __future__ import annotations

from pydantic import Field

from chalicelib import deps
from chalicelib.api import schemas, views
from chalicelib.api.framework import Call, Operation, QueryParam, Reply, operation
from chalicelib.api.problems import BadRequest
from chalicelib.api.schemas import In, Out
from chalicelib.domain import catalogue
from chalicelib.domain.access import Role
from chalicelib.domain.problems import Problem
from chalicelib.domain.rating import RatingStage
from chalicelib.errors import InvalidInput, NotFound
from chalicelib.services import corrections, decide, feedback, read
from chalicelib.store.records import FollowUpRecord


def _department(value: str) -> str:
    known = catalogue.department_codes()
    if value not in known:
        raise BadRequest(f"未知部门：应为 {' / '.join(known)}", code="bad_request")
    return value


@operation(
    Operation(
        name="list_department_tasks",
        method="GET",
        path="/v1/departments/{department}/tasks",
        summary="部门待办：本部门、本县区等待审核（pending）、已审核（decided）或系统处理失败待人工"
        "接手（failed）的事项，时限最近的在前",
        tag="departments",
        roles=frozenset({Role.OFFICER}),
        responses={200: schemas.TaskList},
        query={"status": QueryParam("待办状态", enum=read.TASK_STATUSES, default="pending")},
        errors=(400, 401, 403),
    ),
)
def list_department_tasks(call: Call, department: str) -> Reply:
    status = call.query("status", "pending") or "pending"
    if status not in read.TASK_STATUSES:
        raise BadRequest("status 应为 pending、decided 或 failed", code="bad_request")
    items = read.department_tasks(deps.services(), call.who, _department(department), status)
    return Reply(200, schemas.TaskList(tasks=[views.task(i) for i in items]))


@operation(
    Operation(
        name="decide_department_task",
        method="POST",
        path="/v1/departments/{department}/tasks/{task_id}/decision",
        summary="审核决定：通过或不通过（须说明原因），随即恢复联办流程；对处理失败的事项即人工"
        "办理（须说明原因，通过时填写从部门取得的结果）",
        tag="departments",
        roles=frozenset({Role.OFFICER}),
        body=schemas.DecisionIn,
        responses={200: schemas.Task},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def decide_department_task(call: Call, department: str, task_id: str) -> Reply:
    body: schemas.DecisionIn = call.body
    if not body.approve and not body.reason:
        raise InvalidInput(problems=[Problem("reason", "required", "不通过时须说明原因")])
    item = decide.decide(
        deps.services(),
        call.who,
        _department(department),
        task_id,
        body.approve,
        body.reason,
        body.result,
    )
    return Reply(200, views.task(item))


@operation(
    Operation(
        name="retry_department_task",
        method="POST",
        path="/v1/departments/{department}/tasks/{task_id}/retry",
        summary="人工接手：把系统处理失败（failed）的事项重新送交部门系统办理（须说明原因）",
        tag="departments",
        roles=frozenset({Role.OFFICER}),
        body=schemas.RetryIn,
        responses={200: schemas.Task},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def retry_department_task(call: Call, department: str, task_id: str) -> Reply:
    body: schemas.RetryIn = call.body
    svc = deps.services()
    item = decide.retry_task(svc, call.who, _department(department), task_id, body.reason)
    return Reply(200, views.task(item))


@operation(
    Operation(
        name="list_department_breaches",
        method="GET",
        path="/v1/departments/{department}/breaches",
        summary="超期预警：本部门、本县区已超过办结时限且尚未办结的事项",
        tag="departments",
        roles=frozenset({Role.OFFICER}),
        responses={200: schemas.BreachList},
        errors=(400, 401, 403),
    ),
)
def list_department_breaches(call: Call, department: str) -> Reply:
    rows = read.department_breaches(deps.services(), call.who, _department(department))
    return Reply(200, schemas.BreachList(breaches=[views.breach(r, late) for r, late in rows]))


@operation(
    Operation(
        name="get_subsidy_notice",
        method="GET",
        path="/v1/departments/{department}/subsidy-notice",
        summary="一次性开业补贴公示名单（仅显示脱敏信息；公开，无需登录）",
        tag="departments",
        roles=None,
        responses={200: schemas.SubsidyNotice},
        errors=(404,),
    ),
)
def get_subsidy_notice(call: Call, department: str) -> Reply:
    if department != catalogue.LEAD_DEPARTMENT:
        raise NotFound("只有人社部门发布创业补贴公示")
    rows = read.subsidy_notice(deps.services())
    return Reply(200, schemas.SubsidyNotice(notice=[views.notice(r) for r in rows]))


class CorrectionEntry(In):
    field: str = Field(min_length=1, max_length=100, description="需要补正的字段（点分路径）")
    reason: str = Field(min_length=1, max_length=300, description="补正原因与要求")


class CorrectionRequestIn(In):
    corrections: list[CorrectionEntry] = Field(
        min_length=1, max_length=30, description="一次性告知的全部补正内容"
    )


class FollowUp(Out):
    application_id: str
    stage: RatingStage = Field(description="差评所在环节：acceptance 受理 / completion 办结")
    department: str
    level: int = Field(description="评价等级")
    reason: str
    status: str = Field(description="open / closed")
    due_date: str = Field(description="回访时限")
    due_provisional: bool = Field(
        description="时限所在年份尚无官方节假日数据时为 true（暂按周末推算），数据载入后重算"
    )
    note: str | None = None


class FollowUpList(Out):
    follow_ups: list[FollowUp]


class FollowUpClosureIn(In):
    note: str = Field(min_length=1, max_length=1000, description="回访情况")
    stage: RatingStage | None = Field(
        default=None,
        description="办结哪一环节的回访；不填时为该办件本部门唯一待办的回访（两个环节均待办时"
        "须填写，否则 422）",
    )


def _follow_up(record: FollowUpRecord) -> FollowUp:
    return FollowUp(
        application_id=record.case_id,
        **record.model_dump(include=set(FollowUp.model_fields) - {"application_id"}),
    )


@operation(
    Operation(
        name="request_correction",
        method="POST",
        path="/v1/departments/{department}/tasks/{task_id}/correction",
        summary="退回补正：一次性列明全部需补正的字段和原因，办理时限暂停",
        tag="departments",
        roles=frozenset({Role.OFFICER}),
        body=CorrectionRequestIn,
        responses={200: schemas.Task},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def request_correction(call: Call, department: str, task_id: str) -> Reply:
    body: CorrectionRequestIn = call.body
    entries = [{"field": c.field, "reason": c.reason} for c in body.corrections]
    item = corrections.request_correction(
        deps.services(), call.who, _department(department), task_id, entries
    )
    return Reply(200, views.task(item))


@operation(
    Operation(
        name="list_follow_ups",
        method="GET",
        path="/v1/departments/{department}/follow-ups",
        summary="差评回访：本部门、本县区的回访事项",
        tag="departments",
        roles=frozenset({Role.OFFICER}),
        responses={200: FollowUpList},
        query={"status": QueryParam("回访状态", enum=("open", "closed"), default="open")},
        errors=(400, 401, 403),
    ),
)
def list_follow_ups(call: Call, department: str) -> Reply:
    status = call.query("status", "open") or "open"
    if status not in ("open", "closed"):
        raise BadRequest("status 应为 open 或 closed", code="bad_request")
    rows = feedback.follow_ups(deps.services(), call.who, _department(department), status)
    return Reply(200, FollowUpList(follow_ups=[_follow_up(r) for r in rows]))


@operation(
    Operation(
        name="close_follow_up",
        method="POST",
        path="/v1/departments/{department}/follow-ups/{application_id}/closure",
        summary="完成回访：记录回访情况并办结",
        tag="departments",
        roles=frozenset({Role.OFFICER}),
        body=FollowUpClosureIn,
        responses={200: FollowUp},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def close_follow_up(call: Call, department: str, application_id: str) -> Reply:
    body: FollowUpClosureIn = call.body
    record = feedback.close_follow_up(
        deps.services(), call.who, _department(department), application_id, body.note, body.stage
    )
    return Reply(200, _follow_up(record))
