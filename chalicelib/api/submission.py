"""POST /v1/applications: submit a joint case. A module of its own, importing the form's models
alone: a cold function's first submission does not load every response model of the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib import deps
from chalicelib.api.accepted import Accepted, Links
from chalicelib.api.form import ApplicationIn
from chalicelib.api.framework import Call, Operation, Reply, operation
from chalicelib.api.problems import BadRequest
from chalicelib.domain import calendar
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.application import FormContext, application_problems
from chalicelib.domain.problems import Problem
from chalicelib.domain.window import channel_problems
from chalicelib.services import submit

IDEMPOTENCY_KEY_MAX = 128


def form_rules(raw: Mapping[str, Any], who: Principal | None) -> list[Problem]:
    """The form's rules, and what the caller's channel asks of it: a clerk's form is a window
    case's (its signature, the answer on shared data), an applicant's their own."""
    svc = deps.services()
    ctx = FormContext(
        today=calendar.local_date(svc.clock()),
        pension_base_min=svc.settings.pension_base_min,
        pension_base_max=svc.settings.pension_base_max,
    )
    window = who is not None and who.role is Role.CLERK
    return application_problems(raw, ctx) + channel_problems(raw, window=window)


def _idempotency_key(call: Call) -> str | None:
    key = call.header("Idempotency-Key")
    if key is not None and not (
        0 < len(key) <= IDEMPOTENCY_KEY_MAX and key.isascii() and key.isprintable()
    ):
        raise BadRequest("Idempotency-Key 须为 1 至 128 个可打印 ASCII 字符", code="bad_request")
    return key


@operation(
    Operation(
        name="submit_application",
        method="POST",
        path="/v1/applications",
        summary="提交个人创业“一件事”联办申请（申请人本人或综合受理窗口代办）",
        tag="applications",
        roles=frozenset({Role.APPLICANT, Role.CLERK}),
        body=ApplicationIn,
        body_rules=form_rules,
        responses={202: Accepted},
        headers={"Idempotency-Key": "幂等键：同一键同一请求体返回同一办件，不同请求体返回 409"},
        errors=(400, 401, 403, 409, 422, 503),
    ),
)
def submit_application(call: Call) -> Reply:
    form = call.body.model_dump(mode="json")
    accepted = submit.submit(deps.services(), call.who, form, _idempotency_key(call))
    link = f"/v1/applications/{accepted.case_id}"
    body = Accepted(id=accepted.case_id, status=accepted.status, links=Links(self=link))
    return Reply(202, body, headers={"Location": link})
