"""Write ``docs/connectors.openapi.json``: the contract we need from the departments' systems
(``chalicelib.integrations.contract``) as an OpenAPI 3.1 document for the province's gateway
and the departments to build against.

    python -m devtools.connectors_doc
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.integrations import contract
from chalicelib.integrations.contract import GatewayError, Operation, Refusal

PATH = Path(__file__).resolve().parent.parent / "docs" / "connectors.openapi.json"
_REF = "#/components/schemas/{model}"
_HEADERS = {
    "X-App-Id": "调用方应用标识（网关分配）",
    "X-Timestamp": "请求时间（Unix 秒）；与网关时钟相差超过 300 秒的请求被拒绝",
    "X-Nonce": "一次性随机串；300 秒内重复出现的请求被视为重放并拒绝",
    "X-Content-SHA256": "请求体的 SHA-256（十六进制；无请求体时为空串的摘要）",
    "X-Signature": "Base64(HMAC-SHA256(密钥, METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nCONTENT_SHA256))",
}
_IDEMPOTENCY = "幂等键：每个（办件, 事项, 操作）一个；重复请求返回首次结果（POST 必填）"
_ERRORS: dict[str, tuple[str, type[BaseModel]]] = {
    "400": ("请求格式不符合约定（缺少幂等键、请求体不符合模型等）", GatewayError),
    "401": ("签名、时间戳或随机串无效（含重放）", GatewayError),
    "409": ("同一幂等键对应了不同的请求体", GatewayError),
    "429": ("请求过于频繁，稍后重试", GatewayError),
    "503": ("部门系统暂不可用（维护或故障），稍后重试", GatewayError),
}


def _content(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF.format(model=model.__name__)}}}


def _responses(op: Operation) -> dict[str, Any]:
    found: dict[str, Any] = {"200": {"description": "成功", "content": _content(op.response)}}
    if op.request is None:
        found["404"] = {"description": "未登记（licence.not_found）", "content": _content(Refusal)}
    found["422"] = {"description": "业务上不予办理：部门的原因", "content": _content(Refusal)}
    for status, (text, model) in _ERRORS.items():
        found[status] = {"description": text, "content": _content(model)}
    return found


def _operation(op: Operation) -> dict[str, Any]:
    params = [
        {
            "name": name,
            "in": "header",
            "required": True,
            "description": text,
            "schema": {"type": "string"},
        }
        for name, text in _HEADERS.items()
    ]
    params.append(
        {
            "name": contract.IDEMPOTENCY_HEADER,
            "in": "header",
            "required": op.method == "POST",
            "description": _IDEMPOTENCY,
            "schema": {"type": "string", "maxLength": 200},
        }
    )
    if "{uscc}" in op.path:
        params.append(
            {"name": "uscc", "in": "path", "required": True, "schema": {"type": "string"}}
        )
    doc: dict[str, Any] = {
        "operationId": op.name,
        "summary": op.summary,
        "tags": [op.connector],
        "parameters": params,
        "responses": _responses(op),
    }
    if op.request is not None:
        doc["requestBody"] = {"required": True, "content": _content(op.request)}
    return doc


def document() -> dict[str, Any]:
    models = {m for op in contract.OPERATIONS for m in (op.request, op.response) if m is not None}
    models |= {Refusal, GatewayError}
    ordered = sorted(models, key=lambda m: m.__name__)
    _, schema = models_json_schema([(m, "validation") for m in ordered], ref_template=_REF)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "个人创业“一件事”联办：部门系统对接契约（经省数据共享交换网关）",
            "version": "1.0.0",
            "description": (contract.__doc__ or "").strip(),
        },
        "paths": {op.path: {op.method.lower(): _operation(op)} for op in contract.OPERATIONS},
        "components": {"schemas": schema.get("$defs", {})},
    }


def render() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    PATH.parent.mkdir(parents=True, exist_ok=True)
    PATH.write_text(render(), "utf-8")
    print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
