"""/v1/applications/{id}: read a joint case, claim its subsidy (submission: ``api.submission``)."""

from __future__ import annotations

from chalicelib import deps
from chalicelib.api import schemas, views
from chalicelib.api.framework import Call, Operation, Reply, operation
from chalicelib.domain.access import Role
from chalicelib.services import read


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
