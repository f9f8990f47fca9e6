"""/v1/admin/connectors and /v1/admin/dead-letters: the departments' systems as the service
sees them, and the items the system gave up on (the whole city; officers see their own under
/v1/departments/{department}/tasks?status=failed)."""

from __future__ import annotations

from pydantic import Field

from chalicelib import deps
from chalicelib.api import schemas, views
from chalicelib.api.framework import Call, Operation, Reply, operation
from chalicelib.domain.access import Role
from chalicelib.domain.case import task_id as task_id_of
from chalicelib.services import connectors, decide


class Connector(schemas.Out):
    name: str = Field(description="对接的部门系统（市场监管、税务、人社就业、人社社保、人社财务）")
    department: str = Field(description="所属部门代码")
    configured: bool = Field(description="本环境是否已配置网关地址与凭据")
    last_success_at: str | None = Field(description="最近一次得到答复的时间（+08:00）")
    last_failure_at: str | None = Field(description="最近一次调用失败的时间（+08:00）")
    last_failure_class: str | None = Field(description="最近一次失败的类别（不含个人信息）")
    failures_last_hour: int = Field(description="最近一小时失败次数")


class ConnectorList(schemas.Out):
    connectors: list[Connector]


class DeadLetter(schemas.Out):
    task_id: str = Field(description="待办编号（办件编号.事项代码）")
    application_id: str
    item: str
    department: str
    county: str
    failed_at: str = Field(description="转人工的时间（+08:00）")
    reason_class: str = Field(description="失败类别（timeout、unavailable、handler_error 等）")


class DeadLetterList(schemas.Out):
    items: list[DeadLetter] = Field(description="系统处理失败、等待人工接手的事项，最早的在前")


@operation(
    Operation(
        name="list_connectors",
        method="GET",
        path="/v1/admin/connectors",
        summary="部门系统对接状态：是否已配置、最近成功与失败、近一小时失败次数",
        tag="admin",
        roles=frozenset({Role.ADMIN}),
        responses={200: ConnectorList},
        errors=(401, 403),
    ),
)
def list_connectors(call: Call) -> Reply:
    rows = connectors.health(deps.services())
    found = [
        Connector(
            name=h.connector,
            department=department,
            configured=configured,
            last_success_at=views.local_instant(h.last_success_at) if h.last_success_at else None,
            last_failure_at=views.local_instant(h.last_failure_at) if h.last_failure_at else None,
            last_failure_class=h.last_failure_class,
            failures_last_hour=h.failures_since,
        )
        for h, department, configured in rows
    ]
    return Reply(200, ConnectorList(connectors=found))


@operation(
    Operation(
        name="list_dead_letters",
        method="GET",
        path="/v1/admin/dead-letters",
        summary="全市系统处理失败、等待人工接手的事项（不含个人信息）",
        tag="admin",
        roles=frozenset({Role.ADMIN}),
        responses={200: DeadLetterList},
        errors=(401, 403),
    ),
)
def list_dead_letters(call: Call) -> Reply:
    items = connectors.failed_items(deps.services())
    found = [
        DeadLetter(
            task_id=task_id_of(i.case_id, i.code),
            application_id=i.case_id,
            item=i.code,
            department=i.department,
            county=i.county,
            failed_at=views.local_instant(i.updated_at),
            reason_class=str((i.department_call or {}).get("failure") or "handler_error"),
        )
        for i in items
    ]
    return Reply(200, DeadLetterList(items=found))


@operation(
    Operation(
        name="retry_dead_letter",
        method="POST",
        path="/v1/admin/dead-letters/{task_id}/retry",
        summary="重新送交一个处理失败的事项（与部门人员的重试相同，记入办件过程）",
        tag="admin",
        roles=frozenset({Role.ADMIN}),
        body=schemas.RetryIn,
        responses={202: schemas.Task},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def retry_dead_letter(call: Call, task_id: str) -> Reply:
    body: schemas.RetryIn = call.body
    item = decide.retry_task(deps.services(), call.who, None, task_id, body.reason)
    return Reply(202, views.task(item))
