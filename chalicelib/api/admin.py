"""/v1/admin: operators run a scheduled job by hand and load official holiday data."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import Field

from chalicelib import deps
from chalicelib.api import schemas, views
from chalicelib.api.auth import LOCAL_STAGE
from chalicelib.api.examples import CALENDAR_YEAR_PATTERN
from chalicelib.api.framework import Call, Operation, QueryParam, Reply, operation
from chalicelib.api.problems import BadRequest
from chalicelib.domain.access import Role
from chalicelib.errors import NotFound
from chalicelib.services import calendars, jobs, read
from chalicelib.services.context import iso
from chalicelib.store.records import AdminActionRecord


class AccessEntry(schemas.Out):
    at: str = Field(description="读取时间（ISO-8601，+08:00）")
    operation: str = Field(description="读取所经的操作（为何读取），如 get_application")
    request_id: str = Field(description="请求编号（同一请求只记一次）")
    subject: str = Field(description="读取人（工作人员编号）")
    role: str = Field(description="读取人角色：clerk / officer / admin")
    department: str | None = Field(default=None, description="读取人所属部门")
    county: str | None = Field(default=None, description="读取人所属县区")
    clear: list[str] = Field(description="本次明文显示的个人信息字段，其余脱敏")


class AccessLog(schemas.Out):
    application_id: str
    entries: list[AccessEntry] = Field(description="工作人员读取本办件个人信息的记录，按时间先后")
    next: str | None = Field(
        default=None, description="下一页的游标：作为 after 传回；为 null 表示已是最后一页"
    )


# A run "as of" a later instant sends reminders and flags breaches before their time: only on
# a laptop (the local stage), where the demo needs it. A minute of clock skew is tolerated.
FUTURE_TOLERANCE = timedelta(minutes=1)


def parse_at(value: str | None) -> datetime:
    """``AT``: a date (its start, Luoyang time) or an ISO instant; now when absent. A future
    instant is refused outside the local stage."""
    svc = deps.services()
    if not value:
        return svc.clock()
    try:
        if len(value) == 10:
            instant = datetime.fromisoformat(value + "T00:00:00+08:00")
        else:
            instant = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest(
            "at 应为日期（YYYY-MM-DD）或带时区的 ISO 时间", code="bad_request"
        ) from exc
    instant = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    if instant > svc.clock() + FUTURE_TOLERANCE and svc.settings.stage != LOCAL_STAGE:
        raise BadRequest("不能以将来的时间运行任务（仅本地环境可以）", code="at.future")
    return instant


def _audit(call: Call, action: str, target: str, detail: dict[str, Any]) -> None:
    """Who did what by hand, and when: the admins' audit trail (GET /v1/admin/actions)."""
    svc, purpose = deps.services(), views.purpose(call, action)
    record = AdminActionRecord(
        at=purpose.at or svc.now_iso(),
        request_id=purpose.request_id,
        subject=call.who.subject,
        action=action,
        target=target,
        detail=detail,
    )
    svc.repo.record_admin_action(record)


@operation(
    Operation(
        name="run_job",
        method="POST",
        path="/v1/admin/jobs/{job}",
        summary="手动运行一个定时任务（任务名见 jobs.JOBS）",
        tag="admin",
        roles=frozenset({Role.ADMIN}),
        responses={200: schemas.JobRun},
        query={"at": QueryParam("以该日期或时间运行（默认现在）")},
        errors=(400, 401, 403, 404),
    ),
)
def run_job(call: Call, job: str) -> Reply:
    if job not in jobs.JOBS:
        raise NotFound(f"没有名为 {job} 的任务")
    report = jobs.run(deps.services(), job, parse_at(call.query("at")))
    _audit(call, "run_job", job, report.as_dict())
    return Reply(200, schemas.JobRun(**report.as_dict()))


def _year(value: str) -> int:
    # The documented pattern itself (ASCII digits only: str.isdigit would take "２０２７").
    if not re.fullmatch(CALENDAR_YEAR_PATTERN, value):
        raise BadRequest("年份无效", code="bad_request")
    return int(value)


