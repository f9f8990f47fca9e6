"""The HTTP middleware: errors to problem+json in one place, and one access-log line."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from chalice.app import Request, Response

from chalicelib.errors import AppError, problem_response

log = logging.getLogger("yijianshi.access")


def guard(request: Request, get_response: Callable[[Request], Response]) -> Response:
    started = time.perf_counter()
    try:
        response = get_response(request)
    except AppError as error:
        response = problem_response(error, instance=request.path)
    context = request.context or {}
    log.info(
        "request",
        extra={
            "route": context.get("resourcePath", request.path),
            "method": request.method,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "request_id": context.get("requestId"),
        },
    )
    return response
