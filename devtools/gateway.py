"""Chalice's local gateway, answering like the deployed API Gateway does.

API Gateway's gateway responses cannot run here, so this stands in for them (and says so): a
request the authorizer denies, one without a token and one for a route that does not exist get
the problem+json of ``chalicelib.api.gateway``, as they would in AWS, not Chalice's local
``{"message": ...}`` bodies. ``install()`` puts it under ``chalice local`` and the test client.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import chalice.local
import chalice.test
from chalice.local import (
    ChaliceRequestHandler,
    ForbiddenError,
    LocalDevServer,
    LocalGateway,
    LocalGatewayAuthorizer,
    LocalGatewayException,
    NotAuthorizedError,
)

from chalicelib.api import gateway


class GatewayAnswerError(LocalGatewayException):
    def __init__(
        self, answer: gateway.GatewayAnswer, path: str, context: Mapping[str, str] | None = None
    ) -> None:
        text = gateway.body(answer, context, instance=path.split("?")[0])
        super().__init__(answer.all_headers, text.encode("utf-8"))
        self.CODE = answer.error.status


class _Denied(Exception):
    def __init__(self, context: Mapping[str, str]) -> None:
        super().__init__("denied by the authorizer")
        self.context = context


class _Authorizer(LocalGatewayAuthorizer):
    def _check_can_invoke_view_function(self, arn: str, auth_result: Any) -> bool:
        if not super()._check_can_invoke_view_function(arn, auth_result):
            raise _Denied(auth_result.get("context") or {})
        return True


class EmulatedGateway(LocalGateway):
    def __init__(self, app_object: Any, config: Any) -> None:
        super().__init__(app_object, config)
        self._authorizer = _Authorizer(app_object)

    def handle_request(
        self, method: str, path: str, headers: Any, body: bytes | None
    ) -> dict[str, Any]:
        try:
            return super().handle_request(method, path, headers, body)
        except _Denied as denied:
            raise GatewayAnswerError(gateway.ACCESS_DENIED, path, denied.context) from denied
        except NotAuthorizedError as exc:
            raise GatewayAnswerError(gateway.UNAUTHORIZED, path) from exc
        except ForbiddenError as exc:  # what is left of Chalice's 403s: no such route
            raise GatewayAnswerError(gateway.MISSING_ROUTE, path) from exc


class GatewayRequestHandler(ChaliceRequestHandler):
    """Chalice's local HTTP handler, answering a method API Gateway has no method for (TRACE,
    CONNECT, a made-up verb) with the gateway's "no such route" problem+json, as the deployed
    API does, where Python's http.server answers an HTML 501."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_IMPLEMENTED:  # malformed requests keep http.server's answer
            super().send_error(code, message, explain)
            return
        length = self.headers.get("content-length") if self.headers else None
        if length and length.isdigit() and 0 < int(length) <= 1024 * 1024:
            self.rfile.read(int(length))  # leave the connection clean for the next request
        self._send_error_response(GatewayAnswerError(gateway.MISSING_ROUTE, str(self.path)))


def serve_like_the_gateway(server: LocalDevServer, app_object: Any, config: Any) -> None:
    """Make a local server's requests go through ``GatewayRequestHandler``."""
    handler = functools.partial(GatewayRequestHandler, app_object=app_object, config=config)
    server.server.RequestHandlerClass = handler


def install() -> None:
    """Make ``chalice local`` and ``chalice.test.Client`` use the emulated gateway."""
    chalice.local.LocalGateway = EmulatedGateway  # type: ignore[misc,unused-ignore]
    chalice.test.LocalGateway = EmulatedGateway  # type: ignore[attr-defined]
