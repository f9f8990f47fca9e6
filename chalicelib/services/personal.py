"""The personal fields the service keeps whole, sealed at field level (docs/domain.md §10).

Sealed: the ID numbers of the applicant and of their agent at the window (a number
identifies the person everywhere; §10 asks for it encrypted), the applicant's contact phone
(it is opened only by the API, for the people who may read it, and by the SMS sender, which
texts it; the item handlers may open the form but never use it) and the social security
card's financial account (sensitive personal information under PIPL art. 28). Not sealed:
names and addresses, and a mail delivery's recipient and phone. They are ordinary personal
information that staff work with in clear (delivery, call-backs), are masked in responses to
everyone who does not need them (``domain.disclosure``), and never appear in keys, indexes or
logs; the table and bucket are encrypted at rest besides.

The stored form (case row, superseded versions, archive objects) holds the envelopes; use
cases that need the clear values open them here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.integrations.crypto import FieldCipher, is_sealed
from chalicelib.store.records import CaseRecord

SEALED_FIELDS: tuple[tuple[str, str], ...] = (
    ("applicant", "id_number"),
    ("applicant", "phone"),  # texted by the SMS sender alone (services.sms)
    ("agent", "id_number"),  # the window's 受委托人: sealed like the applicant's
    ("subsidy", "account"),
)
PAYMENT_ACCOUNT = "payment.account"


def _each(form: Mapping[str, Any], change: Any) -> dict[str, Any]:
    out = dict(form)
    for section, name in SEALED_FIELDS:
        part = out.get(section)  # the section as already changed: it may hold two sealed fields
        if isinstance(part, Mapping) and isinstance(part.get(name), str):
            out[section] = {**part, name: change(part[name], f"{section}.{name}")}
    return out


def seal_form(cipher: FieldCipher, case_id: str, form: Mapping[str, Any]) -> dict[str, Any]:
    """The form as stored: each sealed field an envelope bound to this case and field."""

    def seal(value: str, field: str) -> str:
        return value if is_sealed(value) else cipher.seal(value, case_id, field)

    return _each(form, seal)


def open_form(cipher: FieldCipher, case_id: str, form: Mapping[str, Any]) -> dict[str, Any]:
    def open_(value: str, field: str) -> str:
        return cipher.open(value, case_id, field) if is_sealed(value) else value

    return _each(form, open_)


def clear_form(cipher: FieldCipher, case: CaseRecord) -> dict[str, Any]:
    """The case's form with its sealed fields opened (costs KMS only for a data key this
    process has not opened yet)."""
    return open_form(cipher, case.id, case.form)
