"""The departments' systems port: what the item handlers ask of market regulation, tax and
HRSS, and how an attempt can end. The production adapter is ``integrations.gateway`` (the
province's data-sharing gateway, signed HTTPS); locally and in tests it talks to the
stand-ins in ``devtools/departments.py`` over real HTTP."""

from __future__ import annotations

from abc import ABC, abstractmethod

from pydantic import BaseModel

from chalicelib.integrations.contract import Licence, Operation

# How an attempt failed, for the item's history and the connectors' health (never personal).
TIMEOUT = "timeout"  # connected but no answer in time, or no connection in time
UNAVAILABLE = "unavailable"  # refused the connection, or answered 502/503/504
THROTTLED = "throttled"  # 429
SERVER_ERROR = "server_error"  # another 5xx
CREDENTIALS = "credentials"  # the gateway refused our signature or app id (401/403)
NOT_CONFIGURED = "not_configured"  # this stage has no URL or credentials for the system
CONTRACT = "contract"  # an answer the contract does not define (our request or their reply)


class DepartmentUnavailable(Exception):
    """The attempt did not get an answer: try again later (the item waits). ``final``: trying
    again cannot help (a contract mismatch): a person takes the item over at once."""

    def __init__(self, connector: str, kind: str, final: bool = False) -> None:
        super().__init__(f"{connector}: {kind}")
        self.connector = connector
        self.kind = kind
        self.final = final


class DepartmentRefused(Exception):
    """A business refusal the contract defines: the department's own code and reason."""

    def __init__(self, connector: str, code: str, reason: str) -> None:
        super().__init__(f"{connector}: {code}")
        self.connector = connector
        self.code = code
        self.reason = reason


class Departments(ABC):
    @abstractmethod
    def lookup_licence(self, uscc: str, key: str) -> Licence | None:
        """The registry's record of the licence; ``None`` if none is registered."""

    @abstractmethod
    def configured(self, department: str) -> bool:
        """Whether this stage can reach the department's systems at all."""

    @abstractmethod
    def call(self, operation: Operation, request: BaseModel, key: str) -> BaseModel:
        """Send ``request``; the department's answer (``operation.response``).
        ``DepartmentRefused`` or ``DepartmentUnavailable`` otherwise. ``key``: the
        idempotency key of (case, item, operation): sent again, it registers nothing new."""
