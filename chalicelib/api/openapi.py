"""The OpenAPI 3.1 document, generated from the declared operations and their pydantic models.

Built on first request, never at import (cold start). Every operation documents its path
parameters, headers, body, each status it can answer (errors as problem+json) and a worked
example for the body and every response (``chalicelib.api.examples``)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.api import examples, framework
from chalicelib.api.examples_window import VARIANTS
from chalicelib.api.framework import Operation
from chalicelib.api.openapi_text import ERROR_TEXT, FIELD_TEXT, TAGS
from chalicelib.api.problems import ERROR_CODES, PROBLEM_JSON
from chalicelib.api.schemas import ProblemOut
from chalicelib.domain.access import Role

_REF = "#/components/schemas/{model}"
_DESCRIPTION = (
    "一表申请、一网办理：营业执照信息核验、纳税人信息确认、就业创业证申领、"
    "灵活就业人员养老保险登记、创业补贴申领。\n\n"
    "除公开接口外，请求须携带 `Authorization: Bearer <JWT>`"
    "（生产环境 RS256，按 JWKS 的 `kid` 验签，校验 `iss`、`aud`、`exp`；本地环境 HS256；"
    "`sub` 为证件号码或工号，"
    "`role` 为 applicant / clerk / officer / admin；部门人员另有 `department`、`county`）。"
    "所有错误均以 `application/problem+json` 返回，`code` 为稳定的错误代码，"
    "`errors[]` 逐项列出字段问题（一次告知）。"
)
# Operations that never reach AWS cannot be throttled.
_NO_AWS_TAGS = frozenset({"guide", "meta", "docs"})
# Headers carried by some responses.
_RETRY_AFTER = {
    "Retry-After": {"description": "建议的重试间隔（秒）", "schema": {"type": "string"}}
}
_LOCATION = {"Location": {"description": "新办件的地址", "schema": {"type": "string"}}}
_NO_STORE = {
    "Cache-Control": {
        "description": "no-store：含个人数据或调用者专属的应答，任何缓存不得保存",
        "schema": {"type": "string", "const": "no-store"},
    }
}


def _models(ops: Iterable[Operation]) -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {"ProblemOut": ProblemOut}
    for op in ops:
        for model in [op.body, *op.responses.values()]:
            if model is not None:
                found[model.__name__] = model
    return list(found.values())


def example_of(model: type[BaseModel]) -> Any:
    """The worked example of a body; the live data for the guide and the hotline Q&A."""
    name = model.__name__
    if name in examples.EXAMPLES:
        return examples.EXAMPLES[name]
    loader = getattr(sys.modules[model.__module__], f"load_{name.lower()}", None)
    if callable(loader):
        return loader().model_dump(mode="json", by_alias=True)
    return None


def _path_parameter(name: str) -> dict[str, Any]:
    known = examples.PATH_PARAMETERS.get(name, {})
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": known.get("description", name),
        "schema": known.get("schema", {"type": "string"}),
        **({"example": known["example"]} if "example" in known else {}),
    }


def _parameters(op: Operation) -> list[dict[str, Any]]:
    params = [_path_parameter(name) for name in re.findall(r"{(\w+)}", op.path)]
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
            "schema": {"type": "string", "minLength": 1, "maxLength": 128},
            "example": "c0ffee00-2026-1127-0001-" + "410302000001",
        }
        for name, text in op.headers.items()
    ]
    return params


def error_statuses(op: Operation) -> list[int]:
    """What the gateway and the framework can answer for ``op``, plus what the view declares.
    API Gateway's stage throttling answers any route 429 before the app runs."""
    found = set(op.errors) | {429, 500}
    if op.roles is not None:
        found.add(401)
        if op.roles != frozenset(Role):
            found.add(403)
    if op.body is not None:
        found |= {400, 413, 422}  # 413: over framework.MAX_BODY_BYTES
    if op.tag not in _NO_AWS_TAGS:
        found.add(503)
    return sorted(found)


