"""Fixtures of the reliability suite: moto with DynamoDB's own guarantees under concurrency,
the app's AWS calls counted per operation, the queues pumped with labelled handlers, and
faults injected at a chosen call."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from botocore.retries import standard

from devtools.moto_patches import dynamodb_semantics
from devtools.provision import Resources
from tests.reliability.harness import Calls, Faults, LabelledPump


@pytest.fixture(autouse=True)
def dynamodb_like_moto() -> Iterator[None]:
    with dynamodb_semantics():
        yield


@pytest.fixture
def calls(aws: Resources) -> Calls:
    counted = Calls()
    counted.attach()
    return counted


@pytest.fixture
def queues(aws: Resources, calls: Calls) -> LabelledPump:
    import app

    sqs = boto3.client("sqs", region_name="cn-north-1")
    return LabelledPump(app, sqs, aws.queue_urls, calls)


@pytest.fixture
def faults(calls: Calls, monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    # botocore's real retry logic runs; only its back-off sleeps are skipped.
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0)
    with Faults(calls).installed() as injected:
        yield injected


@pytest.fixture
def threadsafe_app(aws: Resources) -> Iterator[None]:
    """The app object keeps the request being handled in an attribute; chalice's local server
    makes that attribute thread-local (Lambda runs one request per container). Tests that
    send requests from several threads through the test client do the same."""
    from chalice.local import CustomLocalChalice, LocalChalice

    import app

    original = app.app.__class__
    CustomLocalChalice.__bases__ = (LocalChalice, original)
    app.app.__class__ = CustomLocalChalice
    try:
        yield
    finally:
        app.app.__class__ = original
