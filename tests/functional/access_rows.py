"""What the access matrix sends: the eight callers, the state each row's case must be in, and
one valid request per route (real ids of the row's case, the right department in the path)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalice.test import Client

from devtools.pump import Pump
from devtools.sms_standin import LOCAL_CALLBACK_TOKEN
from tests.conftest import Clock, bearer, set_department_mode
from tests.functional.helpers import (
    HRSS_OFFICER,
    OPERATOR,
    application,
    decide,
    post,
    settle,
    submit,
    upload,
    window_application,
)
from tests.functional.jobs import notifications, run_job

OTHER_PERSON = "410311200306159021"  # operator of another business in the demo registry
COLUMNS = (
    "owner",
    "other_applicant",
    "clerk",
    "clerk_elsewhere",
    "officer",
    "officer_other_department",
    "admin",
    "anonymous",
)
CALLERS: dict[str, dict[str, str]] = {
    "owner": bearer("applicant", OPERATOR),
    "other_applicant": bearer("applicant", OTHER_PERSON),
    "clerk": bearer("clerk", "clerk-410302", county="410302"),
    "clerk_elsewhere": bearer("clerk", "clerk-410311", county="410311"),
    "officer": bearer("officer", "hrss-410302", **HRSS_OFFICER),
    "officer_other_department": bearer("officer", "tax-410302", department="tax", county="410302"),
    "admin": bearer("admin", "ops-1"),
    "anonymous": {},
}
# Not a column: the right department in another county must be refused like a stranger.
HRSS_ELSEWHERE = bearer("officer", "hrss-410311", department="hrss", county="410311")
PICKUP = {"method": "pickup", "service_center": "老城区政务服务中心"}
SMS_RECEIPTS = f"/v1/sms/receipts?token={LOCAL_CALLBACK_TOKEN}"
SMS_RECEIPT = {"mobile": "13800138000", "report_status": "SUCCESS", "sid": "2433:unknown"}
BREACH_CHECK = "2026-12-14T09:00:00+08:00"  # the pension's 10 working days are over


@dataclass
class Case:
    """The row's case and what its requests need (ids, codes, each caller's own upload)."""

    id: str = ""
    notification: str = ""
    pickup_code: str = ""
    uploads: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Any = None


Build = Callable[[Case, str], Request]  # (the case, the column) -> the request


def send(client: Client, request: Request, headers: dict[str, str]) -> Any:
    if request.body is None:
        return client.http.request(request.method, request.path, headers=headers)
    return client.http.request(
        request.method,
        request.path,
        headers={"Content-Type": "application/json", **headers},
        body=json.dumps(request.body, ensure_ascii=False).encode(),
    )


def guessed(request: Request, case: Case) -> Request:
    """The same request for a case id nobody was given (a well-formed, unused id)."""
    stranger = uuid.uuid4().hex
    path = request.path.replace(case.id, stranger)
    if case.notification:
        path = path.replace(case.notification, stranger)
    return Request(request.method, path, request.body)


# The workflow runs in moto's own thread: polling the case every 50 ms instead of 5 ms while
# it works saves CPU (the whole matrix runs on every test run).
PATIENCE_S = 0.05


# How each row's case is prepared: by the owner online in 410302 with all five items.
def _submitted(client: Client, pump: Pump, **changes: Any) -> Case:
    response = submit(client, application(**changes))
    assert response.status_code == 202, response.body
    case = Case(id=json.loads(response.body)["id"])
    view = settle(pump, client, case.id, idle_s=PATIENCE_S)
    assert view["status"] == "in_progress", view  # the HRSS pension task is pending
    return case


def _finished(client: Client, pump: Pump, **changes: Any) -> Case:
    case = _submitted(client, pump, **changes)
    assert decide(client, case.id).status_code == 200
    assert settle(pump, client, case.id, idle_s=PATIENCE_S)["status"] == "completed"
    return case


def pending(client: Client, pump: Pump, clock: Clock) -> Case:
    return _submitted(client, pump)


def with_notification(client: Client, pump: Pump, clock: Clock) -> Case:
    case = _submitted(client, pump)
    case.notification = notifications(client, CALLERS["owner"])[0]["id"]
    return case


def with_uploads(client: Client, pump: Pump, clock: Clock) -> Case:
    case = _submitted(client, pump)
    case.uploads = {
        "owner": upload(client, OPERATOR),
        "other_applicant": upload(client, OTHER_PERSON),
    }
    return case


def correction_required(client: Client, pump: Pump, clock: Clock) -> Case:
    case = _submitted(client, pump)
    path = f"/v1/departments/hrss/tasks/{case.id}.pension_registration/correction"
    body = {"corrections": [{"field": "pension.contribution_base", "reason": "缴费基数与申报不符"}]}
    assert post(client, path, body, CALLERS["officer"]).status_code == 200
    return case


def finished(client: Client, pump: Pump, clock: Clock) -> Case:
    return _finished(client, pump)


def ready_for_pickup(client: Client, pump: Pump, clock: Clock) -> Case:
    case = _finished(client, pump, delivery=PICKUP)
    path = f"/v1/applications/{case.id}/delivery"
    case.pickup_code = json.loads(client.http.get(path, headers=CALLERS["owner"]).body)[
        "pickup_code"
    ]
    return case


def poorly_rated(client: Client, pump: Pump, clock: Clock) -> Case:
    case = _finished(client, pump)
    rating = {"level": 2, "reason": "窗口等待时间长"}
    assert post(client, f"/v1/applications/{case.id}/rating", rating, CALLERS["owner"]).status_code
    return case


def breached(client: Client, pump: Pump, clock: Clock) -> Case:
    case = _submitted(client, pump)
    assert run_job(client, "deadline-breaches", BREACH_CHECK)["changed"] >= 1
    clock.set(BREACH_CHECK)
    return case


def failed(client: Client, pump: Pump, clock: Clock) -> Case:
    """HRSS's employment system down until the employment certificate fails to a person."""
    set_department_mode("hrss", "down")
    case = _submitted(client, pump)
    employment = f"{case.id}.employment_certificate"

    def given_up() -> bool:
        path = "/v1/departments/hrss/tasks?status=failed"
        body = client.http.get(path, headers=CALLERS["officer"]).body
        return employment in body.decode()

    assert pump.run_until(given_up), "the employment certificate did not fail to a person"
    set_department_mode("hrss", "ok")
    return case