def _content(media: str | Iterable[str], schema_ref: str, example: Any) -> dict[str, Any]:
    content: dict[str, Any] = {"schema": {"$ref": _REF.format(model=schema_ref)}}
    if example is not None:
        content["examples"] = {"demo": {"summary": "示例", "value": example}}
        for name, (summary, value) in VARIANTS.get(schema_ref, {}).items():
            content["examples"][name] = {"summary": summary, "value": value}
    return {m: content for m in ([media] if isinstance(media, str) else media)}


def _media_types(model: type[BaseModel]) -> tuple[str, ...]:
    """JSON unless the model says otherwise (``MEDIA_TYPES``: an HTML page, a script)."""
    return tuple(getattr(model, "MEDIA_TYPES", ("application/json",)))


def _responses(op: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, model in op.responses.items():
        responses[str(status)] = {
            "description": "已受理" if status == 202 else "成功",
            "content": _content(_media_types(model), model.__name__, example_of(model)),
        }
        if status == 202:
            responses[str(status)]["headers"] = _LOCATION
    for status in error_statuses(op):
        example = dict(examples.PROBLEMS[status], instance=op.path)
        responses[str(status)] = {
            "description": ERROR_TEXT.get(status, "错误"),
            "content": _content(PROBLEM_JSON, "ProblemOut", example),
        }
        if status in (429, 503):
            responses[str(status)]["headers"] = _RETRY_AFTER
    if op.roles is not None:  # every answer behind a token (framework.NO_STORE)
        for response in responses.values():
            response["headers"] = {**response.get("headers", {}), **_NO_STORE}
    return responses


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
    else:
        doc["description"] = "公开接口，无需登录"
    if op.body is not None:
        doc["requestBody"] = {
            "required": True,
            "description": op.body.__doc__ or "请求体（JSON）",
            "content": _content("application/json", op.body.__name__, example_of(op.body)),
        }
    doc["responses"] = _responses(op)
    return doc


def _components(ops: Iterable[Operation]) -> dict[str, Any]:
    _, schema = models_json_schema([(m, "validation") for m in _models(ops)], ref_template=_REF)
    components: dict[str, Any] = schema.get("$defs", {})
    code = components["ProblemOut"]["properties"]["code"]
    code["description"] = "稳定的错误代码（取值固定，可据此分支处理）"
    code["enum"] = list(ERROR_CODES)
    field_code = components["FieldError"]["properties"]["code"]
    field_code["description"] = (
        "字段问题代码：开放的领域代码（新规则可能新增取值），如 required、unknown_field、"
        "invalid_choice、invalid_type、too_long、uscc.check_digit、id_number.check_digit、"
        "phone.format、county.unknown、not_applicable、left_school_on.future；窗口受理与受委托人：signature.required（窗口须签字确认）、"
        "data_sharing.required（窗口须记录是否授权调取共享数据）、"
        "data_sharing.id_document_required（未授权时须上传身份证件图像）、"
        "signature.signed_form_required、signature.no_agent、agent.window_only（线上不能代办）、"
        "agent.authorisation_required（须上传授权委托书）、agent.same_as_applicant"
    )
    field_code["examples"] = ["required", "uscc.check_digit", "id_number.check_digit"]
    for schema in components.values():
        for name, prop in schema.get("properties", {}).items():
            if "description" not in prop and "$ref" not in prop and name in FIELD_TEXT:
                prop["description"] = FIELD_TEXT[name]
    components["ProblemOut"]["properties"]["type"]["description"] = "错误类型 URI"
    components["ProblemOut"]["properties"]["title"]["description"] = "错误标题（中文）"
    components["ProblemOut"]["properties"]["status"]["description"] = "HTTP 状态码"
    components["ProblemOut"]["description"] = "错误（RFC 9457 application/problem+json）"
    return components


@cache
def document() -> dict[str, Any]:
    operations = framework.load_all()
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    used = sorted({op.tag for op in operations})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "洛阳市个人创业“一件事”联办服务 API",
            "version": "1.0.0",
            "description": _DESCRIPTION,
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": tag, "description": TAGS.get(tag, tag)} for tag in used],
        "paths": paths,
        "components": {
            "schemas": _components(operations),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "统一身份认证签发的 JWT（HS256）",
                }
            },
        },
    }
