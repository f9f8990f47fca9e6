"""What each joint item's department decides, as pure functions of the facts (docs/domain.md
§2): one rule per item, all with the same signature, named by the item's catalogue entry.
Also the checks of each item's own section of the form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chalicelib.domain import review, subsidy
from chalicelib.domain.business import Business, same_name
from chalicelib.domain.calendar import one_year_after
from chalicelib.domain.case import ItemStatus, Outcome
from chalicelib.domain.problems import Problem
from chalicelib.domain.raw_form import text
from chalicelib.domain.uscc import is_individual_business, registered_in_luoyang, uscc_division
from chalicelib.domain.working_age import legal_working_age, past_retirement

__all__ = ["Facts", "FormContext", "Outcome"]

# 一次性开业补贴: "补贴标准为 5000 元" (the plan, annex 4 七.5 and annex 5).
SUBSIDY_AMOUNT_CNY = 5000


@dataclass(frozen=True)
class Facts:
    """What the handlers know about the applicant and the business when they decide."""

    today: date
    person_key: str
    birth_date: date | None
    gender: str
    business_name: str
    uscc: str
    female_retirement_age: int
    subsidy_category: str | None = None
    pension_base: int | None = None
    business: Business | None = None  # the registry's record, for items that need it
    had_subsidy: bool = False  # a start-up subsidy is already on record for the person
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # the form's


@dataclass(frozen=True)
class FormContext:
    """What the form's checks need besides the form: the date and configured bounds."""

    today: date
    pension_base_min: int
    pension_base_max: int


def _refused(reason_code: str, reason: str, **result: object) -> Outcome:
    return Outcome(
        ItemStatus.REFUSED, reason, {"reason_code": reason_code, "reason": reason, **result}
    )


# 服务对象: "在洛阳市行政区域内创办个体工商户的各类人员" (附件3 一, 附件4 三).
SERVICE_TARGET = "在洛阳市行政区域内创办个体工商户的各类人员"


def _outside_luoyang(uscc: str) -> tuple[str, str]:
    reason = (
        f"该营业执照的登记机关不在洛阳市（统一社会信用代码第3至8位为{uscc_division(uscc)}），"
        f"个人创业“一件事”的服务对象为“{SERVICE_TARGET}”，请向营业执照登记地的政务服务机构申请"
    )
    return "licence.outside_luoyang", reason


def _licence_problem(facts: Facts, business: Business | None) -> tuple[str, str] | None:
    # The credit code itself says where the business was registered (positions 3-8): first,
    # whatever the registry answers.
    if not registered_in_luoyang(facts.uscc):
        return _outside_luoyang(facts.uscc)
    if business is None:
        return "licence.not_found", "登记机关未查询到该统一社会信用代码对应的营业执照"
    if not business.active:
        return "licence.not_active", "该营业执照已注销或吊销，不能办理联办事项"
    if not is_individual_business(business.uscc):
        return "licence.not_individual_business", "该主体不是个体工商户，不属于本联办服务对象"
    # Operator first: someone else's credit code is refused without hints about the name.
    if business.operator_key != facts.person_key:
        return "licence.operator_mismatch", "申请人不是该个体工商户登记的经营者"
    if not same_name(business.name, facts.business_name):
        return "licence.name_mismatch", "营业执照名称与登记信息不一致，请核对后重新申请"
    return None


# Problems the applicant can fix by correcting the form (a typo), rather than a refusal.
FIXABLE = {"licence.name_mismatch": "business.name"}


def verify_licence(facts: Facts) -> Outcome:
    business = facts.business
    problem = _licence_problem(facts, business)
    if problem is not None and problem[0] in FIXABLE:
        code, reason = problem
        corrections = [{"field": FIXABLE[code], "reason": reason}]
        result = {
            "verified": False,
            "reason_code": code,
            "reason": reason,
            "corrections": corrections,
        }
        return Outcome(
            ItemStatus.CORRECTION_REQUIRED, f"需要补正：{reason}", result, wait_for_person=True
        )
    if problem is not None:
        return _refused(*problem, verified=False)
    assert business is not None  # noqa: S101 - _licence_problem returned None  # nosec B101
    return Outcome(
        ItemStatus.COMPLETED,
        "营业执照信息核验通过",
        {
            "verified": True,
            "business_name": business.name,
            "uscc": business.uscc,
            "registered_on": business.registered_on.isoformat(),
        },
    )


def _in_working_age(facts: Facts) -> bool:
    if facts.birth_date is None:
        return False
    return legal_working_age(
        facts.birth_date, facts.gender, facts.today, facts.female_retirement_age
    )


# What the applicant does next, in the plan's words (附件4 七.2).
TAX_FOLLOW_UP = "信息确认后纳税人及时到税务机关办理后续相关涉税业务"


