"""/v1/reports: statistics for the city's working group (工作专班)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from chalicelib import deps
from chalicelib.api.framework import Call, Operation, QueryParam, Reply, operation
from chalicelib.api.schemas import Out
from chalicelib.domain.access import Role
from chalicelib.services import reports


class Duration(Out):
    median: int | None = Field(description="办结用时中位数（工作日）")
    p90: int | None = Field(description="办结用时第 90 百分位（工作日）")
    count: int


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
    breaches: dict[str, int] = Field(description="超期次数（按事项；case 为整件）")
    ratings: dict[str, int] = Field(description="好差评分布（1–5）")
    ended: dict[str, int] = Field(description="按结果的办结办件数")


@operation(
    Operation(
        name="get_report_summary",
        method="GET",
        path="/v1/reports/summary",
        summary="统计汇总：按县区、渠道、事项的办件量，办结用时中位数与 P90，超期与好差评",
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
