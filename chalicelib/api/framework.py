"""One way to declare a route: its roles, body, responses and query parameters.

The declaration drives everything around the view: authentication and role checks, body
parsing and validation (every problem at once), rendering, and the OpenAPI document. Views
receive a ``Call`` and return a ``Reply``; they never parse, check tokens or catch errors.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as AwsConnectionError
from chalice.app import Request, Response
from pydantic import BaseModel, ValidationError

from chalicelib.api.auth import from_context
from chalicelib.api.modules import ROUTE_MODULES
from chalicelib.api.problems import (
    RETRY_SOON,
    BadRequest,
    HttpError,
    PayloadTooLarge,
    ServiceUnavailable,
    problem_of,
    problem_response,
)
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.problems import Problem
from chalicelib.errors import TransientStoreError

log = logging.getLogger(__name__)
# The body's rules beyond its shape, on the raw JSON, knowing the caller (None: public).
BodyRules = Callable[[Mapping[str, Any], Principal | None], list[Problem]]
_THROTTLED = frozenset(
    {
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "TransactionConflictException",
        "InternalServerError",
        "ServiceUnavailable",
    }
)


@dataclass(frozen=True)
class QueryParam:
    description: str
    enum: tuple[str, ...] = ()
    default: str | None = None


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    summary: str
    tag: str
    roles: frozenset[Role] | None  # None: public
    responses: Mapping[int, type[BaseModel]]
    body: type[BaseModel] | None = None
    body_rules: BodyRules | None = None
    query: Mapping[str, QueryParam] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    errors: tuple[int, ...] = ()


@dataclass(frozen=True)
class Call:
    request: Request
    principal: Principal | None
    body: Any

    @property
    def who(self) -> Principal:
        assert self.principal is not None  # noqa: S101 - only public routes have none  # nosec B101
        return self.principal

    def query(self, name: str, default: str | None = None) -> str | None:
        params: Mapping[str, Any] = self.request.query_params or {}
        value = params.get(name)
        return default if value is None else str(value)

    def header(self, name: str) -> str | None:
        return self.request.headers.get(name.lower())


@dataclass(frozen=True)
class Reply:
    status: int
    body: BaseModel | Mapping[str, Any] | str
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


NO_STORE = "no-store"
OPERATIONS: list[Operation] = []
HANDLERS: dict[str, tuple[Operation, Callable[..., Reply]]] = {}

_PYDANTIC_CODES = {
    "missing": ("required", "此项必填"),
    "extra_forbidden": ("unknown_field", "不支持的字段"),
    "literal_error": ("invalid_choice", "取值不在允许范围内"),
    "string_too_short": ("too_short", "不能为空"),
    "string_too_long": ("too_long", "内容过长"),
    "too_short": ("too_short", "至少需要一项"),
    "too_long": ("too_long", "数量超出上限"),
}


def problems_of(error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors():
        path = ".".join(str(part) for part in detail["loc"]) or "body"
        code, message = _PYDANTIC_CODES.get(detail["type"], ("invalid_type", "类型或格式不正确"))
        problems.append(Problem(path, code, message))
    return problems


def _merge(first: Sequence[Problem], second: Sequence[Problem]) -> list[Problem]:
    """Shape problems first; a rule's problem on a field already reported adds nothing."""
    seen = {p.field for p in first}
    return [
        *first,
        *(p for p in second if p.field not in seen and p.field.split(".")[0] not in seen),
    ]


# Limits on a JSON body, checked before it is parsed: no form of ours comes near them.
MAX_BODY_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 16
MAX_JSON_ITEMS = 5000  # values in arrays and objects, all levels together
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_STRUCTURE = re.compile(r"[^\[\]{},]++")


def _check_size(raw_body: bytes | str) -> None:
    size = len(raw_body.encode("utf-8")) if isinstance(raw_body, str) else len(raw_body)
    if size > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"请求体不能超过 {MAX_BODY_BYTES // (1024 * 1024)} MB")


def _check_structure(text: str) -> None:
    """Refuse JSON nested or repeated beyond sane limits without parsing it: strings are
    blanked out, then brackets give the depth and commas (plus one a container) the items."""
    structure = _NOT_STRUCTURE.sub("", _JSON_STRING.sub("", text))
    brackets = structure.replace(",", "")
    depth = 0
    for char in brackets:
        depth += 1 if char in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise BadRequest(f"JSON 嵌套不能超过 {MAX_JSON_DEPTH} 层", code="json_too_deep")
    if len(structure) - len(brackets) + len(brackets) // 2 > MAX_JSON_ITEMS:
        raise BadRequest(f"JSON 中的数据项不能超过 {MAX_JSON_ITEMS} 个", code="json_too_many_items")


