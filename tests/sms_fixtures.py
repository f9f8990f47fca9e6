"""The SMS provider's local stand-in for tests: the real SDK talks to it over HTTP."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib import deps
from devtools.provision import Resources
from devtools.sms_standin import StandIn, account_from


@pytest.fixture
def standin(aws: Resources, monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    """A stand-in on a free port, the sender pointed at it; quiet hours and per-phone limits
    off unless a test sets them (``monkeypatch.setenv`` then ``deps.reset()``)."""
    server = StandIn(account_from(dict(os.environ)))
    url = server.start()
    monkeypatch.setenv("SMS_ENDPOINT", url)
    monkeypatch.setenv("SMS_QUIET_HOURS", "off")
    monkeypatch.setenv("SMS_RATE_LIMITS", "off")
    deps.reset()
    server.url = url  # type: ignore[attr-defined]
    yield server
    server.stop()


def outbox_over_http(server: StandIn) -> list[dict[str, Any]]:
    """What ``make sms-outbox`` prints, read the way it reads it."""
    url = f"{server.url}/_standin/outbox"  # type: ignore[attr-defined]
    with urllib.request.urlopen(url, timeout=5) as response:
        return [json.loads(line) for line in response.read().decode().splitlines() if line]
