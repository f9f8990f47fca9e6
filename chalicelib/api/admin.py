"""/v1/admin: operators run a scheduled job by hand and load official holiday data."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from chalicelib import deps
from chalicelib.api import schemas
from chalicelib.api.examples import CALENDAR_YEAR_PATTERN
from chalicelib.api.framework import Call, Operation, QueryParam, Reply, operation
from chalicelib.domain.access import Role
from chalicelib.errors import BadRequest, NotFound
from chalicelib.services import calendars, jobs
from chalicelib.services.context import iso


def parse_at(value: str | None) -> datetime:
    """``AT``: a date (its start, Luoyang time) or an ISO instant; now when absent."""
    if not value:
        return deps.services().clock()
    try:
        if len(value) == 10:
            return datetime.fromisoformat(value + "T00:00:00+08:00")
        instant = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest(
            "at 应为日期（YYYY-MM-DD）或带时区的 ISO 时间", code="bad_request"
        ) from exc
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


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
    return Reply(200, schemas.JobRun(**report.as_dict()))


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
        errors=(400, 401, 403, 422),
    ),
)
def put_calendar_year(call: Call, year: str) -> Reply:
    body: schemas.CalendarYearIn = call.body
    # The documented pattern itself (ASCII digits only: str.isdigit would take "２０２７").
    if not re.fullmatch(CALENDAR_YEAR_PATTERN, year):
        raise BadRequest("年份无效", code="bad_request")
    svc = deps.services()
    record = calendars.store_year(
        svc, int(year), body.holidays, body.workdays, body.source, iso(svc.clock())
    )
    return Reply(200, schemas.CalendarYear(**record.model_dump()))


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
