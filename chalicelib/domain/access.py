"""Who may see and do what (the caller as the token describes them)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    APPLICANT = "applicant"
    CLERK = "clerk"
    OFFICER = "officer"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    role: Role
    subject: str  # applicants: their person key (never the ID number); staff: staff id
    department: str | None = None
    county: str | None = None
    # Applicants during a person-key rotation: their keys under the older secrets, which
    # still name them (rows written before the rotation carry those).
    aliases: tuple[str, ...] = ()

    @property
    def actor(self) -> str:
        return self.role.value

    @property
    def keys(self) -> tuple[str, ...]:
        """Every person key that names this caller, the current one first."""
        return (self.subject, *self.aliases)

    def is_person(self, person_key: str) -> bool:
        return self.role is Role.APPLICANT and person_key in self.keys


def can_view_case(
    who: Principal, person_key: str, clerk: str | None, county: str, departments: Collection[str]
) -> bool:
    """The applicant, the window clerks of the case's county (the counter where an applicant
    asks about any case of theirs, 首问负责) and the clerk who took it, officers of a
    department involved in the case's county, and admins. Everyone else is told the case does
    not exist."""
    if who.role is Role.ADMIN:
        return True
    if who.role is Role.APPLICANT:
        return who.is_person(person_key)
    if who.role is Role.CLERK:
        return who.county == county or (clerk is not None and who.subject == clerk)
    return who.department in departments and who.county == county


def acts_for_applicant(who: Principal, person_key: str, clerk: str | None) -> bool:
    """Who may change what the applicant asked for (correct the form, withdraw): the applicant,
    or the clerk who took the case at the window with the applicant there. Seeing a case is
    not enough: a clerk of the county may read an online case but not withdraw it."""
    if who.role is Role.APPLICANT:
        return who.is_person(person_key)
    return who.role is Role.CLERK and clerk is not None and who.subject == clerk
