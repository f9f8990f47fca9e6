"""Every error the API can answer, and its one mapping to HTTP and application/problem+json.

Errors from below the routes (``chalicelib.errors``: the domain's, the services' and the
repository's) know nothing of HTTP; ``problem_of`` gives each its status here, once. The few
errors that only exist at the HTTP boundary (no token, a body too large, throttling) are
``HttpError``s."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from chalice.app import Response

from chalicelib.domain.problems import Problem
from chalicelib.errors import (
    DomainError,
    InvalidArgument,
    InvalidInput,
    InvalidState,
    NotFound,
    NotPermitted,
    StaleStateError,
    SubsidyAlreadyGranted,
    TransientStoreError,
    Unavailable,
)

PROBLEM_JSON = "application/problem+json"
TITLES = {
    400: "请求格式错误",
    401: "未登录或令牌无效",
    403: "无权执行此操作",
    404: "未找到该资源",
    405: "不支持该请求方法",
    409: "与当前状态冲突",
    413: "请求体过大",
    422: "申请信息有误，请按提示一次性修改",
    429: "请求过于频繁",
    500: "服务内部错误",
    503: "服务繁忙，请稍后重试",
}
_DEFAULT_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_failed",
    429: "too_many_requests",
    503: "service_unavailable",
    500: "internal_error",
}


class HttpError(Exception):
    """An answer with its status: raised at the HTTP boundary, or made by ``problem_of``."""

    status = 500

    def __init__(
        self,
        detail: str = "",
        *,
        code: str = "",
        problems: Sequence[Problem] = (),
        headers: Mapping[str, str] | None = None,
        status: int | None = None,
    ) -> None:
        self.status = status or self.status
        self.detail = detail or TITLES[self.status]
        self.code = code or _DEFAULT_CODES[self.status]
        self.problems = list(problems)
        self.headers = dict(headers or {})
        super().__init__(self.detail)

    @property
    def title(self) -> str:
        return TITLES[self.status]


class BadRequest(HttpError):
    status = 400


class Unauthorized(HttpError):
    status = 401


class MethodNotAllowed(HttpError):
    status = 405


class PayloadTooLarge(HttpError):
    status = 413


class TooManyRequests(HttpError):
    status = 429


class ServiceUnavailable(HttpError):
    status = 503


RETRY_SOON = {"Retry-After": "1"}
# Domain errors by kind; the most specific class listed first wins.
_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (InvalidArgument, 400),
    (NotPermitted, 403),
    (NotFound, 404),
    (InvalidState, 409),
    (InvalidInput, 422),
)
# What a repository refusal means to the caller (the services let these through).
_STALE = ("该办件状态已变化，请刷新后重试", "invalid_state")
_GRANTED = ("申请人已享受过一次性开业补贴，不能重复发放", "subsidy.already_granted")


def problem_of(error: Exception) -> HttpError | None:
    """The answer for an error raised below the routes; ``None``: not ours to explain (500)."""
    if isinstance(error, HttpError):
        return error
    if isinstance(error, Unavailable):
        return ServiceUnavailable(error.detail, code=error.code, headers={"Retry-After": "5"})
    if isinstance(error, DomainError):
        status = next(s for kind, s in _STATUS if isinstance(error, kind))
        return HttpError(error.detail, code=error.code, problems=error.problems, status=status)
    if isinstance(error, SubsidyAlreadyGranted):
        return HttpError(_GRANTED[0], code=_GRANTED[1], status=409)
    if isinstance(error, StaleStateError):
        return HttpError(_STALE[0], code=_STALE[1], status=409)
    if isinstance(error, TransientStoreError):  # concurrent writes kept colliding: try again
        return ServiceUnavailable(headers=RETRY_SOON)
    return None


def problem_body(error: HttpError, instance: str = "") -> dict[str, object]:
    body: dict[str, object] = {
        "type": f"https://yijianshi.luoyang.example/problems/{error.code}",
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "code": error.code,
        "errors": [
            {"field": p.field, "code": p.code, "message": p.message} for p in error.problems
        ],
    }
    if instance:
        body["instance"] = instance
    return body


def problem_response(error: HttpError, instance: str = "") -> Response:
    return Response(
        body=json.dumps(problem_body(error, instance), ensure_ascii=False),
        status_code=error.status,
        headers={"Content-Type": PROBLEM_JSON, **error.headers},
    )


# Stable machine codes of the error responses themselves (field problems carry their own).
ERROR_CODES = (
    *_DEFAULT_CODES.values(),
    "idempotency_key_reused",
    "malformed_json",
    "json_too_deep",
    "json_too_many_items",
    "unsupported_media_type",
    "token_expired",
    "token.subject_invalid",
    "token.lifetime_too_long",
    "invalid_state",
    "cursor.invalid",
    "limit.invalid",
    # Refusals specific enough for a client to act on (403 / 409 / 422).
    "applicant.not_self",
    "county.mismatch",
    "department.mismatch",
    "rating.already_given",
    "subsidy.already_granted",
    "subsidy.too_early",
    "department.unavailable",
    "takeover.retry_only",
    "sms_receipts.token_invalid",
    "calendar.year_exists",
    "at.future",
)
