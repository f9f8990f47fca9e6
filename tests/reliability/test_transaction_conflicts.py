"""DynamoDB cancels a transaction with ``TransactionConflict`` when another one writes one of
its rows at the same moment (two submissions with one Idempotency-Key, two cases bumping the
same statistics shard). botocore does not retry that, and moto never raises it, so the real
moto client is wrapped here to cancel the first transactions the way DynamoDB would."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib import deps
from tests.conftest import bearer
from tests.functional.helpers import application, submit


class Conflicting:
    """The real client, except that the next ``conflicts`` transactions are cancelled."""

    def __init__(self, real: Any, conflicts: int) -> None:
        self._real, self.conflicts, self.transactions = real, conflicts, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def transact_write_items(self, **kwargs: Any) -> Any:
        self.transactions += 1
        if self.conflicts > 0:
            self.conflicts -= 1
            reasons = [{"Code": "None"}] * (len(kwargs["TransactItems"]) - 1)
            error = {
                "Error": {"Code": "TransactionCanceledException", "Message": "conflict"},
                "CancellationReasons": [*reasons, {"Code": "TransactionConflict"}],
            }
            raise ClientError(error, "TransactWriteItems")  # type: ignore[arg-type]
        return self._real.transact_write_items(**kwargs)


@pytest.fixture
def conflicting(client: Any, monkeypatch: pytest.MonkeyPatch) -> Conflicting:
    repo = deps.services().repo
    wrapper = Conflicting(repo._client, 0)
    monkeypatch.setattr(repo, "_client", wrapper)
    return wrapper


def my_cases(client: Any) -> list[str]:
    body = client.http.get("/v1/me/applications", headers=bearer()).body
    return [c["id"] for c in json.loads(body)["applications"]]


def test_a_conflicting_submission_is_retried_and_accepted_once(
    client: Any, conflicting: Conflicting
) -> None:
    conflicting.conflicts = 2
    reply = submit(client, application(), **{"Idempotency-Key": "conflict-1"})
    assert reply.status_code == 202, reply.body
    assert conflicting.transactions == 3
    assert my_cases(client) == [json.loads(reply.body)["id"]]


def test_a_conflict_that_does_not_clear_is_a_503_with_retry_after_and_nothing_stored(
    client: Any, conflicting: Conflicting
) -> None:
    conflicting.conflicts = 100
    reply = submit(client, application(), **{"Idempotency-Key": "conflict-2"})
    assert reply.status_code == 503, reply.body
    assert reply.headers["Retry-After"] == "1"
    assert json.loads(reply.body)["code"] == "service_unavailable"
    assert my_cases(client) == []
    conflicting.conflicts = 0  # the client sends the same request again: one case
    again = submit(client, application(), **{"Idempotency-Key": "conflict-2"})
    assert again.status_code == 202
    assert len(my_cases(client)) == 1
