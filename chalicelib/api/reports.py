"""/v1/reports: statistics for the city's working group (工作专班)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from chalicelib import deps
from chalicelib.api.framework import Call, Operation, QueryParam, Reply, operation
from chalicelib.api.schemas import Out
from chalicelib.api.views import local_instant
from chalicelib.domain.access import Role
from chalicelib.services import reports


class Duration(Out):
    median: int | None = Field(description="办结用时中位数（工作日）")
    p90: int | None = Field(description="办结用时第 90 百分位（工作日）")
    count: int
    histogram: dict[str, int] = Field(
        description="办结用时分布：工作日数 → 事项数（30 及以上计入 30）"
    )


class Summary(Out):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from", description="起始日期（含）")
    to: str = Field(description="截止日期（含）")
    cases: int = Field(description="受理办件数")
    by_county: dict[str, int] = Field(description="按县区的受理数")
    by_channel: dict[str, int] = Field(description="按渠道的受理数（online / window）")
    by_item: dict[str, int] = Field(description="按事项的申请数")
    finished_by_item: dict[str, int] = Field(description="按事项的办结数")
    working_days: dict[str, Duration] = Field(description="按事项的办结用时")
    on_time: dict[str, int] = Field(
        description="在办结时限内办结的数量（按事项；case 为整件）；按时率 = on_time / 办结数"
    )
    breaches: dict[str, int] = Field(description="超期次数（按事项；case 为整件）")
    breaches_closed: dict[str, int] = Field(
        description="已超期的事项、整件或差评回访（follow_up）在期间内办结的数量"
    )
    ratings: dict[str, int] = Field(description="好差评分布（1–5，两个环节合计）")
    ratings_by_stage: dict[str, dict[str, int]] = Field(
        description="按环节的好差评分布：acceptance 受理环节 / completion 办结环节 → 等级（1–5）"
        "→ 评价数（评价区分环节之前的评价均在办结后作出，计入 completion）"
    )
    ended: dict[str, int] = Field(description="按结果的办结办件数")
    sms: dict[str, int] = Field(
        description="短信：期间内到达各状态的通知数（sent 已发出、delivered 已送达、failed 失败、"
        "held 曾等待发送、not_applicable 不发短信）"
    )


@operation(
    Operation(
        name="get_report_summary",
        method="GET",
        path="/v1/reports/summary",
        summary="统计汇总：按县区、渠道、事项的办件量，办结用时中位数与 P90，超期，按环节的好差评",
        tag="reports",
        roles=frozenset({Role.ADMIN}),
        responses={200: Summary},
        query={
            "from": QueryParam("起始日期 YYYY-MM-DD（含；默认为截止日期前 29 天，即最近 30 天）"),
            "to": QueryParam("截止日期 YYYY-MM-DD（含；默认为今天，洛阳时间）"),
        },
        errors=(401, 403, 422),
    ),
)
def get_report_summary(call: Call) -> Reply:
    data = reports.summary(deps.services(), call.query("from"), call.query("to"))
    return Reply(200, Summary.model_validate(data).model_dump_json(by_alias=True))


class CalendarCoverage(Out):
    year: int
    known: bool = Field(description="是否已有该年官方节假日安排（内置或已载入）")
    loaded: str | None = Field(description="管理员载入的数据来源（文号）；未载入为 null")


class Calendar(Out):
    today: str = Field(description="今天（洛阳时间）")
    years: list[CalendarCoverage] = Field(description="去年、今年、明年")
    next_year_known: bool = Field(description="明年的节假日安排是否已有")
    loaded: list[int] = Field(description="管理员通过 PUT /v1/admin/calendar/{year} 载入的年份")


class Current(Out):
    at: str = Field(description="统计时刻（ISO-8601，+08:00）")
    open_breaches: dict[str, dict[str, int]] = Field(
        description="未结超期：部门 → 县区 → 数量（事项、整件与差评回访；每部门每县区最多计 200）"
    )
    calendar: Calendar


@operation(
    Operation(
        name="get_report_current",
        method="GET",
        path="/v1/reports/current",
        summary="当前状况（非期间统计）：各部门、县区未结超期数量，节假日数据覆盖的年份",
        tag="reports",
        roles=frozenset({Role.ADMIN}),
        responses={200: Current},
        errors=(401, 403),
    ),
)
def get_report_current(call: Call) -> Reply:
    data = reports.current(deps.services())
    return Reply(200, Current.model_validate({**data, "at": local_instant(data["at"])}))
