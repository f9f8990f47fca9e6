"""统一社会信用代码 (GB 32100-2015) checks (docs/domain.md §3).

Input is compared case-insensitively and trimmed; callers must store
``normalize_uscc(code)`` so the registry lookup sees the canonical form.
"""

from __future__ import annotations

from chalicelib.domain.contact import LUOYANG_PREFIX
from chalicelib.domain.problems import Problem

# GB 32100-2015 omits I, O, S, V and Z to avoid confusion with digits/letters.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
_OUTER_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# The embedded organisation code follows GB 11714, whose letters are valued
# A=10 ... Z=35 over the full Latin alphabet, not by position in ALPHABET.
_ORG_VALUES = {ch: i for i, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

INDIVIDUAL_BUSINESS_PREFIX = "92"


def normalize_uscc(code: str) -> str:
    """Canonical form: surrounding whitespace removed, letters upper-case."""
    return code.strip().upper()


def uscc_check_char(first17: str) -> str:
    """Position-18 check character (weights 3^(i-1) mod 31)."""
    if len(first17) != 17 or any(ch not in _VALUES for ch in first17):
        raise ValueError("first17 must be 17 characters from the GB 32100 alphabet")
    total = sum(_VALUES[ch] * w for ch, w in zip(first17, _OUTER_WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character of the 8-character organisation code body."""
    if len(first8) != 8 or any(ch not in _ORG_VALUES for ch in first8):
        raise ValueError("first8 must be 8 upper-case letters or digits")
    total = sum(_ORG_VALUES[ch] * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def check_uscc(code: str, field: str = "business.uscc") -> list[Problem]:
    """All problems with a credit code at once; empty when valid."""
    value = normalize_uscc(code)
    if not value:
        return [Problem(field, "uscc.required", "请填写统一社会信用代码")]
    problems: list[Problem] = []
    if len(value) != 18:
        problems.append(Problem(field, "uscc.format", "统一社会信用代码应为18位"))
    if any(ch not in _VALUES for ch in value):
        msg = "统一社会信用代码只能包含数字和大写字母（不含I、O、S、V、Z）"
        problems.append(Problem(field, "uscc.charset", msg))
    if problems:
        return problems
    if not value[2:8].isdigit():
        msg = "统一社会信用代码第3至8位应为行政区划代码"
        problems.append(Problem(field, "uscc.division", msg))
    if uscc_check_char(value[:17]) != value[17]:
        msg = "统一社会信用代码校验位不正确，请核对营业执照"
        problems.append(Problem(field, "uscc.check_digit", msg))
    if org_code_check_char(value[8:16]) != value[16]:
        msg = "统一社会信用代码中的组织机构代码（第9至17位）校验不正确，请核对营业执照"
        problems.append(Problem(field, "uscc.org_code_check", msg))
    return problems


def is_individual_business(code: str) -> bool:
    """92 = registered by market regulation (9) as an individual business (2)."""
    return normalize_uscc(code).startswith(INDIVIDUAL_BUSINESS_PREFIX)


def uscc_division(code: str) -> str:
    """Division code of the registering authority (positions 3-8)."""
    value = normalize_uscc(code)
    if len(value) != 18:
        raise ValueError("a credit code has 18 characters")
    return value[2:8]


def registered_in_luoyang(code: str) -> bool:
    """Registered by an authority of 洛阳市 (division 4103xx): the plan serves "在洛阳市行政区域内
    创办个体工商户的各类人员" (附件3 一, 附件4 三; docs/domain.md §1). Any 4103xx counts, a
    division since merged (410306 吉利区, 410381 偃师市) included: a code keeps the division
    of its registration."""
    return uscc_division(code).startswith(LUOYANG_PREFIX)
