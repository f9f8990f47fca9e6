"""Credentials kept in Secrets Manager, read when first needed and kept a few minutes per
process (a rotated secret reaches every function within that time). Only the functions whose
IAM policy names the secret can read it."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

log = logging.getLogger(__name__)


class SecretJson:
    """A JSON object secret; ``{}`` when the stage names none, or it cannot be read (callers
    fail closed on missing values)."""

    def __init__(
        self,
        client: Any,
        secret_id: str,
        ttl_s: float = 300.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client, self._id, self._ttl, self._now = client, secret_id, ttl_s, now
        self._lock = threading.Lock()
        self._value: dict[str, str] = {}
        self._expires = 0.0

    def __call__(self) -> dict[str, str]:
        if not self._id:
            return {}
        with self._lock:
            if self._now() >= self._expires:
                self._value = self._read()
                self._expires = self._now() + (self._ttl if self._value else 10.0)
            return self._value

    def _read(self) -> dict[str, str]:
        try:
            text = self._client.get_secret_value(SecretId=self._id)["SecretString"]
            value = json.loads(text)
        except (BotoCoreError, ClientError, KeyError, ValueError):
            log.warning("secret not readable", extra={"secret": self._id}, exc_info=True)
            return {}
        return {k: str(v) for k, v in value.items()} if isinstance(value, dict) else {}
