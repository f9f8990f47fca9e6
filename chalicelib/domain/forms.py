"""The items' own sections of the application form (named by their catalogue entries): part
of the public contract, so each field carries its Chinese description."""

from __future__ import annotations

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
