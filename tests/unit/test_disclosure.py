"""Who sees which personal field in clear (docs/domain.md §10), as a pure rule."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import Principal, Role
from chalicelib.domain.disclosure import (
    EVERYTHING,
    NOTHING,
    PersonalField,
    disclose,
    shown_in_clear,
)

OWNER = "person-key-of-the-applicant"
ALL_DEPARTMENTS = ("hrss", "market_regulation", "tax")
F = PersonalField


def officer(department: str, county: str = "410302") -> Principal:
    return Principal(Role.OFFICER, "o-1", department=department, county=county)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (Principal(Role.APPLICANT, OWNER), EVERYTHING),
        (Principal(Role.APPLICANT, "someone-else"), NOTHING),
        (officer("hrss"), EVERYTHING),
        (officer("tax"), {F.NAME, F.ID_NUMBER, F.PHONE}),
        (officer("market_regulation"), {F.NAME, F.PHONE}),
        (officer("hrss", county="410311"), NOTHING),  # not the case's county
        (Principal(Role.CLERK, "clerk-1", county="410302"), {F.NAME}),
        (Principal(Role.ADMIN, "ops-1"), NOTHING),
    ],
)
def test_each_reader_sees_in_clear_only_what_they_need(who, expected):
    assert shown_in_clear(who, OWNER, "410302", ALL_DEPARTMENTS) == expected


def test_an_officer_of_a_department_the_case_does_not_involve_sees_nothing_in_clear():
    assert shown_in_clear(officer("tax"), OWNER, "410302", ["market_regulation"]) == NOTHING


@pytest.mark.parametrize(
    ("field", "value", "masked"),
    [
        (F.ID_NUMBER, "41030219900101901X", "4103**********901X"),
        (F.PHONE, "13800138000", "138****8000"),
        (F.ACCOUNT, "6216610200001234567", "****4567"),
        (F.NAME, "张三", "张*"),
    ],
)
def test_fields_not_shown_in_clear_are_masked_as_domain_10_shows(field, value, masked):
    assert disclose(field, value, NOTHING) == masked
    assert disclose(field, value, {field}) == value
