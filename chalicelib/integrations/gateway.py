"""The departments' systems through the province's data-sharing gateway: signed JSON over
HTTPS (``integrations.contract``), with budgets that fit the handlers and failures sorted into
answers, refusals and outages.

urllib3 is the client: botocore already depends on it (nothing new is bundled), it is well
kept, and it gives separate connect and read timeouts and explicit control of retries (we
allow one quick retry of a refused connection, nothing more: the queue's backoff retries).
It is imported when a call is made, never at ``import app``.

Configuration fails closed: without its base URL or the gateway's credentials, a call raises
``DepartmentUnavailable(not_configured)``: the item waits, then fails to a person; it is never
answered from anything else.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from chalicelib.integrations import contract
from chalicelib.integrations.contract import Licence, Operation, Refusal
from chalicelib.integrations.departments import (
    CONTRACT,
    CREDENTIALS,
    NOT_CONFIGURED,
    SERVER_ERROR,
    THROTTLED,
    TIMEOUT,
    UNAVAILABLE,
    DepartmentRefused,
    Departments,
    DepartmentUnavailable,
)

QUICK_RETRY_WITHIN_S = 1.0  # a failure this fast (a refused connection) is tried once more
QUICK_RETRY_PAUSE_S = 0.2


@dataclass(frozen=True)
class GatewayConfig:
    base_urls: Mapping[str, str]  # department -> the gateway's base URL for its systems
    app_id: str
    secret: str = field(repr=False)
    connect_timeout_s: float = 2.0
    read_timeout_s: float = 5.0

    def url(self, department: str) -> str | None:
        base = self.base_urls.get(department, "")
        return base.rstrip("/") if base and self.app_id and self.secret else None


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes


def _classify(connector: str, reply: _Reply) -> DepartmentUnavailable:
    if reply.status == 429:
        return DepartmentUnavailable(connector, THROTTLED)
    if reply.status in (502, 503, 504):
        return DepartmentUnavailable(connector, UNAVAILABLE)
    if reply.status >= 500:
        return DepartmentUnavailable(connector, SERVER_ERROR)
    if reply.status in (401, 403):
        return DepartmentUnavailable(connector, CREDENTIALS)
    return DepartmentUnavailable(connector, CONTRACT, final=True)


class GatewayDepartments(Departments):
    def __init__(
        self,
        config: Callable[[], GatewayConfig],
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._config = config
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._pool: Any = None

    def configured(self, department: str) -> bool:
        return self._config().url(department) is not None

    def lookup_licence(self, uscc: str, key: str) -> Licence | None:
        op = contract.LICENCE_LOOKUP
        path = op.path.replace("{uscc}", quote(uscc, safe=""))
        reply = self._send(op, path, b"", key)
        if reply.status == 404:
            return None
        answer = self._answer(op, reply)
        assert isinstance(answer, Licence)  # noqa: S101 - the operation's response model  # nosec B101
        return answer

    def call(self, operation: Operation, request: BaseModel, key: str) -> BaseModel:
        body = request.model_dump_json().encode("utf-8")
        return self._answer(operation, self._send(operation, operation.path, body, key))

    def _answer(self, op: Operation, reply: _Reply) -> BaseModel:
        try:
            if reply.status == 200:
                return op.response.model_validate_json(reply.body)
            if reply.status == 422:
                refusal = Refusal.model_validate_json(reply.body)
                raise DepartmentRefused(op.connector, refusal.code, refusal.reason)
        except ValidationError as exc:  # an answer outside the contract: a person looks
            raise DepartmentUnavailable(op.connector, CONTRACT, final=True) from exc
        raise _classify(op.connector, reply)

    def _send(self, op: Operation, path: str, body: bytes, key: str) -> _Reply:
        config = self._config()
        base = config.url(op.department)
        if base is None:
            raise DepartmentUnavailable(op.connector, NOT_CONFIGURED)
        started = self._clock()
        try:
            return self._once(config, base, op.method, path, body, key, op.connector)
        except DepartmentUnavailable as exc:
            fast = self._clock() - started < QUICK_RETRY_WITHIN_S
            if not (fast and exc.kind == UNAVAILABLE):
                raise
        self._sleep(QUICK_RETRY_PAUSE_S)
        return self._once(config, base, op.method, path, body, key, op.connector)

    def _headers(
        self, config: GatewayConfig, method: str, path: str, body: bytes
    ) -> dict[str, str]:
        timestamp, nonce = str(int(self._clock())), secrets.token_hex(16)
        digest = contract.content_digest(body)
        sign = contract.signature(config.secret, method, path, timestamp, nonce, digest)
        return {
            "Content-Type": "application/json",
            "X-App-Id": config.app_id,
            "X-Timestamp": timestamp,
            "X-Nonce": nonce,
            "X-Content-SHA256": digest,
            "X-Signature": sign,
        }

    def _once(
        self,
        config: GatewayConfig,
        base: str,
        method: str,
        path: str,
        body: bytes,
        key: str,
        connector: str,
    ) -> _Reply:
        import urllib3
        from urllib3.exceptions import HTTPError, NewConnectionError, TimeoutError

        headers = self._headers(config, method, path, body)
        headers[contract.IDEMPOTENCY_HEADER] = key
        timeout = urllib3.Timeout(connect=config.connect_timeout_s, read=config.read_timeout_s)
        try:
            response = self._http().request(
                method, base + path, body=body or None, headers=headers, timeout=timeout
            )
        except NewConnectionError as exc:  # refused (a subclass of the connect timeout)
            raise DepartmentUnavailable(connector, UNAVAILABLE) from exc
        except TimeoutError as exc:
            raise DepartmentUnavailable(connector, TIMEOUT) from exc
        except HTTPError as exc:  # reset, DNS, protocol: nobody answered
            raise DepartmentUnavailable(connector, UNAVAILABLE) from exc
        return _Reply(response.status, response.data)

    def _http(self) -> Any:
        import urllib3

        with self._lock:
            if self._pool is None:
                # No retries of its own: one quick retry above, the queue's backoff beyond it.
                self._pool = urllib3.PoolManager(retries=False, maxsize=4)
            return self._pool


def config_from(settings: Any, credentials: Callable[[], Mapping[str, str]]) -> GatewayConfig:
    """The stage's gateway configuration: base URLs from the settings, the app id and secret
    from the secret store (empty when absent: calls fail closed)."""
    found = credentials()
    return GatewayConfig(
        base_urls=settings.department_urls,
        app_id=str(found.get("app_id", "")),
        secret=str(found.get("secret", "")),
        connect_timeout_s=settings.connector_connect_timeout_s,
        read_timeout_s=settings.connector_read_timeout_s,
    )
