"""Applicant contact and personal fields: phone, ethnicity, Luoyang county (docs/domain.md §3, §10).

Values are checked exactly as given (no trimming) so that what passes is
what gets stored; normalising input belongs to the API layer.
"""

from __future__ import annotations

import re

from chalicelib.domain.problems import Problem

# [0-9] rather than \d: \d also matches full-width and other Unicode digits.
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_DIVISION_RE = re.compile(r"[0-9]{6}")

LUOYANG_PREFIX = "4103"

# GB 3304 order, so that index + 1 is the two-digit national code.
ETHNICITIES: tuple[str, ...] = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族",
    "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族",
    "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族",
    "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族",
    "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族",
    "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)  # fmt: skip

_ETHNICITY_CODES = {name: f"{i:02d}" for i, name in enumerate(ETHNICITIES, start=1)}

# County-level divisions after the 2021 changes (吉利区 merged into 孟津区,
# 偃师市 became 偃师区); 410300 is the city itself for city-level handling.
LUOYANG_COUNTIES: dict[str, str] = {
    "410300": "洛阳市",
    "410302": "老城区",
    "410303": "西工区",
    "410304": "瀍河回族区",
    "410305": "涧西区",
    "410307": "偃师区",
    "410308": "孟津区",
    "410311": "洛龙区",
    "410323": "新安县",
    "410324": "栾川县",
    "410325": "嵩县",
    "410326": "汝阳县",
    "410327": "宜阳县",
    "410328": "洛宁县",
    "410329": "伊川县",
}


def check_phone(phone: str, field: str) -> list[Problem]:
    """Mainland mobile number: 11 digits, 1 then 3-9."""
    if not phone.strip():
        return [Problem(field, "phone.required", "请填写手机号码")]
    if not _MOBILE_RE.fullmatch(phone):
        return [Problem(field, "phone.format", "手机号码应为以1开头的11位内地手机号")]
    return []


def mask_phone(phone: str) -> str:
    """First 3 and last 4 digits kept: 13800138000 -> 138****8000."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_account(account: str) -> str:
    """Last 4 only; a fixed run of stars so the length is not revealed either."""
    digits = "".join(account.split())
    if len(digits) <= 4:
        return "****"
    return "****" + digits[-4:]


def ethnicity_code(name: str) -> str | None:
    """Two-digit GB 3304 code ("01" for 汉族), or None when not a recognised name."""
    return _ETHNICITY_CODES.get(name)


def check_ethnicity(value: str, field: str) -> list[Problem]:
    """One of the 56 recognised ethnic groups, written with the 族 suffix."""
    if not value.strip():
        return [Problem(field, "ethnicity.required", "请选择民族")]
    if value not in _ETHNICITY_CODES:
        return [Problem(field, "ethnicity.unknown", "民族应为国家认定的56个民族之一，如“汉族”")]
    return []


def check_luoyang_county(code: str, field: str) -> list[Problem]:
    """A Luoyang division code (the city or one of its 14 county-level units)."""
    if not code.strip():
        return [Problem(field, "county.required", "请选择所在县（市、区）")]
    if not _DIVISION_RE.fullmatch(code):
        return [Problem(field, "county.format", "行政区划代码应为6位数字")]
    if not code.startswith(LUOYANG_PREFIX):
        return [Problem(field, "county.outside_luoyang", "仅受理洛阳市行政区域内的申请")]
    if code not in LUOYANG_COUNTIES:
        return [Problem(field, "county.unknown", "不是洛阳市现行的县（市、区）行政区划代码")]
    return []


def mask_name(name: str) -> str:
    """Public notice style: the family name stays, the given name is hidden (张三 → 张*)."""
    if len(name) <= 1:
        return "*"
    return name[0] + "*" * (len(name) - 1)