def no_case(client: Client, pump: Pump, clock: Clock) -> Case:
    return Case()


Prepare = Callable[[Client, Pump, Clock], Case]


def _fixed(method: str, path: str, body: Any = None) -> Build:
    return lambda case, column: Request(method, path.format(case=case), body)


def _claim(case: Case, column: str) -> Request:
    # Applicants attach their own upload (anyone else's is a 422 before any access decision).
    materials = [case.uploads.get(column, case.uploads.get("owner", ""))]
    body = {"materials": materials, "account_confirmed": True}
    return Request("POST", f"/v1/applications/{case.id}/subsidy-claim", body)


def _handover(case: Case, column: str) -> Request:
    body = {"pickup_code": case.pickup_code}
    return Request("POST", f"/v1/applications/{case.id}/delivery/handover", body)


# Valid for every caller (a clerk must sign and answer on shared data), so each gets the
# answer its access decides.
CORRECTED = window_application(pension={"contribution_base": 5000})
UPLOAD = {"purpose": "claim_material", "content_type": "application/pdf", "size": 1024}
TASK = "/v1/departments/hrss/tasks/{case.id}.pension_registration"
FAILED_TASK = "{case.id}.employment_certificate"
RETRY = {"reason": "部门系统已恢复"}
CALENDAR = {"holidays": ["2027-01-01"], "workdays": [], "source": "国办发明电〔2026〕1号"}

