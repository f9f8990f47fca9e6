"""Values to DynamoDB attribute values and back: what boto3's TypeSerializer and
TypeDeserializer do, for the values this service stores (``codec.marshal`` hands over JSON's
types only, numbers as Decimal), without importing boto3 itself: boto3's import (its
transfer manager, multiprocessing and resource machinery) costs a cold process ~30 ms and
nothing here uses it; the clients are botocore's (``chalicelib.deps``). Numbers keep
DynamoDB's rules (38 significant digits, no rounding, no NaN or infinity), as boto3's do.
tests/unit/test_attributes.py checks both ways against boto3's own."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Clamped, Context, Decimal, Inexact, Overflow, Rounded, Underflow
from typing import Any

# DynamoDB's number type (boto3.dynamodb.types.DYNAMODB_CONTEXT).
NUMBERS = Context(
    Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow, Inexact, Rounded, Underflow]
)


def _number(value: int | Decimal) -> str:
    number = str(NUMBERS.create_decimal(value))
    if number in ("Infinity", "NaN", "-Infinity", "sNaN"):
        raise TypeError("Infinity and NaN are not supported")
    return number


def to_attribute(value: Any) -> dict[str, Any]:
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):  # before int: a bool is an int
        return {"BOOL": value}
    if isinstance(value, int | Decimal):
        return {"N": _number(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bytes | bytearray):
        return {"B": bytes(value)}
    if isinstance(value, Mapping):
        return {"M": {str(k): to_attribute(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [to_attribute(v) for v in value]}
    return _set(value)


def _set(value: Any) -> dict[str, Any]:
    if isinstance(value, set | frozenset) and value:
        if all(isinstance(v, str) for v in value):
            return {"SS": list(value)}
        if all(isinstance(v, int | Decimal) and not isinstance(v, bool) for v in value):
            return {"NS": [_number(v) for v in value]}
        if all(isinstance(v, bytes | bytearray) for v in value):
            return {"BS": [bytes(v) for v in value]}
    raise TypeError(f"Unsupported type {type(value).__name__!r} for value {value!r}")


def from_attribute(attribute: Mapping[str, Any]) -> Any:
    if len(attribute) != 1:
        raise TypeError("an attribute value has exactly one type")
    ((kind, value),) = attribute.items()
    if kind == "NULL":
        return None
    if kind in ("S", "BOOL", "B"):
        return value
    if kind == "N":
        return NUMBERS.create_decimal(value)
    if kind == "M":
        return {k: from_attribute(v) for k, v in value.items()}
    if kind == "L":
        return [from_attribute(v) for v in value]
    if kind == "SS" or kind == "BS":
        return set(value)
    if kind == "NS":
        return {NUMBERS.create_decimal(v) for v in value}
    raise TypeError(f"DynamoDB type {kind!r} is not supported")
