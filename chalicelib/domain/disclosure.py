"""Who sees which personal field of a case in clear; everyone else sees it masked
(docs/domain.md §10: ID ``4103**********901X``, phone ``138****8000``, account last four).

The rule, for callers ``access.can_view_case`` already lets read the case:
- the applicant, owner of the data: everything;
- officers of a department the case involves, in its county: what their items need (each
  department's catalogue entry says, and why);
- the window clerk who took the case: the name, to serve the person in front of them; the
  numbers were checked against the documents at the window and are not needed afterwards;
- admins (operations, reports, jobs): nothing in clear.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from chalicelib.domain import catalogue
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.contact import mask_account, mask_name, mask_phone
from chalicelib.domain.identity import mask_id
from chalicelib.domain.person import EVERYTHING, NOTHING, PersonalField

__all__ = [
    "EVERYTHING",
    "NOTHING",
    "PersonalField",
    "disclose",
    "disclose_delivery",
    "is_staff",
    "mask_address",
    "shown_in_clear",
]
CLERK_SEES = frozenset({PersonalField.NAME})
ADDRESS_KEPT = 6  # 洛阳市老城区: city and district, enough to sort mail, not to find a door


def mask_address(address: str) -> str:
    """City and district kept, the rest a fixed run of stars (its length not revealed)."""
    return address[: min(ADDRESS_KEPT, len(address) // 2)] + "****"


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
        return EVERYTHING if who.is_person(person_key) else NOTHING
    if who.role is Role.OFFICER:
        involved = who.department in departments and who.county == county
        return catalogue.needed_by(who.department or "") if involved else NOTHING
    if who.role is Role.CLERK:
        return CLERK_SEES
    return NOTHING


def disclose(field: PersonalField, value: str, clear: Collection[PersonalField]) -> str:
    return value if field in clear else MASKS[field](value)


def disclose_delivery(
    recipient: str | None, address: str | None, phone: str | None, clear: Collection[PersonalField]
) -> tuple[str | None, str | None, str | None]:
    """Delivery details as this reader may see them: all in clear, or all masked."""
    if PersonalField.DELIVERY in clear:
        return recipient, address, phone
    return (
        mask_name(recipient) if recipient else recipient,
        mask_address(address) if address else address,
        mask_phone(phone) if phone else phone,
    )


def is_staff(who: Principal) -> bool:
    """Readers whose reads of personal data are recorded (everyone but the applicant)."""
    return who.role is not Role.APPLICANT