# Rows whose requests change nothing: the rows with the same preparation share one case.
READ_ONLY = frozenset(
    {
        "get_application",
        "get_application_archive",
        "list_my_applications",
        "list_my_certificates",
        "list_my_notifications",
        "list_events",
        "list_department_tasks",
        "list_department_breaches",
        "get_delivery",
        "list_follow_ups",
        "get_subsidy_notice",
        "get_report_summary",
        "get_report_current",
        "list_connectors",
        "list_dead_letters",
        "list_calendar_years",
        "list_calendar_year_versions",
        "list_admin_actions",
        "get_access_log",
        "get_guide",
        "get_faq",
        "get_openapi",
        "get_docs",
        "get_docs_asset",
    }
)
# operation name -> (how its case is prepared, the request each caller sends)
ROWS: dict[str, tuple[Prepare, Build]] = {
    # Signed and with the answer on shared data, as a window case must be (online: optional).
    "submit_application": (no_case, _fixed("POST", "/v1/applications", window_application())),
    "get_application": (breached, _fixed("GET", "/v1/applications/{case.id}")),
    "claim_startup_subsidy": (with_uploads, _claim),
    "submit_correction": (
        correction_required,
        _fixed("POST", "/v1/applications/{case.id}/corrections", CORRECTED),
    ),
    "withdraw_application": (
        pending,
        _fixed("POST", "/v1/applications/{case.id}/withdrawal", {"reason": "暂不参保"}),
    ),
    "rate_application": (
        finished,
        _fixed("POST", "/v1/applications/{case.id}/rating", {"level": 5}),
    ),
    "take_or_hand_over_application": (
        pending,
        _fixed("POST", "/v1/applications/{case.id}/owner", {"note": "来电咨询进度"}),
    ),
    "get_delivery": (poorly_rated, _fixed("GET", "/v1/applications/{case.id}/delivery")),
    "dispatch_delivery": (
        finished,
        _fixed(
            "POST",
            "/v1/applications/{case.id}/delivery/dispatch",
            {"courier": "中国邮政EMS", "tracking_number": "1234567890123"},
        ),
    ),
    "hand_over_delivery": (ready_for_pickup, _handover),
    "create_upload": (no_case, _fixed("POST", "/v1/uploads", UPLOAD)),
    "get_application_archive": (breached, _fixed("GET", "/v1/applications/{case.id}/archive")),
    "list_my_applications": (breached, _fixed("GET", "/v1/me/applications")),
    "list_my_certificates": (breached, _fixed("GET", "/v1/me/certificates")),
    "list_my_notifications": (breached, _fixed("GET", "/v1/me/notifications")),
    "mark_notification_read": (
        with_notification,
        _fixed("POST", "/v1/me/notifications/{case.notification}/read", {}),
    ),
    "list_events": (breached, _fixed("GET", "/v1/events")),
    "list_department_tasks": (breached, _fixed("GET", "/v1/departments/hrss/tasks?status=pending")),
    "decide_department_task": (pending, _fixed("POST", TASK + "/decision", {"approve": True})),
    "list_department_breaches": (breached, _fixed("GET", "/v1/departments/hrss/breaches")),
    "get_subsidy_notice": (no_case, _fixed("GET", "/v1/departments/hrss/subsidy-notice")),
    "request_correction": (
        pending,
        _fixed(
            "POST",
            TASK + "/correction",
            {"corrections": [{"field": "applicant.address", "reason": "请填写门牌号"}]},
        ),
    ),
    "list_follow_ups": (poorly_rated, _fixed("GET", "/v1/departments/hrss/follow-ups")),
    "close_follow_up": (
        poorly_rated,
        _fixed(
            "POST",
            "/v1/departments/hrss/follow-ups/{case.id}/closure",
            {"note": "已电话回访，致歉并说明改进措施"},
        ),
    ),
    "get_report_summary": (no_case, _fixed("GET", "/v1/reports/summary")),
    "get_report_current": (no_case, _fixed("GET", "/v1/reports/current")),
    "run_job": (no_case, _fixed("POST", "/v1/admin/jobs/deadline-breaches?at=2026-11-27")),
    "put_calendar_year": (no_case, _fixed("PUT", "/v1/admin/calendar/2027", CALENDAR)),
    "list_calendar_years": (no_case, _fixed("GET", "/v1/admin/calendar")),
    "list_calendar_year_versions": (no_case, _fixed("GET", "/v1/admin/calendar/2027/versions")),
    "list_admin_actions": (no_case, _fixed("GET", "/v1/admin/actions")),
    "get_access_log": (breached, _fixed("GET", "/v1/admin/applications/{case.id}/access-log")),
    "retry_department_task": (
        failed,
        _fixed("POST", "/v1/departments/hrss/tasks/" + FAILED_TASK + "/retry", RETRY),
    ),
    "list_connectors": (no_case, _fixed("GET", "/v1/admin/connectors")),
    "list_dead_letters": (no_case, _fixed("GET", "/v1/admin/dead-letters")),
    "retry_dead_letter": (
        failed,
        _fixed("POST", "/v1/admin/dead-letters/" + FAILED_TASK + "/retry", RETRY),
    ),
    # The provider's callback: public, the token in its URL is what lets it in (tested with a
    # wrong token in test_sms.py); a receipt naming no SMS of ours changes nothing.
    "record_sms_receipts": (no_case, _fixed("POST", SMS_RECEIPTS, [SMS_RECEIPT])),
    "get_guide": (no_case, _fixed("GET", "/v1/guide")),
    "get_faq": (no_case, _fixed("GET", "/v1/faq")),
    "get_openapi": (no_case, _fixed("GET", "/openapi.json")),
    "get_docs": (no_case, _fixed("GET", "/docs")),
    "get_docs_asset": (no_case, _fixed("GET", "/docs/swagger-ui.css")),
}
