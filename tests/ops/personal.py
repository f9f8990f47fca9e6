"""What must never appear in anything the operators' tool writes: the documented example's
personal data, and anything shaped like an ID number, a mobile number or a bank account."""

from __future__ import annotations

import re

from chalicelib.api.schemas import APPLICATION_EXAMPLE

_EXAMPLE = APPLICATION_EXAMPLE
KNOWN = [
    _EXAMPLE["applicant"]["name"],
    _EXAMPLE["applicant"]["phone"],
    _EXAMPLE["applicant"]["id_number"],
    _EXAMPLE["applicant"]["address"],
    _EXAMPLE["subsidy"]["account"],
]
SHAPES = [
    re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),  # resident ID number
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),  # mainland mobile
    re.compile(r"(?<!\d)\d{16,19}(?!\d)"),  # bank card
]


def leaks(text: str) -> list[str]:
    found = [k for k in KNOWN if k and k in text]
    return found + [m.group(0) for shape in SHAPES for m in shape.finditer(text)]
