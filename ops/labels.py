"""Chinese names for the codes the API answers with, taken from the service's own catalogue
where it has one (items, departments, counties), so the report and the service agree."""

from __future__ import annotations

from chalicelib.domain import catalogue, rating
from chalicelib.domain.contact import LUOYANG_COUNTIES

ITEMS: dict[str, str] = {str(spec.code): spec.name for spec in catalogue.items()}
SHORT_ITEMS: dict[str, str] = {
    "license_verification": "执照核验",
    "taxpayer_confirmation": "纳税人确认",
    "employment_certificate": "就业创业证",
    "pension_registration": "养老保险登记",
    "startup_subsidy": "创业补贴",
    "case": "整件",
    "follow_up": "差评回访",
}
DEPARTMENTS = {"market_regulation": "市场监管", "tax": "税务", "hrss": "人社"}
CHANNELS = {"online": "网上申请", "window": "窗口受理"}
COUNTIES: dict[str, str] = dict(LUOYANG_COUNTIES)
LEVELS: dict[int, str] = dict(rating.LEVELS)
# 好差评 by stage (受理 / 办结); "all" names the one column of a service that reports none.
STAGES: dict[str, str] = {"all": "全部", **{str(k): v for k, v in rating.STAGE_NAMES.items()}}
ENDINGS = {
    "completed": "全部办结",
    "partially_completed": "部分办结",
    "rejected": "不予受理",
    "withdrawn": "撤回",
}


def item(code: str) -> str:
    return SHORT_ITEMS.get(code, code)


def county(code: str) -> str:
    return COUNTIES.get(code, code or "未注明")


def department(code: str) -> str:
    return DEPARTMENTS.get(code, code)
