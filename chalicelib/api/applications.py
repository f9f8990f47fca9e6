"""/v1/applications: submit a joint case and read one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib import deps
from chalicelib.api import schemas
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
        body=schemas.ApplicationIn,
        body_rules=form_rules,
        responses={202: schemas.Accepted},
        headers={"Idempotency-Key": "幂等键：同一键同一请求体返回同一办件，不同请求体返回 409"},
        errors=(400, 401, 403, 409, 422, 503),
    ),
)
def submit_application(call: Call) -> Reply:
    form = call.body.model_dump(mode="json")
    accepted = submit.submit(deps.services(), call.who, form, _idempotency_key(call))
    link = f"/v1/applications/{accepted.case_id}"
    body = schemas.Accepted(
        id=accepted.case_id, status=accepted.status, links=schemas.Links(self=link)
    )
    return Reply(202, body, headers={"Location": link})


@operation(
    Operation(
        name="get_application",
        method="GET",
        path="/v1/applications/{application_id}",
        summary="查询一个办件的状态、各事项结果和办理过程（我的办件）",
        tag="applications",
        roles=frozenset(Role),
        responses={200: schemas.CaseView},
        errors=(401, 404),
    ),
)
def get_application(call: Call, application_id: str) -> Reply:
    from chalicelib.api import views  # the case's views: not on a cold submission's path
    from chalicelib.services import read

    purpose = views.purpose(call, "get_application")
    bundle, personal = read.case_with_personal(deps.services(), call.who, application_id, purpose)
    reviewer = call.who.department if call.who.role is Role.OFFICER else None
    return Reply(200, views.case_view(bundle, personal, reviewer))


@operation(
    Operation(
        name="claim_startup_subsidy",
        method="POST",
        path="/v1/applications/{application_id}/subsidy-claim",
        summary="申领一次性开业补贴（收到满一年提醒后，补充材料并确认收款账户）",
        tag="applications",
        roles=frozenset({Role.APPLICANT}),
        body=schemas.SubsidyClaimIn,
        responses={200: schemas.SubsidyClaimOut},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def claim_startup_subsidy(call: Call, application_id: str) -> Reply:
    from chalicelib.services import subsidy  # with the registry's adapter: not on every cold start

    body: schemas.SubsidyClaimIn = call.body
    item = subsidy.claim(
        deps.services(), call.who, application_id, body.materials, body.account_confirmed
    )
    out = schemas.SubsidyClaimOut(
        application_id=application_id, status=item.status, reason=item.result.get("reason")
    )
    return Reply(200, out)
