"""The contract we publish for the departments' systems is the one the adapter and the
stand-ins are written against, and a valid OpenAPI document."""

from __future__ import annotations

import json

from openapi_spec_validator import validate

from chalicelib.integrations import contract
from devtools import connectors_doc


def test_the_published_contract_is_current_and_valid() -> None:
    published = connectors_doc.PATH.read_text("utf-8")
    assert published == connectors_doc.render(), "run `.venv/bin/python -m devtools.connectors_doc`"
    validate(json.loads(published))


def test_every_operation_is_published_with_its_refusal_and_the_signed_headers() -> None:
    document = connectors_doc.document()
    for op in contract.OPERATIONS:
        published = document["paths"][op.path][op.method.lower()]
        headers = {p["name"] for p in published["parameters"] if p["in"] == "header"}
        assert set(contract.SIGNED_HEADERS) <= headers, op.name
        assert {"200", "401", "422", "503"} <= set(published["responses"]), op.name


def test_the_signature_covers_method_path_time_nonce_and_body() -> None:
    base = ("s3cret", "POST", "/tax/v1/taxpayer-confirmations", "1764208800", "n-1", "d" * 64)
    reference = contract.signature(*base)
    for position, other in (
        (1, "GET"),
        (2, "/tax/v1/x"),
        (3, "1764208801"),
        (4, "n-2"),
        (5, "e" * 64),
    ):
        changed = list(base)
        changed[position] = other
        assert contract.signature(*changed) != reference
    assert contract.signature("other", *base[1:]) != reference
