"""Which URL reaches which operation, without importing the operations.

Chalice needs every route at ``import app``; the route modules need pydantic, their models and
the services behind them. So routes are registered from a small manifest (``routes.json``:
name, method, path, declaring module, public or not), and the declaring module is imported
on the first request that needs it. The manifest is generated from the ``Operation``
declarations (``python -m chalicelib.api.manifest``); a test fails when it is stale.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalice.app import Chalice, ChaliceAuthorizer, Response

MANIFEST = Path(__file__).with_name("routes.json")  # beside this module in the package too


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    module: str
    public: bool


def routes() -> tuple[Route, ...]:
    # a plain read: importlib.resources costs a cold start ~5 ms (it imports tempfile, shutil)
    text = MANIFEST.read_text("utf-8")
    return tuple(Route(**entry) for entry in json.loads(text))


def _view(app: Chalice, route: Route) -> Callable[..., Response]:
    def view(**params: str) -> Response:
        from chalicelib.api.framework import dispatch  # the heavy part: on first request

        request = app.current_request
        if request is None:  # Chalice sets it before any view runs
            raise RuntimeError("no current request")
        return dispatch(route.module, route.name, request, params)

    view.__name__ = view.__qualname__ = route.name
    return view


def register(app: Chalice, authorizer: ChaliceAuthorizer) -> None:
    """Route every operation of the manifest; all but the public ones behind ``authorizer``."""
    for route in routes():
        options: dict[str, Any] = {"authorizer": authorizer} if not route.public else {}
        # Every content type reaches the view, so a wrong one gets our 400, not a bare 415.
        app.route(
            route.path, methods=[route.method], content_types=["*/*"], name=route.name, **options
        )(_view(app, route))
