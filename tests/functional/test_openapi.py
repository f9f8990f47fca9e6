"""The contract: /openapi.json names exactly the routes Chalice serves, is valid OpenAPI 3.1,
documents the statuses the framework answers, and every example matches its schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate

from chalicelib.api.openapi import document
from chalicelib.api.problems import ERROR_CODES

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    import app  # registers every blueprint's operations

    assert app.app.routes
    return document()


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_the_document_names_exactly_the_routes_chalice_serves(doc: dict[str, Any]) -> None:
    import app

    served = {
        (path, method.lower()) for path, entries in app.app.routes.items() for method in entries
    }
    documented = {(path, method) for path, method, _ in _operations(doc)}
    assert served - documented == set(), "routes missing from /openapi.json"
    assert documented - served == set(), "/openapi.json names routes Chalice does not have"


def test_the_document_is_valid_openapi_3_1(doc: dict[str, Any]) -> None:
    assert doc["openapi"].startswith("3.1.")
    validate(doc)


def test_the_served_document_is_the_generated_one(client: Any, doc: dict[str, Any]) -> None:
    response = client.http.get("/openapi.json")
    assert response.status_code == 200
    assert json.loads(response.body) == json.loads(json.dumps(doc))


def test_framework_statuses_are_documented(doc: dict[str, Any]) -> None:
    missing = []
    for path, method, op in _operations(doc):
        statuses = set(op["responses"])
        if op["security"]:
            missing += [(method, path, "401")] if "401" not in statuses else []
        if "requestBody" in op:
            missing += [(method, path, s) for s in ("400", "422") if s not in statuses]
    assert missing == []


def test_path_parameters_and_security_are_declared(doc: dict[str, Any]) -> None:
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, method, op in _operations(doc):
        declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
        in_path = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        assert declared == in_path, (method, path)
        for security in op["security"]:
            assert set(security) <= set(doc["components"]["securitySchemes"])


def test_errors_are_problem_json_with_the_stable_codes(doc: dict[str, Any]) -> None:
    problem = doc["components"]["schemas"]["ProblemOut"]
    assert problem["properties"]["code"]["enum"] == list(ERROR_CODES)
    field_code = doc["components"]["schemas"]["FieldError"]["properties"]["code"]
    assert field_code["type"] == "string" and "enum" not in field_code
    for path, _method, op in _operations(doc):
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (path, status)


def _validator(doc: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    root = {**schema, "components": doc["components"]}
    return jsonschema.Draft202012Validator(
        root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_every_body_and_response_has_an_example_that_matches_its_schema(
    doc: dict[str, Any],
) -> None:
    checked = 0
    for path, method, op in _operations(doc):
        contents = [("request", op["requestBody"]["content"])] if "requestBody" in op else []
        contents += [(status, r["content"]) for status, r in op["responses"].items()]
        for where, content in contents:
            for media in content.values():
                examples = media.get("examples", {})
                assert examples, f"{method} {path} {where}: no example"
                for example in examples.values():
                    errors = list(_validator(doc, media["schema"]).iter_errors(example["value"]))
                    assert errors == [], f"{method} {path} {where}: {errors[0].message}"
                    checked += 1
    assert checked > 0
    for path, method, op in _operations(doc):
        for param in op["parameters"]:
            assert param.get("description"), (method, path, param["name"])
            if "example" in param:
                assert list(_validator(doc, param["schema"]).iter_errors(param["example"])) == []


def test_an_unsupported_method_answers_problem_json(client: Any) -> None:
    response = client.http.request("DELETE", "/v1/guide")
    assert response.status_code == 405
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Allow"] == "GET"
    assert json.loads(response.body)["code"] == "method_not_allowed"


def test_a_problem_names_the_path_that_was_asked_for(client: Any) -> None:
    response = client.http.get("/v1/departments/hrss/tasks")
    assert response.status_code == 401
    assert json.loads(response.body)["instance"] == "/v1/departments/hrss/tasks"


def test_every_error_code_the_code_raises_is_documented() -> None:
    """An error's ``code=`` is part of the contract: a new one must join ERROR_CODES."""
    source = Path(__file__).resolve().parents[2] / "chalicelib"
    raised = {
        code
        for path in source.rglob("*.py")
        for code in re.findall(r'\bcode="([a-z_.]+)"', path.read_text("utf-8"))
    }
    # Problem(field, code, message) carries open field codes; only keyword codes are errors'.
    assert raised - set(ERROR_CODES) == set()


def test_every_operation_documents_the_4xx_it_can_answer_including_the_gateways_429(
    doc: dict[str, Any],
) -> None:
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            statuses = set(op["responses"])
            assert "429" in statuses, (method, path)
            assert "Retry-After" in op["responses"]["429"]["headers"], (method, path)
            if op["security"]:  # behind a token: never cached
                assert all("Cache-Control" in r["headers"] for r in op["responses"].values())


def test_the_upload_example_shows_a_person_key_never_an_id_number(doc: dict[str, Any]) -> None:
    import re

    text = json.dumps(doc["components"], ensure_ascii=False) + json.dumps(doc["paths"])
    keys = re.findall(r"uploads/([^/\"]+)/", text)
    # An applicant's uploads under their person key, a window clerk's under their staff id.
    assert keys and all(k.startswith(("v1.", "clerk-")) for k in keys), keys
    assert any(k.startswith("v1.") for k in keys)


def test_the_window_fields_and_the_new_codes_are_documented_with_examples(
    doc: dict[str, Any],
) -> None:
    schemas = doc["components"]["schemas"]
    form = schemas["ApplicationIn"]["properties"]
    assert {"agent", "signature", "data_sharing"} <= set(form)
    assert all(form[name].get("description") for name in ("agent", "signature", "data_sharing"))
    body = doc["paths"]["/v1/applications"]["post"]["requestBody"]["content"]
    window = body["application/json"]["examples"]["window"]["value"]
    assert window["agent"]["relationship"] and window["signature"]["method"] == "signed_form"
    assert {a["purpose"] for a in window["attachments"]} == {"authorisation", "signed_form"}
    assert "authorisation" in json.dumps(schemas["AttachmentIn"], ensure_ascii=False)
    view = doc["paths"]["/v1/applications/{application_id}"]["get"]["responses"]["200"]
    assert view["content"]["application/json"]["examples"]["window"]["value"]["agent"]["masked"]
    assert {"agent", "signature", "data_sharing"} <= set(schemas["CaseView"]["properties"])
    assert {"name", "uscc", "registered_on"} <= set(schemas["Certificate"]["properties"])
    certificates = doc["paths"]["/v1/me/certificates"]["get"]["responses"]["200"]["content"]
    listed = certificates["application/json"]["examples"]["demo"]["value"]["certificates"]
    assert "business_licence" in {c["type"] for c in listed}
    assert "licence.outside_luoyang" in schemas["ItemView"]["properties"]["result"]["description"]
    # Every field code the window's rules give is named where the document lists them.
    source = Path(__file__).resolve().parents[2] / "chalicelib" / "domain" / "window.py"
    codes = set(re.findall(r'Problem\([^,]+, "([a-z_]+\.[a-z_.]+)"', source.read_text("utf-8")))
    described = schemas["FieldError"]["properties"]["code"]["description"]
    assert codes and {c for c in codes if c not in described} == set()
