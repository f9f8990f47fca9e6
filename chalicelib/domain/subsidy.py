"""The start-up subsidy's conditions (docs/domain.md §6): checked when the item is handled and
again at the claim a year later, and what the officer reviewing the claim is told about each.

The plan (附件3 四（二）1⑤): "在法定劳动年龄内，首次创办小微企业或从事个体经营，且所创办企业或
个体工商户自工商登记注册之日起正常经营 1 年以上的离校 2 年内高校毕业生、就业困难人员、返乡入乡
农民工、退役军人，创业时不在机关事业或其他单位（企业）就业的均可申领一次性开业补贴。" Every
condition is about starting the business, so each is judged at the licence's registration date.
A condition the applicant declared unmet refuses at once; what rests on a declaration or on
evidence is for the officer who reviews the claim."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain import review
from chalicelib.domain.calendar import years_after
from chalicelib.domain.problems import Problem
from chalicelib.domain.working_age import legal_working_age

RECENT_GRADUATE = "recent_graduate"
# 附件2 创业补贴 人员类别.
CATEGORY_NAMES = {
    RECENT_GRADUATE: "离校2年内高校毕业生",
    "hard_to_employ": "就业困难人员",
    "returning_migrant_worker": "返乡入乡农民工",
    "veteran": "退役军人",
}
GRADUATE_YEARS = 2  # "离校2年内" (附件2; 附件3 四（二）1⑤)
# Not from the plan, which asks only for "相关材料" (附件4 七.5): what HRSS usually examines
# for each category, shown to the officer as guidance (**unverified**, never a refusal).
CATEGORY_EVIDENCE = {
    RECENT_GRADUATE: "毕业证书或学历证明",
    "hard_to_employ": "就业困难人员认定证明",
    "returning_migrant_worker": "返乡入乡农民工身份证明",
    "veteran": "退役军人证件",
}

# The refusals, in the words of the plan's condition each one fails.
OUTSIDE_WORKING_AGE = (
    "age.outside_working_age",
    "个体工商户工商登记注册时申请人不在法定劳动年龄内，不符合一次性开业补贴“在法定劳动年龄内”"
    "的申领条件",
)
NOT_FIRST_STARTUP = (
    "subsidy.not_first_startup",
    "申请人申报并非首次创办，不符合一次性开业补贴“首次创办小微企业或从事个体经营”的申领条件",
)
GRADUATE_BEYOND_TWO_YEARS = (
    "subsidy.graduate_beyond_two_years",
    "个体工商户工商登记注册时申请人离校已超过2年，不属于“离校2年内高校毕业生”，不符合一次性开业"
    "补贴申领条件",
)
EMPLOYED_WHEN_STARTING = (
    "subsidy.employed_when_starting",
    "申请人申报创业时在机关事业或其他单位（企业）就业，不符合一次性开业补贴“创业时不在机关事业或"
    "其他单位（企业）就业”的申领条件",
)
POSSIBLE_SECOND_GRANT = "subsidy.possible_second_grant"
CATEGORY_EVIDENCE_MISSING = "subsidy.category_evidence_missing"


@dataclass(frozen=True)
class Declarations:
    """The applicant's declarations in the form's subsidy section (``None``: not declared, as
    on a form submitted before the section asked for them)."""

    first_startup: bool | None
    employed_when_starting: bool | None
    left_school_on: date | None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def declarations(section: Mapping[str, Any]) -> Declarations:
    return Declarations(
        first_startup=_flag(section.get("first_startup")),
        employed_when_starting=_flag(section.get("employed_when_starting")),
        left_school_on=_date(section.get("left_school_on")),
    )


@dataclass(frozen=True)
class Applicant:
    """Who the conditions are about: the form's subsidy section and the person's age facts."""

    section: Mapping[str, Any]
    birth_date: date | None
    gender: str
    female_retirement_age: int

    @property
    def category(self) -> str | None:
        found = self.section.get("category")
        return found if isinstance(found, str) else None


def refusal(person: Applicant, registered_on: date) -> tuple[str, str] | None:
    """The first of the plan's conditions that fails, judged at the registration date: the
    reason code and the plan's wording; ``None`` when none does."""
    declared = declarations(person.section)
    birth = person.birth_date
    if birth is None or not legal_working_age(
        birth, person.gender, registered_on, person.female_retirement_age
    ):
        return OUTSIDE_WORKING_AGE
    if declared.first_startup is False:
        return NOT_FIRST_STARTUP
    # 离校2年内: the period ends on the same date two years on (民法典 arts. 201-202).
    left = declared.left_school_on
    graduate = person.category == RECENT_GRADUATE and left is not None
    if graduate and left is not None and registered_on > years_after(left, GRADUATE_YEARS):
        return GRADUATE_BEYOND_TWO_YEARS
    if declared.employed_when_starting is True:
        return EMPLOYED_WHEN_STARTING
    return None


