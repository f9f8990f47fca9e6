"""What API Gateway answers by itself, before the app runs, as problem+json like the app.

Deployed, these are the API's gateway responses (``infra/``: AWS::ApiGateway::GatewayResponse,
body templates rendered from here). Locally, ``devtools.gateway`` gives Chalice's local gateway
the same answers, since it has no gateway responses of its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from chalicelib.api.problems import (
    PROBLEM_JSON,
    HttpError,
    PayloadTooLarge,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
    problem_body,
)

# The authorizer's denial carries why (api/auth.py: code and detail in its context).
_AUTHORIZER_FIELDS = ("code", "detail")


@dataclass(frozen=True)
class GatewayAnswer:
    response_type: str  # API Gateway's name for the situation
    error: HttpError
    from_authorizer: bool = False  # code and detail come from the authorizer's denial
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def all_headers(self) -> dict[str, str]:
        return {"Content-Type": PROBLEM_JSON, **self.headers}


UNAUTHORIZED = GatewayAnswer(
    "UNAUTHORIZED",
    Unauthorized("缺少 Authorization: Bearer 令牌"),
    headers={"WWW-Authenticate": "Bearer"},
)
ACCESS_DENIED = GatewayAnswer(
    "ACCESS_DENIED",
    Unauthorized("令牌无效"),
    from_authorizer=True,
    headers={"WWW-Authenticate": "Bearer"},
)
MISSING_ROUTE = GatewayAnswer(
    "MISSING_AUTHENTICATION_TOKEN",
    HttpError("没有这个接口：请对照 /openapi.json 检查地址和方法", status=404),
)
ANSWERS = (
    UNAUTHORIZED,
    ACCESS_DENIED,
    MISSING_ROUTE,
    GatewayAnswer(
        "THROTTLED", TooManyRequests("请求过于频繁，请稍后重试"), headers={"Retry-After": "1"}
    ),
    GatewayAnswer("REQUEST_TOO_LARGE", PayloadTooLarge("请求体超过网关允许的大小")),
    GatewayAnswer(
        "DEFAULT_5XX",
        ServiceUnavailable("服务暂时不可用，请稍后重试"),
        headers={"Retry-After": "1"},
    ),
)


def body(
    answer: GatewayAnswer, authorizer: Mapping[str, str] | None = None, instance: str = ""
) -> str:
    """The body, for the local gateway (with the denial's context and the path) or, without
    them, as API Gateway's template (``$context.*`` filled in by API Gateway)."""
    error = answer.error
    if answer.from_authorizer:
        values = {
            name: (authorizer or {}).get(name) or f"$context.authorizer.{name}"
            for name in _AUTHORIZER_FIELDS
        }
        error = HttpError(values["detail"], code=values["code"], status=error.status)
    return json.dumps(problem_body(error, instance or "$context.path"), ensure_ascii=False)
