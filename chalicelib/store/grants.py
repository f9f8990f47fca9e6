"""The start-up subsidy's once-per-person records: the grant under the person's key, and the
claims under their match key (docs/domain.md §6). Part of the DynamoDB repository (which owns
the key scheme), as a mixin like ``trails``."""

from __future__ import annotations

from typing import Any

from chalicelib.store import keys
from chalicelib.store.records import SubsidyGrantRecord, SubsidyMatchRecord

# Claims one match key may gather: a handful in practice (one person's documents, the rare
# namesake born the same day); the officer is flagged by the first few.
MATCHES_READ = 20


class Grants:
    """``CaseRepository``'s grant and claim-match reads, for the DynamoDB repository."""

    _client: Any
    _table: str

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        raise NotImplementedError  # the repository's own

    def _partition(
        self, pk: str, prefix: str, newest_first: bool = False, limit: int = 100
    ) -> list[dict[str, Any]]:
        raise NotImplementedError  # the repository's own

    def subsidy_grant(self, person_key: str) -> SubsidyGrantRecord | None:
        row = self._get(keys.person_pk(person_key), keys.SUBSIDY_SK)
        return SubsidyGrantRecord(**row) if row else None

    def subsidy_matches(self, match_key: str) -> list[SubsidyMatchRecord]:
        pk = keys.subsidy_match_pk(match_key)
        rows = self._partition(pk, keys.subsidy_match_sk(""), limit=MATCHES_READ)
        return [SubsidyMatchRecord(**row) for row in rows]