def confirm_taxpayer(facts: Facts) -> Outcome:
    """Only a licence is needed (附件3 四（二）1②); the tax system confirms the 一照一码
    taxpayer and answers its identification number (the licence's credit code). Its notice
    tells the applicant what comes next at the tax office (附件4 七.2)."""
    return Outcome(ItemStatus.COMPLETED, f"纳税人信息确认已办结。{TAX_FOLLOW_UP}。", {})


def employment_certificate(facts: Facts) -> Outcome:
    """法定劳动年龄内从事个体经营的劳动者可进行就业登记 (附件3 四（二）1③); the HRSS employment
    system registers it and issues the 就业创业证's number."""
    if not _in_working_age(facts):
        return _refused("age.outside_working_age", "申请人不在法定劳动年龄内，不能办理就业登记")
    return Outcome(ItemStatus.COMPLETED, "已办理就业登记并生成就业创业证电子证照", {})


# Past the statutory retirement age the plan states no refusal (附件3 四（二）1④ sets no age),
# and the law lets some continue contributing (社会保险法 art. 16: 达到法定退休年龄时累计缴费
# 不足十五年的，可以缴费至满十五年; the 2024 reform's 延长缴费): the officer checks (§7).
PAST_RETIREMENT = review.flag(
    "pension.past_retirement_age", "已达法定退休年龄，请核实是否属于延长缴费情形"
)


def _past_retirement(facts: Facts) -> bool:
    birth = facts.birth_date
    return birth is not None and past_retirement(
        birth, facts.gender, facts.today, facts.female_retirement_age
    )


def pension_registration(facts: Facts) -> Outcome:
    """Waits for an HRSS officer's review (附件3 四（三）3: 10个工作日内办理参保登记); someone
    past retirement age is flagged to the officer, never refused for it (docs/domain.md §7)."""
    late = _past_retirement(facts)
    if not late and not _in_working_age(facts):  # not yet 16, or no birth date known
        return _refused(
            "age.outside_working_age",
            "申请人未达法定劳动年龄，不能以灵活就业人员身份参加企业职工养老保险",
        )
    detail = "已推送人社部门审核参保登记"
    if late:
        detail += "（申请人已达法定退休年龄，由人社部门核实是否属于延长缴费情形）"
    return Outcome(
        ItemStatus.IN_REVIEW,
        detail,
        {"contribution_base": facts.pension_base},
        wait_for_person=True,
        review=review.review([PAST_RETIREMENT]) if late else None,
    )


def subsidy_applicant(facts: Facts) -> subsidy.Applicant:
    return subsidy.Applicant(
        facts.sections.get("subsidy") or {},
        facts.birth_date,
        facts.gender,
        facts.female_retirement_age,
    )


def startup_subsidy(facts: Facts) -> Outcome:
    """The plan's conditions that can be judged now, at the licence's registration date
    (docs/domain.md §6); the year of normal operation is checked at the claim."""
    if facts.had_subsidy:  # known without the registry (services.handle, on a lost race)
        return _refused("subsidy.already_granted", "一次性开业补贴每人只能享受一次")
    if facts.business is None:
        return _refused("licence.not_found", "未查询到营业执照登记信息")
    found = subsidy.refusal(subsidy_applicant(facts), facts.business.registered_on)
    if found is not None:
        return _refused(*found)
    reminder = one_year_after(facts.business.registered_on)
    return Outcome(
        ItemStatus.REMINDER_SCHEDULED,
        f"符合申领条件，{reminder.isoformat()} 正常经营满一年后提醒申领",
        {
            "reminder_date": reminder.isoformat(),
            "category": facts.subsidy_category,
            "amount": SUBSIDY_AMOUNT_CNY,
        },
        remind_on=reminder,
    )


# The items' own sections of the form ---------------------------------------------------

_ACCOUNT = re.compile(r"[0-9]{12,30}")  # ASCII digits only: str.isdigit() admits "６" and "²"


def pension_section(section: Mapping[str, Any], ctx: FormContext) -> list[Problem]:
    base = section.get("contribution_base")
    in_range = isinstance(base, int) and ctx.pension_base_min <= base <= ctx.pension_base_max
    if isinstance(base, int) and not isinstance(base, bool) and not in_range:
        return [
            Problem(
                "pension.contribution_base",
                "pension.base_out_of_range",
                f"缴费基数应在 {ctx.pension_base_min} 至 {ctx.pension_base_max} 元之间",
            )
        ]
    return []


def subsidy_section(section: Mapping[str, Any], ctx: FormContext) -> list[Problem]:
    problems = subsidy.section_problems(section, ctx.today)
    account = text(section, "account")
    if account is not None and not _ACCOUNT.fullmatch(account):
        problems.append(
            Problem(
                "subsidy.account", "account.format", "社会保障卡金融账户账号应为 12 至 30 位数字"
            )
        )
    return problems
