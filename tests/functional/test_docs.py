"""/docs: the human-readable contract, served entirely by the service (no CDN)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

from chalicelib.api import docs

PROJECT = Path(__file__).resolve().parents[2]
VENDORED = PROJECT / "chalicelib" / "static" / "swagger-ui"


def test_the_page_is_html_and_loads_only_the_services_own_assets(client: Any) -> None:
    page = client.http.get("/docs")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "public" in page.headers["Cache-Control"]
    html = page.body.decode("utf-8")
    assert "http://" not in html and "https://" not in html
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assets = [link for link in links if link.startswith("docs/")]
    assert {a.split("?")[0] for a in assets} == {f"docs/{name}" for name in docs.ASSETS}
    for link in assets:
        name = link.split("?")[0].removeprefix("docs/")
        response = client.http.get(f"/docs/{name}")
        assert response.status_code == 200, name
        assert response.headers["Content-Type"] == docs.ASSETS[name]
        assert response.headers["Cache-Control"].startswith("public, max-age=")
        assert response.body == (VENDORED / name).read_bytes()


def test_the_page_reads_the_services_own_document(client: Any) -> None:
    init = client.http.get("/docs/docs-init.js").body.decode("utf-8")
    assert 'url: "openapi.json"' in init
    assert "validatorUrl: null" in init  # the validator badge would call out to the internet


def test_an_unknown_asset_is_a_problem_json_404(client: Any) -> None:
    response = client.http.get("/docs/..%2Fsettings.py")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


def test_the_vendored_assets_are_the_pinned_packages(client: Any) -> None:
    """chalicelib/static/swagger-ui is swagger-ui-py==25.7.1's copy, unchanged (see docs.py)."""
    spec = importlib.util.find_spec("swagger_ui")  # found, not imported (it pulls in jinja2)
    assert spec is not None and spec.submodule_search_locations, (
        "pip install -r requirements-dev.txt"
    )
    static = Path(next(iter(spec.submodule_search_locations))) / "static"
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"):
        assert (VENDORED / name).read_bytes() == (static / name).read_bytes(), name
    assert docs.SWAGGER_UI_VERSION in (VENDORED / "swagger-ui-bundle.js").read_text("utf-8")
