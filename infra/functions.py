"""The Lambda functions Chalice packages, read from the app itself: names, the queue each
SQS handler consumes, and the logical ids Chalice gives them in the template."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from chalice.app import ScheduledEventConfig, SQSEventConfig

from infra.cfn import logical_id

API_HANDLER = "api_handler"


@dataclass(frozen=True)
class Function:
    name: str  # Chalice's function name: api_handler, license_verification, ...
    queue: str | None = None  # the SQS queue it consumes, by name
    scheduled: bool = False
    authorizer: bool = False  # the API's token authorizer

    @property
    def logical_id(self) -> str:
        return "APIHandler" if self.name == API_HANDLER else logical_id(self.name)

    @property
    def sqs_event_id(self) -> str:
        """Chalice's name for the function's SQS event in the SAM template."""
        return logical_id(f"{self.name}-sqs-event-source")

    @property
    def log_group_id(self) -> str:
        return self.logical_id + "LogGroup"


def load_app() -> Any:
    return importlib.import_module("app").app


def functions(app: Any | None = None) -> tuple[Function, ...]:
    """Every function of the app, the API handler first."""
    chalice_app = load_app() if app is None else app
    found = [Function(API_HANDLER)] if chalice_app.routes else []
    found += [Function(auth.name, authorizer=True) for auth in chalice_app.builtin_auth_handlers]
    for source in chalice_app.event_sources:
        if isinstance(source, SQSEventConfig):
            found.append(Function(source.name, queue=source.queue))
        elif isinstance(source, ScheduledEventConfig):
            found.append(Function(source.name, scheduled=True))
        else:
            raise TypeError(f"{source.name}: {type(source).__name__} has no deployment yet")
    return tuple(found)
