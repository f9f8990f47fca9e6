"""ID document numbers on the joint application form (docs/domain.md §3).

Deliberately independent of python-stdnum: its dated division table rejects
valid numbers (e.g. 410302 before 1983, 810000, 830000), so acceptance here
rests only on structure, a plausible province, a real birth date and the
ISO 7064 MOD 11-2 check character.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from chalicelib.domain.problems import Problem

RESIDENT_ID_CARD = "resident_id_card"
SOCIAL_SECURITY_CARD = "social_security_card"
HKMT_RESIDENCE_PERMIT = "hkmt_residence_permit"
HK_MACAO_PERMIT = "hk_macao_permit"
TAIWAN_PERMIT = "taiwan_permit"

ID_TYPES = (
    RESIDENT_ID_CARD,
    SOCIAL_SECURITY_CARD,
    HKMT_RESIDENCE_PERMIT,
    HK_MACAO_PERMIT,
    TAIWAN_PERMIT,
)

MALE = "male"
FEMALE = "female"

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

# Mainland province-level codes only: 71 (Taiwan) and 81/82/83 never appear on
# a 居民身份证; 81/82/83 belong to residence permits.
_PROVINCES = frozenset(
    str(p)
    for lo, hi in ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65))
    for p in range(lo, hi + 1)
)
_PERMIT_DIVISIONS = frozenset({"810000", "820000", "830000"})

# [0-9] rather than \d: \d also matches full-width and other Unicode digits.
_EIGHTEEN_RE = re.compile(r"[0-9]{17}[0-9X]")
_HK_MACAO_RE = re.compile(r"[HM][0-9]{8}(?:[0-9]{2})?")
# Taiwan: the current card carries 8 digits. Older cards appended a two-digit
# issue count and/or an issuing-authority letter; both suffixes are accepted,
# in that order, and only the 8 digits identify the person.
_TAIWAN_RE = re.compile(r"([0-9]{8})(?:[0-9]{2})?[A-Z]?")

_CHECK_DIGIT_MSG = "证件号码校验位不正确，请核对后重新填写"


@dataclass(frozen=True)
class IdentityInfo:
    """What a valid ID number tells us; identity_key is what identifies the person."""

    normalized: str
    identity_key: str
    birth_date: date | None
    gender: str | None
    division: str | None


Result = tuple[IdentityInfo | None, list[Problem]]


def mod11_2_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("first17 must be exactly 17 ASCII digits")
    total = sum(int(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def mask_id(number: str) -> str:
    """Mask for display: first 4 and last 4 kept (fewer on short numbers).

    Short permit numbers keep at most a quarter at each end, so at least half
    of any number stays hidden (PIPL minimisation).
    """
    keep = min(4, len(number) // 4)
    if keep == 0:
        return "*" * len(number)
    return number[:keep] + "*" * (len(number) - 2 * keep) + number[-keep:]


def check_id(id_type: str, number: str, today: date, field: str = "applicant.id_number") -> Result:
    """Validate an ID number of the given type; info is returned only when valid.

    A problem with the type itself is reported on the sibling ``id_type``
    field (``applicant.id_number`` -> ``applicant.id_type``).
    """
    checker = _CHECKERS.get(id_type)
    if checker is None:
        return None, [Problem(_sibling(field, "id_type"), "id_type.unknown", "不支持的证件类型")]
    normalized = number.strip().upper()
    if not normalized:
        return None, [Problem(field, "id_number.required", "请填写证件号码")]
    info, problems = checker(normalized, today, field)
    return (info if not problems else None), problems


def check_agreement(
    info: IdentityInfo,
    gender: str | None,
    birth_date: date | None,
    prefix: str = "applicant",
) -> list[Problem]:
    """Gender and birth date on the form must agree with those in the ID number."""
    problems: list[Problem] = []
    if info.gender is not None and gender is not None and gender != info.gender:
        problems.append(Problem(f"{prefix}.gender", "gender.mismatch", "性别与证件号码不一致"))
    if info.birth_date is not None and birth_date is not None and birth_date != info.birth_date:
        problems.append(
            Problem(
                f"{prefix}.birth_date",
                "birth_date.mismatch",
                "出生日期与证件号码不一致",
            )
        )
    return problems


def _sibling(field: str, name: str) -> str:
    parent, dot, _ = field.rpartition(".")
    return f"{parent}{dot}{name}"


def _check_resident(number: str, today: date, field: str) -> Result:
    return _check_eighteen(number, today, field, permit=False)


def _check_residence_permit(number: str, today: date, field: str) -> Result:
    return _check_eighteen(number, today, field, permit=True)


def _check_eighteen(number: str, today: date, field: str, *, permit: bool) -> Result:
    if not _EIGHTEEN_RE.fullmatch(number):
        return None, [
            Problem(
                field,
                "id_number.format",
                "证件号码应为18位，前17位为数字，最后一位为数字或X",
            )
        ]
    problems = _division_problems(number, field, permit=permit)
    birth, birth_problems = _birth_date(number, today, field)
    problems.extend(birth_problems)
    if mod11_2_check_char(number[:17]) != number[17]:
        problems.append(Problem(field, "id_number.check_digit", _CHECK_DIGIT_MSG))
    info = IdentityInfo(
        normalized=number,
        identity_key=number,
        birth_date=birth,
        gender=MALE if int(number[16]) % 2 else FEMALE,
        division=number[:6],
    )
    return info, problems


def _division_problems(number: str, field: str, *, permit: bool) -> list[Problem]:
    if permit and number[:6] not in _PERMIT_DIVISIONS:
        msg = "港澳台居民居住证号码前6位应为810000、820000或830000"
        return [Problem(field, "id_number.division", msg)]
    if not permit and number[:2] not in _PROVINCES:
        msg = "证件号码前6位不是有效的内地行政区划代码"
        return [Problem(field, "id_number.division", msg)]
    return []


def _birth_date(number: str, today: date, field: str) -> tuple[date | None, list[Problem]]:
    digits = number[6:14]
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        msg = "证件号码中的出生日期不是有效日期"
        return None, [Problem(field, "id_number.birth_date", msg)]
    if birth > today:
        msg = "证件号码中的出生日期晚于今天"
        return birth, [Problem(field, "id_number.future_birth_date", msg)]
    return birth, []


def _check_hk_macao(number: str, _today: date, field: str) -> Result:
    if not _HK_MACAO_RE.fullmatch(number):
        msg = "港澳居民来往内地通行证号码应为H或M加8位数字（可再加2位换证次数）"
        return None, [Problem(field, "id_number.format", msg)]
    # The renewal count changes with each card; the person is the first 9 chars.
    return IdentityInfo(number, number[:9], None, None, None), []


def _check_taiwan(number: str, _today: date, field: str) -> Result:
    match = _TAIWAN_RE.fullmatch(number)
    if match is None:
        msg = "台湾居民来往大陆通行证号码应为8位数字（旧证可附2位签发次数和/或1位字母）"
        return None, [Problem(field, "id_number.format", msg)]
    return IdentityInfo(number, match.group(1), None, None, None), []


_CHECKERS: dict[str, Callable[[str, date, str], Result]] = {
    RESIDENT_ID_CARD: _check_resident,
    # 社会保险法 art. 58: the social security number is the citizen ID number.
    SOCIAL_SECURITY_CARD: _check_resident,
    HKMT_RESIDENCE_PERMIT: _check_residence_permit,
    HK_MACAO_PERMIT: _check_hk_macao,
    TAIWAN_PERMIT: _check_taiwan,
}
