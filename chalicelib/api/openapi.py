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
from chalicelib.api.framework import Operation
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
_ERROR_TEXT = {
    400: "请求格式错误（非 JSON、Content-Type 不是 application/json、JSON 嵌套超过 16 层或数据项"
    "超过 5000 个、参数无效等）",
    401: "未登录或令牌无效、已过期",
    403: "无权执行此操作（角色、部门或县区不符）",
    404: "未找到",
    405: "不支持该请求方法",
    409: "与当前状态冲突（或幂等键已用于另一份请求体）",
    413: "请求体过大（超过 1 MB）",
    422: "申请信息有误（errors[] 逐项列出，一次告知）",
    429: "请求过于频繁（网关限流），请按 Retry-After 稍后重试",
    500: "服务内部错误",
    503: "服务繁忙，请稍后重试（见 Retry-After）",
}
_TAGS = {
    "applications": "联办申请：提交、查询、补正、撤回、评价、首问负责",
    "delivery": "统一出件：邮寄或自取",
    "uploads": "材料上传",
    "me": "我的办件、我的证照、我的消息",
    "departments": "部门待办、审核、补正、超期预警、回访",
    "admin": "运维：定时任务、节假日数据",
    "reports": "统计报表",
    "events": "办件变更事件：对接系统按可见范围增量同步，无需逐件轮询",
    "guide": "办事指南与热线问答（公开）",
    "meta": "接口文档（公开）",
    "docs": "接口文档页面（公开，离线可用）",
}
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
# Fields the models leave undescribed, described by name (the same name means the same thing).
_FIELD_TEXT = {
    "accepted_at": "受理时间（ISO-8601，+08:00）",
    "actor": "操作人类别",
    "address": "收件地址",
    "application_id": "办件编号",
    "applications": "办件列表",
    "approved_on": "审核通过日期",
    "at": "时间（ISO-8601，+08:00）",
    "breaches": "超期事项",
    "business_name": "个体工商户名称",
    "certificates": "电子证照",
    "channel": "受理渠道：online 线上 / window 综合受理窗口",
    "code": "代码",
    "count": "数量",
    "county": "县区行政区划代码（4103xx）",
    "courier": "快递公司",
    "department": "部门代码",
    "detail": "错误说明（中文）",
    "due_date": "办结时限（洛阳本地日期）",
    "errors": "字段问题（逐项列出，一次告知）",
    "flagged_at": "发现超期的时间（ISO-8601，+08:00）",
    "follow_ups": "回访事项",
    "history": "办理过程",
    "holidays": "法定节假日（放假日）",
    "id": "编号",
    "instance": "出错的请求路径",
    "issued_on": "发证日期",
    "item": "事项代码",
    "item_status": "事项状态",
    "items": "事项",
    "job": "任务名",
    "level": "评价等级（1–5）",
    "loaded_at": "载入时间（ISO-8601，+08:00）",
    "methods": "领取方式",
    "note": "说明",
    "notice": "公示名单",
    "notifications": "消息",
    "notified": "本次发送的通知数",
    "openapi": "OpenAPI 版本",
    "phone": "收件人联系方式",
    "questions": "问答",
    "read": "是否已读",
    "reason": "原因",
    "recipient": "收件人",
    "service_center": "自取的政务服务中心",
    "since": "承接时间（ISO-8601，+08:00）",
    "skipped": "本次跳过的行数",
    "source": "依据",
    "status": "状态",
    "tasks": "待办事项",
    "title": "标题",
    "topics": "主题",
    "tracking_number": "运单号",
    "type": "类型",
    "workdays": "调休上班日",
    "year": "年份",
    "years": "已载入的年份",
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
            "description": _ERROR_TEXT.get(status, "错误"),
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
        "phone.format、county.unknown"
    )
    field_code["examples"] = ["required", "uscc.check_digit", "id_number.check_digit"]
    for schema in components.values():
        for name, prop in schema.get("properties", {}).items():
            if "description" not in prop and "$ref" not in prop and name in _FIELD_TEXT:
                prop["description"] = _FIELD_TEXT[name]
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
        "tags": [{"name": tag, "description": _TAGS.get(tag, tag)} for tag in used],
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
