"""/docs: the OpenAPI document for people, readable with no internet access.

Swagger UI's assets are served by the service itself from ``chalicelib/static/swagger-ui``
(copied unchanged from the pinned ``swagger-ui-py`` development package, which ships
Swagger UI 5 and so renders OpenAPI 3.1; tests/functional/test_docs.py checks the copy still
matches the pin). The package itself is not a runtime dependency: it weighs 25 MB with its
editor bundles and source maps, while the page needs two files (1.6 MB)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import ClassVar

from pydantic import RootModel

from chalicelib.api.framework import Call, Operation, Reply, operation
from chalicelib.errors import NotFound

SWAGGER_UI_VERSION = "5.24.2"  # the Swagger UI inside swagger-ui-py==25.7.1
STATIC_PACKAGE = "chalicelib"
STATIC_DIR = ("static", "swagger-ui")
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "docs-init.js": "text/javascript; charset=utf-8",
}
# Asset URLs carry the version, so a browser may keep them for a year.
_ASSET_CACHE = {"Cache-Control": "public, max-age=31536000, immutable"}
_PAGE_HEADERS = {
    "Cache-Control": "public, max-age=300",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
}
PAGE = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>洛阳市个人创业“一件事”联办服务 API 文档</title>
<link rel="stylesheet" href="docs/swagger-ui.css?v={SWAGGER_UI_VERSION}">
</head>
<body>
<noscript>本页需要启用 JavaScript；机器可读的接口文档见
<a href="openapi.json">openapi.json</a>。</noscript>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js?v={SWAGGER_UI_VERSION}"></script>
<script src="docs/docs-init.js?v={SWAGGER_UI_VERSION}"></script>
</body>
</html>
"""


class DocsPage(RootModel[str]):
    """接口文档页面（HTML）"""

    MEDIA_TYPES: ClassVar[tuple[str, ...]] = ("text/html",)


class DocsAsset(RootModel[str]):
    """文档页面的脚本或样式表"""

    MEDIA_TYPES: ClassVar[tuple[str, ...]] = ("text/javascript", "text/css")


@cache
def asset(name: str) -> str:
    folder = resources.files(STATIC_PACKAGE).joinpath(*STATIC_DIR)
    return folder.joinpath(name).read_text(encoding="utf-8")


@operation(
    Operation(
        name="get_docs",
        method="GET",
        path="/docs",
        summary="接口文档页面（Swagger UI，离线可用，资源由本服务提供）",
        tag="docs",
        roles=None,
        responses={200: DocsPage},
    ),
)
def get_docs(call: Call) -> Reply:
    return Reply(200, PAGE, headers=_PAGE_HEADERS, content_type="text/html; charset=utf-8")


@operation(
    Operation(
        name="get_docs_asset",
        method="GET",
        path="/docs/{asset_name}",
        summary="接口文档页面的脚本和样式表",
        tag="docs",
        roles=None,
        responses={200: DocsAsset},
        errors=(404,),
    ),
)
def get_docs_asset(call: Call, asset_name: str) -> Reply:
    content_type = ASSETS.get(asset_name)
    if content_type is None:
        raise NotFound("没有该文档资源")
    headers = {**_ASSET_CACHE, "X-Content-Type-Options": "nosniff"}
    return Reply(200, asset(asset_name), headers=headers, content_type=content_type)
