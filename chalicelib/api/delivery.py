"""/v1/applications/{id}/delivery: 统一出件 by mail or pickup."""

from __future__ import annotations

from pydantic import Field

from chalicelib import deps
from chalicelib.api import views
from chalicelib.api.framework import Call, Operation, Reply, operation
from chalicelib.api.schemas import In, Out
from chalicelib.domain.access import Role
from chalicelib.services import delivery
from chalicelib.store.records import DeliveryRecord


class DeliveryOut(Out):
    application_id: str
    method: str = Field(description="mail 邮寄 / pickup 自取")
    status: str = Field(
        description="awaiting_dispatch / dispatched / ready_for_pickup / handed_over"
    )
    certificates: list[str] = Field(description="随件证照编号")
    address: str | None = None
    recipient: str | None = None
    phone: str | None = None
    service_center: str | None = None
    pickup_code: str | None = Field(default=None, description="取件码（仅申请人可见）")
    courier: str | None = None
    tracking_number: str | None = None


class DispatchIn(In):
    courier: str = Field(min_length=1, max_length=50, description="快递公司")
    tracking_number: str = Field(min_length=1, max_length=50, description="运单号")


class HandoverIn(In):
    # The code is six ASCII digits (services.delivery makes it so); nothing else can match.
    pickup_code: str = Field(pattern=r"^[0-9]{6}$", description="申请人出示的取件码（6 位数字）")


def _out(record: DeliveryRecord, show_code: bool) -> DeliveryOut:
    data = record.model_dump(include=set(DeliveryOut.model_fields) - {"application_id"})
    if not show_code:
        data["pickup_code"] = None
    return DeliveryOut(application_id=record.case_id, **data)


@operation(
    Operation(
        name="get_delivery",
        method="GET",
        path="/v1/applications/{application_id}/delivery",
        summary="出件信息：邮寄的快递单号，或自取的服务中心与取件码",
        tag="delivery",
        roles=frozenset(Role),
        responses={200: DeliveryOut},
        errors=(401, 404),
    ),
)
def get_delivery(call: Call, application_id: str) -> Reply:
    purpose = views.purpose(call, "get_delivery")
    record = delivery.read_delivery(deps.services(), call.who, application_id, purpose)
    return Reply(200, _out(record, call.who.role is Role.APPLICANT))


@operation(
    Operation(
        name="dispatch_delivery",
        method="POST",
        path="/v1/applications/{application_id}/delivery/dispatch",
        summary="登记寄出：快递公司与运单号（部门工作人员）",
        tag="delivery",
        roles=frozenset({Role.OFFICER}),
        body=DispatchIn,
        responses={200: DeliveryOut},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def dispatch_delivery(call: Call, application_id: str) -> Reply:
    body: DispatchIn = call.body
    purpose = views.purpose(call, "dispatch_delivery")
    record = delivery.dispatch(
        deps.services(), call.who, application_id, body.courier, body.tracking_number, purpose
    )
    return Reply(200, _out(record, False))


@operation(
    Operation(
        name="hand_over_delivery",
        method="POST",
        path="/v1/applications/{application_id}/delivery/handover",
        summary="确认领取：核对取件码后当面交付（本县区窗口人员）",
        tag="delivery",
        roles=frozenset({Role.CLERK}),
        body=HandoverIn,
        responses={200: DeliveryOut},
        errors=(400, 401, 403, 404, 409, 422),
    ),
)
def hand_over_delivery(call: Call, application_id: str) -> Reply:
    body: HandoverIn = call.body
    record = delivery.hand_over(deps.services(), call.who, application_id, body.pickup_code)
    return Reply(200, _out(record, False))
