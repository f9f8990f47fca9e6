"""Resubmitting is safe: the Idempotency-Key returns the same case, never a second one."""

from __future__ import annotations

import json

from tests.conftest import bearer
from tests.functional.helpers import application, submit, window_application


def my_cases(client) -> list[str]:
    body = client.http.get("/v1/me/applications", headers=bearer()).body
    return [c["id"] for c in json.loads(body)["applications"]]


def test_same_key_and_body_returns_the_same_case(client):
    first = submit(client, application(), **{"Idempotency-Key": "k-1"})
    second = submit(client, application(), **{"Idempotency-Key": "k-1"})
    assert first.status_code == second.status_code == 202
    assert json.loads(first.body)["id"] == json.loads(second.body)["id"]
    assert my_cases(client) == [json.loads(first.body)["id"]]


def test_same_key_with_a_different_body_is_a_conflict(client):
    submit(client, application(), **{"Idempotency-Key": "k-2"})
    other = application(items=["license_verification"], pension=None, subsidy=None)
    response = submit(client, other, **{"Idempotency-Key": "k-2"})
    assert response.status_code == 409
    assert json.loads(response.body)["code"] == "idempotency_key_reused"
    assert len(my_cases(client)) == 1


def test_keys_are_scoped_to_the_caller(client):
    mine = submit(client, application(), **{"Idempotency-Key": "shared"})
    clerk = bearer("clerk", "clerk-1", county="410302")
    theirs = client.http.post(
        "/v1/applications",
        headers={"Content-Type": "application/json", "Idempotency-Key": "shared", **clerk},
        body=json.dumps(window_application()),
    )
    assert theirs.status_code == 202
    assert json.loads(theirs.body)["id"] != json.loads(mine.body)["id"]


def test_an_unusable_key_is_a_bad_request(client):
    response = submit(client, application(), **{"Idempotency-Key": "x" * 200})
    assert response.status_code == 400
