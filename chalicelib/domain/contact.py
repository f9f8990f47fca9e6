"""Applicant contact and personal fields: phone, ethnicity, Luoyang county (docs/domain.md §3, §10).

Values are checked exactly as given (no trimming) so that what passes is
what gets stored; normalising input belongs to the API layer.
"""

from __future__ import annotations

import re

from chalicelib.domain.problems import Problem

# [0-9] rather than \d: \d also matches full-width and other Unicode digits.
MAINLAND_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_DIVISION_RE = re.compile(r"[0-9]{6}")

# Contact phones the form takes (docs/domain.md §3): the plan serves "各类人员" in 洛阳市, Hong
# Kong, Macao and Taiwan residents among them (附件3 四（二）2② lists their documents), not
# all of whom have a mainland mobile. Only a mainland mobile gets an SMS (``domain.sms``).
# A landline is 区号-号码 (the hyphen may be a space, or left out; the area code may be in
# brackets): 010 and 02x take 8-digit numbers, other area codes 7 or 8; an extension may
# follow after another hyphen.
_LANDLINE = re.compile(
    r"(?:(?:0(?:10|2[0-9])|\(0(?:10|2[0-9])\))[- ]?[2-9][0-9]{7}"
    r"|(?:0[3-9][0-9]{2}|\(0[3-9][0-9]{2}\))[- ]?[2-9][0-9]{6,7})"
    r"(?:-[0-9]{1,6})?"
)
# +852 / +853 / +886 and the national number, digits optionally grouped by single spaces or
# hyphens: Hong Kong and Macao 8 digits; Taiwan 9 digits from 9 (mobiles) or, for a landline,
# the area code without its 0 (2-8) and the number, 8 or 9 digits in all.
_INTERNATIONAL = re.compile(r"\+(852|853|886)[ -]?([0-9](?:[ -]?[0-9]){6,8})")
_NATIONAL = {
    "852": re.compile(r"[2-9][0-9]{7}"),
    "853": re.compile(r"[2-9][0-9]{7}"),
    "886": re.compile(r"9[0-9]{8}|[2-8][0-9]{7,8}"),
}
_PHONE_FORMS = (
    "联系电话应为内地手机号（11位）、固定电话（区号-号码，如 0379-63211234），"
    "或港澳台电话（+852、+853 加 8 位号码，+886 加号码）"
)

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


def _international(phone: str) -> bool:
    found = _INTERNATIONAL.fullmatch(phone)
    if found is None:
        return False
    national = found.group(2).replace(" ", "").replace("-", "")
    return _NATIONAL[found.group(1)].fullmatch(national) is not None


def is_phone(phone: str) -> bool:
    """A mainland mobile, a mainland landline (区号-号码), or a Hong Kong, Macao or Taiwan
    number with its country code, exactly as given."""
    return bool(
        MAINLAND_MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone) or _international(phone)
    )


def check_phone(phone: str, field: str) -> list[Problem]:
    if not phone.strip():
        return [Problem(field, "phone.required", "请填写联系电话")]
    if not is_phone(phone):
        return [Problem(field, "phone.format", _PHONE_FORMS)]
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
