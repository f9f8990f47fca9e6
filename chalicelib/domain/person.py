"""A person's pseudonymous key: how cases, certificates and subsidies are linked to someone
without their ID number ever appearing in a key, an index or a log (docs/domain.md §10)."""

from __future__ import annotations

import hashlib
import hmac
from enum import StrEnum


class PersonalField(StrEnum):
    """The applicant's personal fields a reader sees in clear or masked (domain.disclosure)."""

    NAME = "name"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    ACCOUNT = "account"
    DELIVERY = "delivery"  # 统一出件 by mail: recipient, address and phone


EVERYTHING = frozenset(PersonalField)
NOTHING: frozenset[PersonalField] = frozenset()


def subject_identity_key(subject: str) -> str:
    """The identity key of a token's subject (the applicant's ID document number), normalised
    as ``identity.check_id`` normalises the form's number."""
    value = subject.strip().upper()
    if len(value) == 18:
        return value
    if value[:1] in ("H", "M"):
        return value[:9]  # 港澳通行证: the renewal count does not change the person
    if value[:8].isdigit():
        return value[:8]  # 台湾通行证: the issue count does not change the person
    return value


def person_key(secret: str, identity_key: str) -> str:
    """HMAC-SHA256 of the identity key under the stage's secret (hex, 32 chars)."""
    if not secret:
        raise ValueError("PERSON_KEY_SECRET is not configured")
    digest = hmac.new(secret.encode(), identity_key.upper().encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
