"""/openapi.json: the contract integrators build against."""

from __future__ import annotations

from pydantic import ConfigDict

from chalicelib.api.framework import Call, Operation, Reply, operation
from chalicelib.api.schemas import Out


class OpenAPIDocument(Out):
    """The OpenAPI 3.1 document itself."""

    model_config = ConfigDict(extra="allow")
    openapi: str


@operation(
    Operation(
        name="get_openapi",
        method="GET",
        path="/openapi.json",
        summary="OpenAPI 3.1 接口文档",
        tag="meta",
        roles=None,
        responses={200: OpenAPIDocument},
    ),
)
def get_openapi(call: Call) -> Reply:
    from chalicelib.api.openapi import document  # built on first request, not at import

    return Reply(200, document())
