"""The HTTP middleware: Chalice's own 405 as problem+json like every other error (the rest
become answers in ``framework._run``), and one access-log line."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from chalice.app import Request, Response

from chalicelib.api.problems import MethodNotAllowed, problem_response

log = logging.getLogger("yijianshi.access")


def guard(request: Request, get_response: Callable[[Request], Response]) -> Response:
    started = time.perf_counter()
    # The concrete path the caller asked for (request.path is the route's template).
    instance = str((request.context or {}).get("path") or request.path)
    response = get_response(request)
    if response.status_code == 405 and isinstance(response.body, dict):
        # Chalice's own answer to a method the route does not have: problem+json like the rest.
        allow = str(response.headers.get("Allow", ""))
        response = problem_response(
            MethodNotAllowed(
                f"不支持 {request.method} 方法；该地址支持：{allow}", headers={"Allow": allow}
            ),
            instance=instance,
        )
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