def parse_body(op: Operation, request: Request, who: Principal | None = None) -> Any:
    if op.body is None:
        return None
    raw_body = request.raw_body or b""
    _check_size(raw_body)
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise BadRequest(
            "请求体须为 JSON（Content-Type: application/json）", code="unsupported_media_type"
        )
    text = raw_body.decode("utf-8", errors="replace") if isinstance(raw_body, bytes) else raw_body
    _check_structure(text)
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise BadRequest("请求体不是合法的 JSON", code="malformed_json") from exc
    # A RootModel body (a list) is known by pydantic's own marker: importing RootModel here
    # would build its generic class on every cold start (~12 ms) for a route that has none.
    listed = getattr(op.body, "__pydantic_root_model__", False)
    if not isinstance(raw, list if listed else dict):
        raise BadRequest("请求体须为 JSON 对象（或接口所述的数组）", code="malformed_json")
    try:
        model = op.body.model_validate_json(text, strict=True)
        shape: list[Problem] = []
    except ValidationError as exc:
        model, shape = None, problems_of(exc)
    rules = op.body_rules(raw, who) if op.body_rules and isinstance(raw, dict) else []
    problems = _merge(shape, rules)
    if problems:
        raise HttpError(problems=problems, status=422)
    return model


def _authorize(op: Operation, request: Request) -> Principal | None:
    """The authorizer verified the token; the route checks the role it declares."""
    if op.roles is None:
        return None
    principal = from_context((request.context or {}).get("authorizer"))
    if principal.role not in op.roles:
        raise HttpError(f"该操作需要以下角色之一：{', '.join(sorted(op.roles))}", status=403)
    return principal


def render(reply: Reply) -> Response:
    body = reply.body
    if isinstance(body, BaseModel):
        text = body.model_dump_json(exclude_none=False)
    elif isinstance(body, str):
        text = body
    else:
        text = json.dumps(body, ensure_ascii=False)
    headers: dict[str, str | list[str]] = {"Content-Type": reply.content_type, **reply.headers}
    return Response(body=text, status_code=reply.status, headers=headers)


def _run(
    op: Operation, view: Callable[..., Reply], request: Request, params: dict[str, str]
) -> Response:
    """The view's reply, or the problem+json of whatever stopped it (the one place errors
    become HTTP answers)."""
    instance = str((request.context or {}).get("path") or request.path)
    try:
        who = _authorize(op, request)
        call = Call(request, who, parse_body(op, request, who))
        response = render(view(call, **params))
    except Exception as exc:  # every error ends here, as an answer
        response = problem_response(_answer_for(op, exc), instance=instance)
    if op.roles is not None:
        # Every answer behind a token is the caller's own (personal data, or whether a case
        # exists for them): no browser, proxy or CDN may keep it.
        response.headers["Cache-Control"] = NO_STORE
    return response


def _answer_for(op: Operation, exc: Exception) -> HttpError:
    known = problem_of(exc)
    if isinstance(exc, TransientStoreError):  # concurrent writes kept colliding
        log.warning("write conflict", extra={"route": op.path})
    if known is not None:
        return known
    if isinstance(exc, ClientError) and _transient(exc):
        return ServiceUnavailable(headers=RETRY_SOON)
    if isinstance(exc, AwsConnectionError | HTTPClientError):
        # AWS did not answer in time, even after botocore's retries: as transient as a throttle.
        log.warning("AWS unreachable", extra={"route": op.path}, exc_info=True)
        return ServiceUnavailable(headers=RETRY_SOON)
    log.exception("unhandled error", extra={"route": op.path})
    return HttpError()


def _transient(exc: ClientError) -> bool:
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return exc.response["Error"]["Code"] in _THROTTLED or status >= 500


def operation(op: Operation) -> Callable[[Callable[..., Reply]], Callable[..., Reply]]:
    """Declare ``op`` with ``view`` behind it. Chalice routes to it through the manifest
    (``chalicelib.api.routing``), which imports the declaring module on its first request."""

    def register(view: Callable[..., Reply]) -> Callable[..., Reply]:
        if op.name in HANDLERS:
            raise ValueError(f"operation {op.name} declared twice")
        OPERATIONS.append(op)
        HANDLERS[op.name] = (op, view)
        return view

    return register


def dispatch(module: str, name: str, request: Request, params: dict[str, str]) -> Response:
    """Run the operation ``name`` declared in ``chalicelib.api.<module>`` for ``request``."""
    importlib.import_module(f"{__package__}.{module}")
    op, view = HANDLERS[name]
    return _run(op, view, request, params)


def module_of(op: Operation) -> str:
    """The route module (``chalicelib.api.<name>``) that declares ``op``."""
    return HANDLERS[op.name][1].__module__.rsplit(".", 1)[-1]


def load_all() -> list[Operation]:
    """Every declared operation, module by module in ``ROUTE_MODULES`` order, each module's in
    declaration order, however the modules happened to be imported (imports every module)."""
    for module in ROUTE_MODULES:
        importlib.import_module(f"{__package__}.{module}")
    rank = {module: index for index, module in enumerate(ROUTE_MODULES)}
    return sorted(OPERATIONS, key=lambda op: rank[module_of(op)])
