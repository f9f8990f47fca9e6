"""Bodies over 1 MB, and JSON nested or repeated beyond sane limits, are refused with a clear
4xx (problem+json, Chinese detail, stable code) before anything parses them."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel

from chalicelib.api import framework
from chalicelib.api.framework import MAX_BODY_BYTES, MAX_JSON_DEPTH, MAX_JSON_ITEMS
from chalicelib.api.openapi import document
from chalicelib.api.problems import HttpError as AppError
from chalicelib.api.schemas import APPLICATION_EXAMPLE
from tests.conftest import bearer

CJK = re.compile(r"[\u4e00-\u9fff]")


def _post(client: Any, body: str | bytes, path: str = "/v1/applications") -> Any:
    headers = {"Content-Type": "application/json", **bearer()}
    return client.http.post(path, headers=headers, body=body)


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.body[:300]
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = json.loads(response.body)
    assert (problem["status"], problem["code"]) == (status, code)
    assert CJK.search(problem["detail"])
    return problem


def _padded(size: int) -> bytes:
    """The example application, its address padded so the body is exactly ``size`` bytes."""
    body = {**APPLICATION_EXAMPLE, "applicant": dict(APPLICATION_EXAMPLE["applicant"])}
    body["applicant"]["address"] = ""
    room = size - len(json.dumps(body).encode())
    body["applicant"]["address"] = "a" * room
    raw = json.dumps(body).encode()
    assert len(raw) == size
    return raw


@pytest.fixture
def unparsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the body reaches the JSON parser or a model."""

    def parsed(*_: Any, **__: Any) -> Any:
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(framework, "json", SimpleNamespace(loads=parsed, dumps=json.dumps))
    monkeypatch.setattr(BaseModel, "model_validate_json", classmethod(parsed))


def test_a_body_over_one_megabyte_is_413_before_parsing(client, unparsed):
    _problem(_post(client, _padded(MAX_BODY_BYTES + 1)), 413, "payload_too_large")


def test_a_body_of_exactly_one_megabyte_is_judged_on_its_content(client):
    problem = _problem(_post(client, _padded(MAX_BODY_BYTES)), 422, "validation_failed")
    assert [e["field"] for e in problem["errors"]] == ["applicant.address"]


def test_the_size_limit_comes_before_the_content_type(client):
    headers = {"Content-Type": "text/plain", **bearer()}
    response = client.http.post("/v1/applications", headers=headers, body=b"x" * (2 << 20))
    _problem(response, 413, "payload_too_large")


def _nested(depth: int) -> str:
    return '{"items": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


def test_json_nested_too_deep_is_400_before_parsing(client, unparsed):
    _problem(_post(client, _nested(MAX_JSON_DEPTH + 1)), 400, "json_too_deep")
    # Deeper than Python's own JSON parser can go: still a 400, never a 500.
    _problem(_post(client, _nested(200_000)), 400, "json_too_deep")


def test_json_nested_up_to_the_limit_reaches_validation(client):
    _problem(_post(client, _nested(MAX_JSON_DEPTH)), 422, "validation_failed")


def test_json_with_too_many_items_is_400_before_parsing(client, unparsed):
    flat = json.dumps({"items": ["license_verification"] * (MAX_JSON_ITEMS + 1)})
    _problem(_post(client, flat), 400, "json_too_many_items")
    objects = json.dumps({"items": [{}] * (MAX_JSON_ITEMS // 2 + 1)})
    _problem(_post(client, objects), 400, "json_too_many_items")


def test_brackets_and_commas_inside_strings_do_not_count():
    text = json.dumps({"note": '[{,"\\' * 10_000, "list": [1, 2, 3]}, ensure_ascii=False)
    framework._check_structure(text)  # no AppError
    with pytest.raises(AppError):
        framework._check_structure(text.replace('"list": [1, 2, 3]', '"list": ' + "[" * 40))


def test_every_operation_with_a_body_documents_413():
    import app  # noqa: F401 - registers every operation

    for path, item in document()["paths"].items():
        for method, op in item.items():
            if "requestBody" in op:
                assert "413" in op["responses"], (method, path)
