"""A sixth joint item and a new department, added through the catalogue alone (never shipped).

Loaded before anything reads the catalogue: ``pytest -p tests.catalogue_extension.plugin``
(``tests/functional/test_catalogue_extension.py`` runs that in a subprocess, so the main suite
never sees this item)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import Field

from chalicelib.domain import catalogue
from chalicelib.domain.case import ItemStatus, Outcome
from chalicelib.domain.catalogue import DepartmentSpec, FormSection, ItemSpec
from chalicelib.domain.forms import In
from chalicelib.domain.items import Facts, FormContext
from chalicelib.domain.person import PersonalField
from chalicelib.domain.problems import Problem
from chalicelib.domain.working_age import legal_working_age

CODE = "housing_fund_registration"
DEPARTMENT = "housing_fund"
MIN_BASE = 2000


class HousingFundIn(In):
    deposit_base: int = Field(description="月缴存基数（元）")


def _form() -> type[Any]:
    return HousingFundIn


def _section(section: Mapping[str, Any], ctx: FormContext) -> list[Problem]:
    base = section.get("deposit_base")
    if isinstance(base, int) and base < MIN_BASE:
        return [Problem("housing_fund.deposit_base", "deposit_base.too_low", "缴存基数过低")]
    return []


def register_housing_fund(facts: Facts) -> Outcome:
    if facts.birth_date is None or not legal_working_age(
        facts.birth_date, facts.gender, facts.today, facts.female_retirement_age
    ):
        reason = "申请人不在法定劳动年龄内"
        return Outcome(ItemStatus.REFUSED, reason, {"reason_code": "age", "reason": reason})
    base = facts.sections["housing_fund"]["deposit_base"]
    return Outcome(
        ItemStatus.COMPLETED,
        "已办理住房公积金缴存登记",
        {"deposit_base": base, "opened_on": facts.today.isoformat()},
    )


catalogue.register(
    ItemSpec(
        CODE,
        "住房公积金缴存登记",
        DEPARTMENT,
        5,
        register_housing_fund,
        form=FormSection("housing_fund", "住房公积金缴存登记", _form, _section),
    ),
    DepartmentSpec(DEPARTMENT, "住房公积金管理中心", frozenset({PersonalField.NAME})),
)


# Its guide text, as a real item adds it to chalicelib/data/guide.json.
GUIDE_ITEM = {
    "code": CODE,
    "name": "住房公积金缴存登记",
    "department": DEPARTMENT,
    "department_name": "住房公积金管理中心",
    "conditions": "个体工商户及其雇用人员可以申请缴存住房公积金。",
    "materials": ["月缴存基数"],
    "time_limit": {"kind": "working_days", "working_days": 5, "text": "5 个工作日内办结。"},
    "outcome": "住房公积金个人账户。",
    "explanation": "测试用事项：只为证明新增联办事项只需一条目录、一条规则和一段指南。",
    "categories": [],
    "source": "测试数据（非方案内容）",
}


def _with_guide_text(read: Callable[[str], str]) -> Callable[[str], str]:
    def reader(name: str) -> str:
        text = read(name)
        if name != "guide.json":
            return text
        data = json.loads(text)
        data["items"].append(GUIDE_ITEM)
        data["departments"].append({"code": DEPARTMENT, "name": "住房公积金管理中心"})
        return json.dumps(data, ensure_ascii=False)

    return reader


def _add_guide_text() -> None:
    # Imported after the registration: the API's models read the catalogue when they load.
    from chalicelib.api import guide

    guide._read = _with_guide_text(guide._read)  # type: ignore[method-assign]


_add_guide_text()
