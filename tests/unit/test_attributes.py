"""store.attributes answers as boto3's TypeSerializer and TypeDeserializer do."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.store.attributes import from_attribute, to_attribute

# What codec.marshal hands over: JSON's values, numbers as Decimal (ints stay ints).
numbers = st.integers(min_value=-(10**30), max_value=10**30) | st.decimals(
    allow_nan=False, allow_infinity=False, places=6, min_value=-(10**20), max_value=10**20
)
scalars = st.none() | st.booleans() | st.text(max_size=20) | numbers
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@given(values)
def test_every_json_value_serializes_as_boto3_does_and_comes_back(value) -> None:
    ours = to_attribute(value)
    assert ours == TypeSerializer().serialize(value)
    assert from_attribute(ours) == TypeDeserializer().deserialize(ours)


@given(
    st.sets(st.text(max_size=5), min_size=1)
    | st.sets(st.integers(min_value=-(10**30), max_value=10**30), min_size=1)
)
def test_sets_as_boto3(value) -> None:
    ours, theirs = to_attribute(value), TypeSerializer().serialize(value)
    ((kind, members),) = ours.items()
    assert kind in theirs and sorted(members) == sorted(theirs[kind])
    assert from_attribute(ours) == TypeDeserializer().deserialize(theirs)


@pytest.mark.parametrize(
    "bad", [Decimal("NaN"), Decimal("Infinity"), Decimal("1." + "1" * 40), 1.5, object()]
)
def test_what_dynamodb_cannot_store_is_refused_as_boto3_refuses_it(bad) -> None:
    with pytest.raises((TypeError, ArithmeticError)):
        to_attribute(bad)
    with pytest.raises((TypeError, ArithmeticError)):
        TypeSerializer().serialize(bad)


def test_an_empty_set_is_refused_here_rather_than_by_dynamodb() -> None:
    with pytest.raises(TypeError):  # boto3 sends {"SS": []}, which DynamoDB refuses
        to_attribute(set())


def test_a_stored_row_round_trips() -> None:
    row = json.loads('{"a": 1, "b": [true, null, "x", 2.5], "c": {"d": 10000000000000000000}}')
    prepared = json.loads(json.dumps(row), parse_float=Decimal)
    assert from_attribute(to_attribute(prepared)) == TypeDeserializer().deserialize(
        TypeSerializer().serialize(prepared)
    )
