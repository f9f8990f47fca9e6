"""Reading a CloudFormation template in the tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Template = dict[str, Any]


def of_type(template: Template, kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def strings(node: Any) -> Iterator[str]:
    """Every string in a template (keys included)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def get_att_target(node: Any) -> str:
    """``{"Fn::GetAtt": ["Queue", "Arn"]}`` -> ``Queue``."""
    assert isinstance(node, dict) and "Fn::GetAtt" in node, node
    return str(node["Fn::GetAtt"][0])


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
