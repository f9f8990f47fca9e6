"""The service's HTTP API as the operators' tool calls it: JSON in and out, an admin token,
problem+json errors turned into ``ApiError`` (status, code and the problem's title only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

TIMEOUT_S = 120.0


class ApiError(Exception):
    def __init__(self, status: int, code: str, title: str) -> None:
        super().__init__(f"HTTP {status} {code}: {title}")
        self.status, self.code, self.title = status, code, title


class Api:
    """``token`` is a callable so a token is read (or minted) only when a call needs it."""

    def __init__(self, base_url: str, token: Callable[[], str]) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the API's URL must be http:// or https://")
        self.base_url = base_url.rstrip("/")
        self._token = token

    def get(self, path: str, query: Mapping[str, str] | None = None) -> Any:
        return self.call("GET", path, query)

    def post(self, path: str, query: Mapping[str, str] | None = None, body: Any = None) -> Any:
        return self.call("POST", path, query, body)

    def put(self, path: str, body: Any) -> Any:
        return self.call("PUT", path, None, body)

    def call(
        self, method: str, path: str, query: Mapping[str, str] | None = None, body: Any = None
    ) -> Any:
        url = self.base_url + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v})
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Authorization": f"Bearer {self._token()}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        # The scheme is checked in __init__: http(s) only, never file: or a custom one.
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310  # nosec B310
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            raise _problem(error) from error
        return json.loads(text) if text else None


def _problem(error: urllib.error.HTTPError) -> ApiError:
    try:
        problem = json.loads(error.read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        problem = {}
    if not isinstance(problem, dict):
        problem = {}
    # Title and code only: a problem's detail may quote what the caller sent.
    return ApiError(error.code, str(problem.get("code", "")), str(problem.get("title", "")))