def section_problems(section: Mapping[str, Any], today: date) -> list[Problem]:
    """离校日期: asked of graduates only (docs/domain.md §3, §10: only what the item needs)."""
    field = "subsidy.left_school_on"
    category, raw = section.get("category"), section.get("left_school_on")
    if category == RECENT_GRADUATE and raw is None:
        return [Problem(field, "required", "人员类别为离校2年内高校毕业生时，请填写离校日期")]
    if isinstance(category, str) and category != RECENT_GRADUATE and raw is not None:
        return [Problem(field, "not_applicable", "仅人员类别为离校2年内高校毕业生时填写离校日期")]
    left = _date(raw)
    if left is not None and left > today:
        return [Problem(field, "left_school_on.future", "离校日期不能晚于今天")]
    return []


def _conditions(person: Applicant, evidence: bool) -> list[dict[str, Any]]:
    declared = declarations(person.section)
    category = person.category or ""
    employed = declared.employed_when_starting
    found = [
        review.condition(
            "working_age", "在法定劳动年龄内（以工商登记注册之日计）", review.SYSTEM, True
        ),
        review.condition(
            "first_startup",
            "首次创办小微企业或从事个体经营",
            review.DECLARATION,
            declared.first_startup,
        ),
        review.condition(
            "category",
            f"人员类别：{CATEGORY_NAMES.get(category, category)}"
            f"（证明材料，如{CATEGORY_EVIDENCE.get(category, '相关证明')}）",
            review.EVIDENCE if evidence else review.DECLARATION,
            None,
        ),
    ]
    if category == RECENT_GRADUATE:
        found.append(
            review.condition(
                "left_school_within_two_years",
                "离校2年内（按申报的离校日期计至工商登记注册之日）",
                review.DECLARATION,
                True if declared.left_school_on else None,
            )
        )
    return [
        *found,
        review.condition(
            "not_employed_when_starting",
            "创业时不在机关事业或其他单位（企业）就业",
            review.DECLARATION,
            None if employed is None else not employed,
        ),
        review.condition(
            "operating_one_year",
            "自工商登记注册之日起正常经营1年以上（登记机关记录存续且登记满1年）",
            review.SYSTEM,
            True,
        ),
        review.condition("once_per_person", "此前未享受一次性开业补贴", review.SYSTEM, True),
    ]


def claim_review(
    person: Applicant, evidence: bool, other_claims: Sequence[str]
) -> dict[str, Any] | None:
    """What the officer reviewing a claim sees: each condition and its basis, and the flags:
    no evidence of the category, or a claim by someone with the same name, birth date and
    gender under another document (the once-per-person rule may be dodged with a second
    document: "申领一次", 附件3 四（二）1⑤)."""
    category = person.category or ""
    flags = []
    if not evidence:
        flags.append(
            review.flag(
                CATEGORY_EVIDENCE_MISSING,
                f"未上传人员类别证明材料（如{CATEGORY_EVIDENCE.get(category, '相关证明')}），"
                "人员类别仅凭申报，请核实",
            )
        )
    if other_claims:
        flags.append(
            review.flag(
                POSSIBLE_SECOND_GRANT,
                "姓名、出生日期、性别相同的人员另有一次性开业补贴申领（可能以其他证件办理），"
                "请核实是否为同一人，避免重复享受",
                applications=sorted(other_claims),
            )
        )
    return review.review(flags, _conditions(person, evidence))