@operation(
    Operation(
        name="put_calendar_year",
        method="PUT",
        path="/v1/admin/calendar/{year}",
        summary="载入某年官方节假日安排（法定假日与调休上班日），无需重新部署",
        tag="admin",
        roles=frozenset({Role.ADMIN}),
        body=schemas.CalendarYearIn,
        responses={200: schemas.CalendarYear},
        errors=(400, 401, 403, 409, 422),
    ),
)
def put_calendar_year(call: Call, year: str) -> Reply:
    body: schemas.CalendarYearIn = call.body
    number = _year(year)
    svc = deps.services()
    load = calendars.YearLoad(number, body.holidays, body.workdays, body.source, body.replace)
    record = calendars.store_year(svc, load, iso(svc.clock()), call.who.subject)
    detail = {"version": record.version, "source": record.source, "replace": body.replace}
    _audit(call, "put_calendar_year", year, detail)
    return Reply(200, schemas.CalendarYear(**record.model_dump()))


@operation(
    Operation(
        name="list_calendar_year_versions",
        method="GET",
        path="/v1/admin/calendar/{year}/versions",
        summary="某年节假日安排载入过的全部版本（替换不删除旧版本）",
        tag="admin",
        roles=frozenset({Role.ADMIN}),
        responses={200: schemas.CalendarYearVersions},
        errors=(400, 401, 403),
    ),
)
def list_calendar_year_versions(call: Call, year: str) -> Reply:
    number = _year(year)
    found = deps.services().repo.calendar_versions(number)
    versions = [schemas.CalendarYear(**v.model_dump()) for v in found]
    return Reply(200, schemas.CalendarYearVersions(year=number, versions=versions))


@operation(
    Operation(
        name="list_admin_actions",
        method="GET",
        path="/v1/admin/actions",
        summary="管理员手动操作记录：谁、何时、运行了哪个任务或载入了哪一年的节假日（只增不改）",
        tag="admin",
        roles=frozenset({Role.ADMIN}),
        responses={200: schemas.AdminActions},
        errors=(401, 403),
    ),
)
def list_admin_actions(call: Call) -> Reply:
    rows = deps.services().repo.admin_actions()
    actions = [
        schemas.AdminAction(**r.model_dump(exclude={"at"}), at=views.local_instant(r.at))
        for r in rows
    ]
    return Reply(200, schemas.AdminActions(actions=actions))


@operation(
    Operation(
        name="list_calendar_years",
        method="GET",
        path="/v1/admin/calendar",
        summary="已载入的节假日安排",
        tag="admin",
        roles=frozenset({Role.ADMIN}),
        responses={200: schemas.CalendarYears},
        errors=(401, 403),
    ),
)
def list_calendar_years(call: Call) -> Reply:
    years = deps.services().repo.calendar_years()
    return Reply(
        200, schemas.CalendarYears(years=[schemas.CalendarYear(**y.model_dump()) for y in years])
    )


@operation(
    Operation(
        name="get_access_log",
        method="GET",
        path="/v1/admin/applications/{application_id}/access-log",
        summary="办件个人信息的查阅记录：哪位工作人员、何时、经由哪个操作读取（只增不改）",
        tag="admin",
        roles=frozenset({Role.ADMIN}),
        responses={200: AccessLog},
        query={
            "after": QueryParam("游标：上一页返回的 next；不传则从最早的记录开始"),
            "limit": QueryParam(
                f"每页条数，1–{read.ACCESS_LOG_MAX}", default=str(read.ACCESS_LOG_LIMIT)
            ),
        },
        errors=(400, 401, 403, 404),
    ),
)
def get_access_log(call: Call, application_id: str) -> Reply:
    limit = read.parse_access_limit(call.query("limit"))
    page = read.access_log(deps.services(), application_id, call.query("after"), limit)
    entries = [
        AccessEntry(**row.model_dump(exclude={"case_id", "at"}), at=views.local_instant(row.at))
        for row in page.entries
    ]
    return Reply(200, AccessLog(application_id=application_id, entries=entries, next=page.next))
