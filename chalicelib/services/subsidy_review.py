"""What the officer reviewing a start-up subsidy claim is told (docs/domain.md §6): how each
condition was established, and the flags: no evidence of the person category, or a claim by
someone with the same name, birth date and gender under another document.

The second is found without personal data in any key: each claim is filed under its match key,
a keyed hash (HMAC under the person-key secret, which the API holds) of name, birth date and
gender (``domain.person.match_identity``), under every version of the secret. A match is a
flag for the officer, never a refusal: namesakes born on the same day exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib.domain import items, subsidy
from chalicelib.services.context import Services
from chalicelib.services.references import Reference
from chalicelib.services.uploads import purpose_of
from chalicelib.store.records import CaseRecord, SubsidyMatchRecord

CATEGORY_EVIDENCE = "category_evidence"  # the upload purpose of the category's proof


def claim_review(
    svc: Services, case: CaseRecord, facts: items.Facts, cited: Sequence[Reference], at: str
) -> tuple[dict[str, Any] | None, list[SubsidyMatchRecord]]:
    """The claim's review, and the rows that file the claim under its match keys (written with
    it, so a later claim under another document finds this one)."""
    evidence = any(purpose_of(ref.key) == CATEGORY_EVIDENCE for ref in cited)
    birth = facts.birth_date
    # The name is not a sealed field (services.personal): read as stored.
    name = str(case.form["applicant"]["name"])
    keys = svc.match_keys(name, birth, facts.gender) if birth is not None else ()
    others = {m.application_id for key in keys for m in svc.repo.subsidy_matches(key)}
    review = subsidy.claim_review(
        items.subsidy_applicant(facts), evidence, sorted(others - {case.id})
    )
    rows = [SubsidyMatchRecord(match_key=k, application_id=case.id, claimed_at=at) for k in keys]
    return review, rows
