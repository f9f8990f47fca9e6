"""/v1/applications/{id}/…: correcting, withdrawing, rating and owning a case."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib import deps
from chalicelib.api import schemas
from chalicelib.api.framework import Call, Operation, Reply, operation
from chalicelib.api.schemas import In, Out
from chalicelib.api.submission import form_rules
from chalicelib.domain.access import Role
from chalicelib.domain.problems import Problem
from chalicelib.domain.rating import LEVELS, POOR, RatingStage
from chalicelib.errors import InvalidInput
from chalicelib.services import corrections, feedback, lifecycle


class CaseState(Out):
    id: str
    status: str = Field(description="办件状态")
    due_date: str = Field(description="办结时限（补正后重新计算）")
    links: schemas.Links


class WithdrawalIn(In):
    reason: str = Field(min_length=1, max_length=500, description="撤回原因")


class RatingIn(In):
    level: Literal[1, 2, 3, 4, 5] = Field(
        description="5 非常满意 / 4 满意 / 3 基本满意 / 2 不满意 / 1 非常不满意"
    )
    reason: str | None = Field(
        default=None, max_length=500, description="评价理由（2 分及以下必填）"
    )
    stage: RatingStage | None = Field(
        default=None,
        description="评价环节（受理及联办事项办结后各评价一次）：acceptance 受理环节（受理后即可"
        "评价，办理中亦可）/ completion 办结环节（办结后）。不填时：办件已办结（含部分办结、不予"
        "办理、撤回）为 completion，否则为 acceptance。同一环节再次评价为 409 rating.already_given",
    )


class RatingOut(Out):
    application_id: str
    stage: RatingStage = Field(description="本次评价的环节：acceptance 受理 / completion 办结")
    level: int
    label: str = Field(description="评价等级名称")
    follow_up: bool = Field(description="是否已转办理部门回访")


class OwnerIn(In):
    to: str | None = Field(
        default=None, max_length=64, description="移交给谁（工号）；不填表示本人承接"
    )
    note: str = Field(default="", max_length=500, description="说明")


class OwnerOut(Out):
    application_id: str
    owner: str = Field(description="当前负责人（工号）")
    since: str


def _state(case_id: str, status: str, due_date: str) -> CaseState:
    return CaseState(
        id=case_id,
        status=status,
        due_date=due_date,
        links=schemas.Links(self=f"/v1/applications/{case_id}"),
    )


@operation(
    Operation(
        name="submit_correction",
        method="POST",
        path="/v1/applications/{application_id}/corrections",
        summary="提交补正：按补正通知修改后的完整申请表（校验同提交），办理时限重新计算",
        tag="applications",
        roles=frozenset({Role.APPLICANT, Role.CLERK}),
        body=schemas.ApplicationIn,
        body_rules=form_rules,
        responses={200: CaseState},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def submit_correction(call: Call, application_id: str) -> Reply:
    case = corrections.resubmit(
        deps.services(), call.who, application_id, call.body.model_dump(mode="json")
    )
    return Reply(200, _state(case.id, case.status, case.due_date))


@operation(
    Operation(
        name="withdraw_application",
        method="POST",
        path="/v1/applications/{application_id}/withdrawal",
        summary="撤回申请（办结前，申请人或受理窗口）；已办结事项和已发证照继续有效",
        tag="applications",
        roles=frozenset({Role.APPLICANT, Role.CLERK}),
        body=WithdrawalIn,
        responses={200: CaseState},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def withdraw_application(call: Call, application_id: str) -> Reply:
    case = lifecycle.withdraw(deps.services(), call.who, application_id, call.body.reason)
    return Reply(200, _state(case.id, case.status, case.due_date))


@operation(
    Operation(
        name="rate_application",
        method="POST",
        path="/v1/applications/{application_id}/rating",
        summary="好差评：受理后、办结后各评价一次（stage）；2 分及以下须说明理由，并转办理部门回访",
        tag="applications",
        roles=frozenset({Role.APPLICANT}),
        body=RatingIn,
        responses={201: RatingOut},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def rate_application(call: Call, application_id: str) -> Reply:
    body: RatingIn = call.body
    if body.level <= POOR and not (body.reason or "").strip():
        raise InvalidInput(
            problems=[Problem("reason", "required", "评价为不满意或非常不满意时，请说明理由")]
        )
    given = feedback.Rating(body.level, body.reason, body.stage)
    stage = feedback.rate(deps.services(), call.who, application_id, given)
    out = RatingOut(
        application_id=application_id,
        stage=stage,
        level=body.level,
        label=LEVELS[body.level],
        follow_up=body.level <= POOR,
    )
    return Reply(201, out)


@operation(
    Operation(
        name="take_or_hand_over_application",
        method="POST",
        path="/v1/applications/{application_id}/owner",
        summary="首问负责：窗口或部门人员承接办件，或由负责人移交他人（附说明）",
        tag="applications",
        roles=frozenset({Role.CLERK, Role.OFFICER}),
        body=OwnerIn,
        responses={200: OwnerOut},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def take_or_hand_over_application(call: Call, application_id: str) -> Reply:
    body: OwnerIn = call.body
    case = lifecycle.take_or_hand_over(
        deps.services(), call.who, application_id, body.to, body.note
    )
    owner = case.owner or {}
    return Reply(
        200,
        OwnerOut(application_id=case.id, owner=owner.get("id", ""), since=owner.get("since", "")),
    )
