"""Who sees which personal field of a case in clear; everyone else sees it masked
(DOMAIN.md §10: ID ``4103**********901X``, phone ``138****8000``, account last four).

The rule, for callers ``access.can_view_case`` already lets read the case:
- the applicant, owner of the data: everything;
- officers of a department the case involves, in its county: what their items need.
  人社 (hrss) registers employment, pension insurance and pays the subsidy to the social
  security card's account: name, ID number, phone, account. 税务 (tax) confirms a taxpayer
  record kept under the operator's ID number: name, ID number, phone, not the account.
  市场监管 (market_regulation) verifies the licence by business name and credit code: name and
  phone to reach the applicant, not the ID number (the registry holds it) nor the account;
- the window clerk who took the case: the name, to serve the person in front of them; the
  numbers were checked against the documents at the window and are not needed afterwards;
- admins (operations, reports, jobs): nothing in clear.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from enum import StrEnum

from chalicelib.domain.access import Principal, Role
from chalicelib.domain.case import Department
from chalicelib.domain.contact import mask_account, mask_name, mask_phone
from chalicelib.domain.identity import mask_id


class PersonalField(StrEnum):
    NAME = "name"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    ACCOUNT = "account"


EVERYTHING = frozenset(PersonalField)
NOTHING: frozenset[PersonalField] = frozenset()
NEEDED_BY: dict[str, frozenset[PersonalField]] = {
    Department.HRSS: EVERYTHING,
    Department.TAX: frozenset({PersonalField.NAME, PersonalField.ID_NUMBER, PersonalField.PHONE}),
    Department.MARKET_REGULATION: frozenset({PersonalField.NAME, PersonalField.PHONE}),
}
CLERK_SEES = frozenset({PersonalField.NAME})
MASKS: dict[PersonalField, Callable[[str], str]] = {
    PersonalField.NAME: mask_name,
    PersonalField.ID_NUMBER: mask_id,
    PersonalField.PHONE: mask_phone,
    PersonalField.ACCOUNT: mask_account,
}


def shown_in_clear(
    who: Principal, person_key: str, county: str, departments: Collection[str]
) -> frozenset[PersonalField]:
    """The fields this reader sees in clear on a case they may read."""
    if who.role is Role.APPLICANT:
        return EVERYTHING if who.subject == person_key else NOTHING
    if who.role is Role.OFFICER:
        involved = who.department in departments and who.county == county
        return NEEDED_BY.get(who.department or "", NOTHING) if involved else NOTHING
    if who.role is Role.CLERK:
        return CLERK_SEES
    return NOTHING


def disclose(field: PersonalField, value: str, clear: Collection[PersonalField]) -> str:
    return value if field in clear else MASKS[field](value)


def is_staff(who: Principal) -> bool:
    """Readers whose reads of personal data are recorded (everyone but the applicant)."""
    return who.role is not Role.APPLICANT
