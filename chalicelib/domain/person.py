"""A person's pseudonymous key: how cases, certificates and subsidies are linked to someone
without their ID number ever appearing in a key, an index or a log (docs/domain.md §10).

A person key is ``v<version>.`` and 32 hex digits of HMAC-SHA256, under that version's secret,
of the document family and the person's identity key (``identity.IdentityInfo.identity_key``).
The family is part of the input, so numbers of two kinds of document never share a key; the
version says which secret made it, so the secret can be rotated (``KeyRing``: the current
version makes new keys, older ones still recognise the keys they made)."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from chalicelib.domain import identity


class PersonalField(StrEnum):
    """The applicant's personal fields a reader sees in clear or masked (domain.disclosure)."""

    NAME = "name"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    ACCOUNT = "account"
    DELIVERY = "delivery"  # 统一出件 by mail: recipient, address and phone


EVERYTHING = frozenset(PersonalField)
NOTHING: frozenset[PersonalField] = frozenset()

# Documents that carry the same number for the same person are one family (社会保险法 art.
# 58: the social security number is the citizen ID number); every other document its own.
FAMILIES = {
    identity.RESIDENT_ID_CARD: "cn_citizen",
    identity.SOCIAL_SECURITY_CARD: "cn_citizen",
    identity.HKMT_RESIDENCE_PERMIT: "hkmt_residence",
    identity.HK_MACAO_PERMIT: "hk_macao_pass",
    identity.TAIWAN_PERMIT: "taiwan_pass",
}
_PERMIT_PROVINCES = ("81", "82", "83")
_RING = re.compile(r"v[0-9]{1,3}=[^,=]+(?:,v[0-9]{1,3}=[^,=]+)*")


# The start-up subsidy's match key (docs/domain.md §6, §10): one person may hold documents of
# two families (a citizen ID card, and later a 港澳台居民居住证 or a permit) and so two person
# keys; their name, birth date and gender stay the same. Keyed like a person key, under the
# same ring, with a family of its own so it never equals one.
MATCH_FAMILY = "subsidy_match"
_NAME_NOISE = re.compile(r"[\s·•・‧．.]")  # spaces and the middle dots names are written with


def match_identity(name: str, birth: date, gender: str) -> str:
    """What the match key hashes: the name as written on any document (NFKC, without spaces
    or middle dots), the birth date and the gender."""
    written = _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name))
    return f"{written}|{birth.isoformat()}|{gender}"


class SubjectInvalid(ValueError):
    """A token subject that is not a valid number of a supported identity document."""


def document_of(number: str) -> str:
    """Which document a bare number is (their formats do not overlap, docs/domain.md §3)."""
    if len(number) == 18:
        permit = number[:2] in _PERMIT_PROVINCES
        return identity.HKMT_RESIDENCE_PERMIT if permit else identity.RESIDENT_ID_CARD
    if number[:1] in ("H", "M"):
        return identity.HK_MACAO_PERMIT
    return identity.TAIWAN_PERMIT


def subject_identity(subject: str, today: date) -> tuple[str, str]:
    """(family, identity key) of an applicant's token subject, which must be a valid number of
    a supported document as it is: check character, birth date and all. Nothing is trimmed or
    cut to fit (a lowercase check character x is the same number, §3)."""
    number = subject.upper()
    if not number or number != number.strip() or not number.isascii():
        raise SubjectInvalid("not a document number")
    kind = document_of(number)
    info, problems = identity.check_id(kind, number, today)
    if info is None or problems or info.normalized != number:
        raise SubjectInvalid(f"not a valid {kind} number")
    return FAMILIES[kind], info.identity_key


def person_key(secret: str, family: str, identity_key: str, version: str = "1") -> str:
    """``v<version>.`` + HMAC-SHA256 of family and identity key under the secret (32 hex)."""
    if not secret:
        raise ValueError("PERSON_KEY_SECRET is not configured")
    message = f"{family}|{identity_key.upper()}".encode()
    return f"v{version}." + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class KeyRing:
    """The person-key secrets: the current version first, then older ones still recognised
    during a rotation. ``PERSON_KEY_SECRET`` is either one secret (version 1) or
    ``v2=<secret>,v1=<secret>`` (the first entry is current)."""

    secrets: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, value: str) -> KeyRing:
        if not value:
            return cls(())
        if _RING.fullmatch(value):
            entries = [part.split("=", 1) for part in value.split(",")]
            return cls(tuple((version[1:], secret) for version, secret in entries))
        return cls((("1", value),))

    def keys(self, family: str, identity_key: str) -> tuple[str, ...]:
        """The person's key under every version, the current one first."""
        if not self.secrets:
            raise ValueError("PERSON_KEY_SECRET is not configured")
        return tuple(person_key(s, family, identity_key, v) for v, s in self.secrets)

    def key(self, family: str, identity_key: str) -> str:
        return self.keys(family, identity_key)[0]


# What a registry's operator number that is no valid document number keys to: no person key
# has this form ("v<n>." + hex), so it matches no applicant.
NO_PERSON = "none"


def operator_key(ring: KeyRing, id_number: str, today: date, applicant_key: str) -> str:
    """The person key of a business's registered operator (市场监管's record), comparable with
    the applicant's: under the version that made the applicant's key when it is the same person
    (a case submitted before a rotation of the secret), else under the current version."""
    try:
        family, identity_key = subject_identity(id_number, today)
    except SubjectInvalid:
        return NO_PERSON
    keys = ring.keys(family, identity_key)
    return applicant_key if applicant_key in keys else keys[0]
