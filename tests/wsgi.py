"""A WSGI face on Chalice's own local gateway (the one `chalice local` and the test client
use), so that WSGI tools (Schemathesis, httpx) can call the app in-process: no HTTP server, no
sockets, moto in memory. The request reaches the app exactly as Chalice's local server would
hand it over: raw path with its query string, headers, body bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from chalice.test import Client

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _raw_target(environ: dict[str, Any]) -> str:
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return str(raw)
    # PATH_INFO is percent-decoded and latin-1 "dressed": undo both, as the wire had it.
    path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe="/:@!$&'()*+,;=-._~")
    query = environ.get("QUERY_STRING")
    return f"{path}?{query}" if query else path


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = str(environ[key])
    return headers


def wsgi_app(client: Client) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        response = client.http.request(
            environ["REQUEST_METHOD"], _raw_target(environ), headers=_headers(environ), body=body
        )
        try:
            reason = HTTPStatus(response.status_code).phrase
        except ValueError:
            reason = "Unknown"
        headers = [(name, str(value)) for name, value in response.headers.items()]
        start_response(f"{response.status_code} {reason}", headers)
        content = response.body
        return [content if isinstance(content, bytes) else str(content).encode("utf-8")]

    return app
