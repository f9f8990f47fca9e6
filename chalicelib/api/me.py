"""/v1/me: the caller's own cases (我的办件) and certificates (我的证照)."""

from __future__ import annotations

from chalicelib import deps
from chalicelib.api import schemas, views
from chalicelib.api.framework import Call, Operation, Reply, operation
from chalicelib.api.schemas import Out
from chalicelib.domain.access import Role
from chalicelib.services import read


@operation(
    Operation(
        name="list_my_applications",
        method="GET",
        path="/v1/me/applications",
        summary="我的办件：本人的办件（窗口人员：本人受理的办件），最新的在前",
        tag="me",
        roles=frozenset({Role.APPLICANT, Role.CLERK}),
        responses={200: schemas.CaseList},
        errors=(401, 403),
    ),
)
def list_my_applications(call: Call) -> Reply:
    cases = read.my_cases(deps.services(), call.who)
    return Reply(200, schemas.CaseList(applications=[views.case_summary(c) for c in cases]))


@operation(
    Operation(
        name="list_my_certificates",
        method="GET",
        path="/v1/me/certificates",
        summary="我的证照：本人的证照（核验通过的营业执照、就业创业证、养老保险参保登记）",
        tag="me",
        roles=frozenset({Role.APPLICANT}),
        responses={200: schemas.CertificateList},
        errors=(401, 403),
    ),
)
def list_my_certificates(call: Call) -> Reply:
    certs = read.my_certificates(deps.services(), call.who)
    return Reply(200, schemas.CertificateList(certificates=[views.certificate(c) for c in certs]))


@operation(
    Operation(
        name="list_my_notifications",
        method="GET",
        path="/v1/me/notifications",
        summary="我的消息：办件进度、补贴申领提醒等通知，最新的在前",
        tag="me",
        roles=frozenset({Role.APPLICANT}),
        responses={200: schemas.NotificationList},
        errors=(401, 403),
    ),
)
def list_my_notifications(call: Call) -> Reply:
    notes = read.my_notifications(deps.services(), call.who)
    return Reply(
        200, schemas.NotificationList(notifications=[views.notification(n) for n in notes])
    )


class NotificationRead(Out):
    id: str
    read: bool


@operation(
    Operation(
        name="mark_notification_read",
        method="POST",
        path="/v1/me/notifications/{notification_id}/read",
        summary="将一条消息标记为已读",
        tag="me",
        roles=frozenset({Role.APPLICANT}),
        responses={200: NotificationRead},
        errors=(401, 403, 404),
    ),
)
def mark_notification_read(call: Call, notification_id: str) -> Reply:
    read.mark_my_notification_read(deps.services(), call.who, notification_id)
    return Reply(200, NotificationRead(id=notification_id, read=True))
