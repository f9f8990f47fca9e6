"""What the officer who decides an item is told besides the form (docs/domain.md §6, §7):
``flags``, points the rules could not settle and leave to the officer (never a refusal by
themselves), and ``conditions``, each condition of the item with how it was established:
checked by the system, resting on the applicant's declaration, or on evidence the applicant
uploaded for the officer to examine. Codes, fixed Chinese texts and case ids only, never
personal data: the department queue's index carries them (``store.listings.TaskListing``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

SYSTEM = "system"  # checked by the system against the registry, the ID number or the records
DECLARATION = "declaration"  # the applicant's declaration on the form (申请人承诺 applies)
EVIDENCE = "evidence"  # materials the applicant uploaded: the officer examines them
BASES = (SYSTEM, DECLARATION, EVIDENCE)


def flag(code: str, text: str, **details: Any) -> dict[str, Any]:
    return {"code": code, "text": text, **details}


def condition(code: str, label: str, basis: str, met: bool | None) -> dict[str, Any]:
    """``met``: whether the condition holds on its basis; ``None``: for the officer to judge."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, got {basis!r}")
    return {"code": code, "label": label, "basis": basis, "met": met}


def review(
    flags: Iterable[dict[str, Any]] = (), conditions: Iterable[dict[str, Any]] = ()
) -> dict[str, Any] | None:
    found = {"flags": list(flags), "conditions": list(conditions)}
    return found if found["flags"] or found["conditions"] else None
