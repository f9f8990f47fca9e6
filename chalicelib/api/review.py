"""What the officer deciding an item is told (``domain.review``), as the task and case views
show it: to the officers of the item's department only, never to the applicant."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chalicelib.api.form import Out as _Out  # the response models' base


class ReviewFlag(_Out):
    code: str = Field(
        description="提示代码：pension.past_retirement_age 已达法定退休年龄（请核实是否属于延长"
        "缴费情形）/ subsidy.possible_second_grant 姓名、出生日期、性别相同的人员另有补贴申领"
        "（可能以其他证件重复申领）/ subsidy.category_evidence_missing 未上传人员类别证明材料"
    )
    text: str = Field(description="提示内容（中文）")
    applications: list[str] | None = Field(
        default=None, description="相关的其他办件编号（可能重复申领时）"
    )


class ReviewCondition(_Out):
    code: str = Field(
        description="条件代码：working_age、first_startup、category、"
        "left_school_within_two_years、not_employed_when_starting、operating_one_year、"
        "once_per_person"
    )
    label: str = Field(description="条件（方案原文的要求）")
    basis: Literal["system", "declaration", "evidence"] = Field(
        description="依据：system 系统核验（登记机关、证件号码、发放记录）/ declaration 申请人"
        "申报 / evidence 申请人上传的证明材料（由审核人员核实）"
    )
    met: bool | None = Field(description="按其依据是否满足；null：由审核人员判断")


class ItemReview(_Out):
    """审核提示：规则无法自动判定、留给审核人员核实的事项，以及各条件的核验依据。"""

    flags: list[ReviewFlag] = Field(description="需审核人员核实的提示（不会自动不予办理）")
    conditions: list[ReviewCondition] = Field(description="申领条件及其核验依据")


def review_view(stored: dict[str, Any] | None) -> ItemReview | None:
    return ItemReview.model_validate(stored) if stored else None
