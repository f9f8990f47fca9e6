"""The OpenAPI 3.1 document, generated from the declared operations and their pydantic models.

Built on first request, never at import (cold start)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.api.framework import OPERATIONS, Operation
from chalicelib.api.schemas import ProblemOut
from chalicelib.errors import ERROR_CODES, PROBLEM_JSON

_REF = "#/components/schemas/{model}"
_DESCRIPTION = (
    "一表申请、一网办理：营业执照信息核验、纳税人信息确认、就业创业证申领、"
    "灵活就业人员养老保险登记、创业补贴申领。"
)
_ERROR_TEXT = {
    400: "请求格式错误",
    401: "未登录或令牌无效",
    403: "无权执行此操作",
    404: "未找到",
    409: "与当前状态冲突",
    413: "请求体过大",
    422: "申请信息有误（逐项列出）",
    503: "服务繁忙，请稍后重试",
}


def _models(ops: Iterable[Operation]) -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {"ProblemOut": ProblemOut}
    for op in ops:
        for model in [op.body, *op.responses.values()]:
            if model is not None:
                found[model.__name__] = model
    return list(found.values())


def _parameters(op: Operation) -> list[dict[str, Any]]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", op.path)
    ]
    for name, q in op.query.items():
        schema: dict[str, Any] = {"type": "string"}
        if q.enum:
            schema["enum"] = list(q.enum)
        if q.default is not None:
            schema["default"] = q.default
        params.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": q.description,
                "schema": schema,
            }
        )
    params += [
        {
            "name": name,
            "in": "header",
            "required": False,
            "description": text,
            "schema": {"type": "string", "maxLength": 128},
        }
        for name, text in op.headers.items()
    ]
    return params


def _operation(op: Operation) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "operationId": op.name,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": _parameters(op),
    }
    doc["security"] = [{"bearer": []}] if op.roles is not None else []
    if op.roles is not None:
        doc["description"] = "所需角色：" + ", ".join(sorted(op.roles))
    if op.body is not None:
        doc["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": _REF.format(model=op.body.__name__)}}
            },
        }
    responses: dict[str, Any] = {
        str(status): {
            "description": "成功",
            "content": {
                "application/json": {"schema": {"$ref": _REF.format(model=model.__name__)}}
            },
        }
        for status, model in op.responses.items()
    }
    for status in op.errors:
        responses[str(status)] = {
            "description": _ERROR_TEXT.get(status, "错误"),
            "content": {PROBLEM_JSON: {"schema": {"$ref": _REF.format(model="ProblemOut")}}},
        }
    doc["responses"] = responses
    return doc


@cache
def document() -> dict[str, Any]:
    _, schema = models_json_schema(
        [(m, "validation") for m in _models(OPERATIONS)], ref_template=_REF
    )
    components = schema.get("$defs", {})
    components["ProblemOut"]["properties"]["code"]["description"] = "稳定的错误代码：" + ", ".join(
        ERROR_CODES
    )
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "洛阳市个人创业“一件事”联办服务 API",
            "version": "1.0.0",
            "description": _DESCRIPTION,
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }
