"""Every error the API can answer, and its one mapping to application/problem+json."""

from __future__ import annotations

import json
from collections.abc import Sequence

from chalice.app import ChaliceUnhandledError, Response

from chalicelib.domain.problems import Problem

PROBLEM_JSON = "application/problem+json"


class AppError(ChaliceUnhandledError):
    """Raised anywhere below a route; rendered once, by the HTTP middleware."""

    status = 500
    code = "internal_error"
    title = "服务内部错误"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        problems: Sequence[Problem] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.code = code or self.code
        self.problems = list(problems)
        self.headers = headers or {}


class BadRequest(AppError):
    status, code, title = 400, "bad_request", "请求格式错误"


class Unauthorized(AppError):
    status, code, title = 401, "unauthorized", "未登录或令牌无效"


class Forbidden(AppError):
    status, code, title = 403, "forbidden", "无权执行此操作"


class NotFound(AppError):
    status, code, title = 404, "not_found", "未找到该资源"


class MethodNotAllowed(AppError):
    status, code, title = 405, "method_not_allowed", "不支持该请求方法"


class Conflict(AppError):
    status, code, title = 409, "conflict", "与当前状态冲突"


class PayloadTooLarge(AppError):
    status, code, title = 413, "payload_too_large", "请求体过大"


class ValidationFailed(AppError):
    status, code, title = 422, "validation_failed", "申请信息有误，请按提示一次性修改"


class TooManyRequests(AppError):
    status, code, title = 429, "too_many_requests", "请求过于频繁"


class ServiceUnavailable(AppError):
    status, code, title = 503, "service_unavailable", "服务繁忙，请稍后重试"


class NotFoundError(Exception):
    """Repository: the row does not exist."""


class AlreadyExistsError(Exception):
    """Repository: a conditional write found the row already there."""


class StaleStateError(Exception):
    """Repository: a conditional transition found the row in another state."""


class TransientStoreError(Exception):
    """Repository: a write kept colliding with concurrent ones (DynamoDB's TransactionConflict)
    after its retries; nothing was written and the same request may simply be sent again."""


class SubsidyAlreadyGranted(StaleStateError):
    """Repository: the person already has a start-up subsidy on record."""


# Stable machine codes of the error responses themselves (field problems carry their own).
ERROR_CODES = (
    BadRequest.code,
    Unauthorized.code,
    Forbidden.code,
    NotFound.code,
    MethodNotAllowed.code,
    Conflict.code,
    PayloadTooLarge.code,
    ValidationFailed.code,
    TooManyRequests.code,
    ServiceUnavailable.code,
    AppError.code,
    "idempotency_key_reused",
    "malformed_json",
    "json_too_deep",
    "json_too_many_items",
    "unsupported_media_type",
    "token_expired",
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
)


def problem_body(error: AppError, instance: str = "") -> dict[str, object]:
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


def problem_response(error: AppError, instance: str = "") -> Response:
    return Response(
        body=json.dumps(problem_body(error, instance), ensure_ascii=False),
        status_code=error.status,
        headers={"Content-Type": PROBLEM_JSON, **error.headers},
    )
