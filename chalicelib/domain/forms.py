"""The items' own sections of the application form (named by their catalogue entries): part
of the public contract, so each field carries its Chinese description."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class PensionIn(In):
    contribution_base: int = Field(
        description="自主选择的月缴费基数（元），须在全省公布的上下限之间"
    )


class SubsidyIn(In):
    category: Literal[
        "recent_graduate", "hard_to_employ", "returning_migrant_worker", "veteran"
    ] = Field(
        description="人员类别：离校2年内高校毕业生 / 就业困难人员 / 返乡入乡农民工 / 退役军人"
    )
    bank: str = Field(min_length=1, max_length=100, description="社会保障卡金融账户开户行")
    account: str = Field(min_length=1, max_length=40, description="社会保障卡金融账户账号")
    # The applicant's declarations of the plan's conditions (附件3 四（二）1⑤, docs/domain.md
    # §6): JSON booleans only, as a declared "no" refuses the subsidy at once.
    first_startup: bool = Field(
        strict=True,
        examples=[True],
        title="首次创办",
        description="首次创办：是否首次创办小微企业或从事个体经营（申请人申报；false 即不符合"
        "一次性开业补贴申领条件）",
    )
    employed_when_starting: bool = Field(
        strict=True,
        examples=[False],
        title="创业时在机关事业或其他单位（企业）就业",
        description="创业时在机关事业或其他单位（企业）就业：是否（申请人申报；true 即不符合"
        "一次性开业补贴申领条件）",
    )
    left_school_on: date | None = Field(
        default=None,
        examples=["2024-06-30"],
        title="离校日期",
        description="离校日期：人员类别为离校2年内高校毕业生（recent_graduate）时必填，其他"
        "类别不填；营业执照登记注册时离校超过2年的不符合申领条件",
    )
