"""Worked examples for the OpenAPI document, built from the seeded demo data.

Keyed by model name (a request or response body) so that one example serves every operation
that uses the model; ``BY_OPERATION`` overrides one operation's response. Every example is
checked against its schema by tests/functional/test_openapi.py, so none can drift from the
models. Strings only: importing a blueprint here would tie the document to import order.
"""

from __future__ import annotations

from typing import Any

from chalicelib.api.schemas import APPLICATION_EXAMPLE
from chalicelib.domain import catalogue
from chalicelib.integrations.storage import UNREFERENCED_TAGGING
from chalicelib.workflow import schedules

CASE_ID = "3f2b8c1e9a4d4e6f8b7c6d5e4f3a2b1c"
TASK_ID = f"{CASE_ID}.pension_registration"
OPERATOR_ID = "410302199001019018"
USCC = "92410302MA47K2NQ4D"
BUSINESS = {"name": "洛阳市老城区示例小吃店", "uscc": USCC}
EMPLOYMENT_CERTIFICATE = "JY4103022026112712F14FD85C"
PENSION_CERTIFICATE = "YL410302202611300399F0ECAD"
NOTIFICATION_ID = "20261127T020000000000-5e4f3a2b1c"
# Uploads sit under their owner's person key (v<n>. and a keyed hash), never an ID number.
PERSON_KEY = "v1.5d41402abc4b2a76b9719d911017c592"
UPLOAD_KEY = f"uploads/{PERSON_KEY}/claim_material/9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f.pdf"
EVIDENCE_KEY = f"uploads/{PERSON_KEY}/category_evidence/0a1b2c3d4e5f60718293a4b5c6d7e8f9.pdf"
OTHER_CASE_ID = "7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f"

# The calendar years put_calendar_year accepts (2004–2100), as the document states them.
CALENDAR_YEAR_PATTERN = "^(200[4-9]|20[1-9][0-9]|2100)$"
PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "application_id": {
        "description": "办件编号（受理时返回的 id）",
        "schema": {"type": "string", "maxLength": 64},
        "example": CASE_ID,
    },
    "department": {
        "description": "部门代码："
        + " / ".join(f"{d.code} {d.name}" for d in catalogue.departments()),
        "schema": {"type": "string", "enum": list(catalogue.department_codes())},
        "example": "hrss",
    },
    "task_id": {
        "description": "待办编号：办件编号.事项代码",
        "schema": {"type": "string", "maxLength": 100},
        "example": TASK_ID,
    },
    "notification_id": {
        "description": "消息编号",
        "schema": {"type": "string", "maxLength": 100},
        "example": NOTIFICATION_ID,
    },
    "job": {
        "description": "定时任务名",
        "schema": {"type": "string", "enum": list(schedules.JOB_NAMES)},
        "example": "deadline-breaches",
    },
    "asset_name": {
        "description": "文档页面资源名",
        "schema": {
            "type": "string",
            "enum": ["swagger-ui-bundle.js", "swagger-ui.css", "docs-init.js"],
        },
        "example": "swagger-ui.css",
    },
    "year": {
        "description": "年份（公历，2004–2100）",
        "schema": {"type": "string", "pattern": CALENDAR_YEAR_PATTERN},
        "example": "2027",
    },
}

_ITEMS = [
    {
        "code": "license_verification",
        "name": "营业执照信息核验",
        "status": "completed",
        "department": "market_regulation",
        "due_date": "2026-11-27",
        "result": {
            "verified": True,
            "business_name": BUSINESS["name"],
            "uscc": USCC,
            "registered_on": "2025-10-15",
        },
    },
    {
        "code": "taxpayer_confirmation",
        "name": "纳税人信息确认",
        "status": "completed",
        "department": "tax",
        "due_date": "2026-11-27",
        "result": {
            "taxpayer_id": USCC,
            "confirmed_on": "2026-11-27",
            "tax_office": "国家税务总局洛阳市税务局",
        },
    },
    {
        "code": "employment_certificate",
        "name": "就业创业证申领",
        "status": "completed",
        "department": "hrss",
        "due_date": "2026-11-27",
        "result": {
            "certificate_number": EMPLOYMENT_CERTIFICATE,
            "issued_on": "2026-11-27",
            "already_held": False,
        },
    },
    {
        "code": "pension_registration",
        "name": "灵活就业人员养老保险登记",
        "status": "in_review",
        "department": "hrss",
        "due_date": "2026-12-04",
        "result": {},
    },
    {
        "code": "startup_subsidy",
        "name": "创业补贴申领",
        "status": "awaiting_anniversary",
        "department": "hrss",
        "due_date": "2027-11-29",
        "result": {},
    },
]

_TASK = {
    "id": TASK_ID,
    "application_id": CASE_ID,
    "item": "pension_registration",
    "status": "pending",
    "due_date": "2026-12-04",
    "item_status": "in_review",
    "failure": None,
}
# A subsidy claim as the HRSS officer's queue shows it: each condition and its basis, and a
# claim under another document by someone with the same name, birth date and gender.
_CLAIM_TASK = {
    "id": f"{CASE_ID}.startup_subsidy",
    "application_id": CASE_ID,
    "item": "startup_subsidy",
    "status": "pending",
    "due_date": "2027-11-29",
    "item_status": "claimed",
    "failure": None,
    "review": {
        "flags": [
            {
                "code": "subsidy.possible_second_grant",
                "text": "姓名、出生日期、性别相同的人员另有一次性开业补贴申领（可能以其他证件"
                "办理），请核实是否为同一人，避免重复享受",
                "applications": [OTHER_CASE_ID],
            }
        ],
        "conditions": [
            {
                "code": "working_age",
                "label": "在法定劳动年龄内（以工商登记注册之日计）",
                "basis": "system",
                "met": True,
            },
            {
                "code": "first_startup",
                "label": "首次创办小微企业或从事个体经营",
                "basis": "declaration",
                "met": True,
            },
            {
                "code": "category",
                "label": "人员类别：返乡入乡农民工（证明材料，如返乡入乡农民工身份证明）",
                "basis": "evidence",
                "met": None,
            },
            {
                "code": "not_employed_when_starting",
                "label": "创业时不在机关事业或其他单位（企业）就业",
                "basis": "declaration",
                "met": True,
            },
            {
                "code": "operating_one_year",
                "label": "自工商登记注册之日起正常经营1年以上（登记机关记录存续且登记满1年）",
                "basis": "system",
                "met": True,
            },
            {
                "code": "once_per_person",
                "label": "此前未享受一次性开业补贴",
                "basis": "system",
                "met": True,
            },
        ],
    },
}
_FAILED_TASK = {
    "id": f"{CASE_ID}.employment_certificate",
    "application_id": CASE_ID,
    "item": "employment_certificate",
    "status": "failed",
    "due_date": "2026-11-27",
    "item_status": "failed",
    "failure": "unavailable",
}

_DELIVERY = {
    "application_id": CASE_ID,
    "method": "mail",
    "status": "dispatched",
    "certificates": [EMPLOYMENT_CERTIFICATE, PENSION_CERTIFICATE],
    "address": "洛阳市老城区示例街1号",
    "recipient": "张三",
    "phone": "13800138000",
    "service_center": None,
    "pickup_code": None,
    "courier": "中国邮政 EMS",
    "tracking_number": "1100456789012",
}

_CASE_STATE = {
    "id": CASE_ID,
    "status": "in_progress",
    "due_date": "2026-12-11",
    "links": {"self": f"/v1/applications/{CASE_ID}"},
}

_CALENDAR_2027 = {
    "holidays": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"],
    "workdays": ["2027-02-07", "2027-02-20"],
    "source": "国办发明电〔2026〕7号",
}

_LOADED_2027 = {
    **_CALENDAR_2027,
    "year": 2027,
    "loaded_at": "2026-12-01T09:00:00+08:00",
    "version": 1,
    "loaded_by": "ops-1",
}

_FOLLOW_UP = {
    "application_id": CASE_ID,
    "stage": "completion",
    "department": "hrss",
    "level": 2,
    "reason": "养老保险登记等待时间较长",
    "status": "open",
    "due_date": "2026-12-09",
    "due_provisional": False,
    "note": None,
}

EXAMPLES: dict[str, Any] = {
    # Requests
    "ApplicationIn": APPLICATION_EXAMPLE,
    "SubsidyClaimIn": {"materials": [UPLOAD_KEY, EVIDENCE_KEY], "account_confirmed": True},
    "DispatchIn": {"courier": "中国邮政 EMS", "tracking_number": "1100456789012"},
    "HandoverIn": {"pickup_code": "482913"},
    "DecisionIn": {"approve": True, "reason": None, "result": None},
    "CorrectionRequestIn": {
        "corrections": [
            {
                "field": "pension.contribution_base",
                "reason": "缴费基数低于全省公布的下限，请重新选择",
            }
        ]
    },
    "FollowUpClosureIn": {
        "note": "已电话回访申请人，说明了审核时限并致歉，申请人表示理解",
        "stage": "completion",
    },
    "WithdrawalIn": {"reason": "个体工商户暂缓开业，撤回申请"},
    "RatingIn": {"level": 5, "reason": None, "stage": "acceptance"},
    "OwnerIn": {"to": "officer-2", "note": "移交养老保险经办人员"},
    "UploadIn": {"purpose": "claim_material", "content_type": "application/pdf", "size": 245760},
    "CalendarYearIn": _CALENDAR_2027,
    # Responses
    "Accepted": {
        "id": CASE_ID,
        "status": "accepted",
        "links": {"self": f"/v1/applications/{CASE_ID}"},
    },
    "CaseView": {
        "id": CASE_ID,
        "status": "in_progress",
        "channel": "online",
        "county": "410302",
        "business": BUSINESS,
        # The applicant's own view: in clear. Readers who do not need a field see it masked
        # and named in "masked" (name 张*, ID 4103**********9018, phone 138****8000).
        "applicant": {
            "name": "张三",
            "id_type": "resident_id_card",
            "id_number": OPERATOR_ID,
            "phone": "13800138000",
            "subsidy_bank": "中国银行洛阳分行",
            "subsidy_account": "6216610200001234567",
            "masked": [],
        },
        # Online: nobody acts for the applicant (see the window example).
        "agent": None,
        "signature": None,
        "data_sharing": None,
        "accepted_at": "2026-11-27T10:00:00+08:00",
        "due_date": "2026-12-11",
        "time_limit_working_days": 10,
        "due_provisional": False,
        "items": _ITEMS,
        "history": [
            {
                "at": "2026-11-27T10:00:00+08:00",
                "type": "accepted",
                "actor": "applicant",
                "item": None,
                "detail": "线上提交，已受理",
            },
            {
                "at": "2026-11-27T10:00:05+08:00",
                "type": "item_completed",
                "actor": "system",
                "item": "employment_certificate",
                "detail": f"已发放就业创业证 {EMPLOYMENT_CERTIFICATE}",
            },
        ],
    },
    "AccessLog": {
        "application_id": CASE_ID,
        "entries": [
            {
                "at": "2026-11-28T09:12:30+08:00",
                "operation": "get_application",
                "request_id": "c0ffee00-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
                "subject": "hrss-001",
                "role": "officer",
                "department": "hrss",
                "county": "410302",
                "clear": ["account", "id_number", "name", "phone"],
            },
            {
                "at": "2026-11-28T10:03:02+08:00",
                "operation": "get_application",
                "request_id": "5ad1e0b2-8c7f-4e3a-a1b2-c3d4e5f60718",
                "subject": "clerk-1",
                "role": "clerk",
                "department": None,
                "county": "410302",
                "clear": ["name"],
            },
        ],
    },
    "CaseList": {
        "applications": [
            {
                "id": CASE_ID,
                "status": "in_progress",
                "channel": "online",
                "county": "410302",
                "business_name": BUSINESS["name"],
                "items": [i["code"] for i in _ITEMS],
                "accepted_at": "2026-11-27T10:00:00+08:00",
                "due_date": "2026-12-11",
            }
        ]
    },
    "CertificateList": {
        "certificates": [
            {
                "number": EMPLOYMENT_CERTIFICATE,
                "type": "employment_certificate",
                "issued_on": "2026-11-27",
                "application_id": CASE_ID,
                "name": None,
                "uscc": None,
                "registered_on": None,
            },
            {
                "number": USCC,
                "type": "business_licence",
                "issued_on": "2025-10-15",
                "application_id": CASE_ID,
                "name": BUSINESS["name"],
                "uscc": USCC,
                "registered_on": "2025-10-15",
            },
        ]
    },
    "NotificationList": {
        "notifications": [
            {
                "id": "20261127T020000000000-0b1c2d3e",
                "type": "rating_invitation",
                "application_id": CASE_ID,
                "at": "2026-11-27T10:00:00+08:00",
                "read": False,
                "text": "您的联办申请已受理，欢迎对受理服务进行“好差评”评价。",
                "sms": "not_applicable",
                "sms_reason": "此类通知仅在小程序内提示，不发送短信",
            },
            {
                "id": NOTIFICATION_ID,
                "type": "case_finished",
                "application_id": CASE_ID,
                "at": "2026-11-30T10:00:00+08:00",
                "read": False,
                "text": "您的个人创业“一件事”联办申请已办结",
                "sms": "delivered",
                "sms_reason": None,
            },
        ]
    },
    "NotificationRead": {"id": NOTIFICATION_ID, "read": True},
    "SubsidyClaimOut": {"application_id": CASE_ID, "status": "claimed", "reason": None},
    "Task": _TASK,
    "TaskList": {"tasks": [_TASK, _CLAIM_TASK, _FAILED_TASK]},
    "RetryIn": {"reason": "人社就业系统已恢复，重新送交"},
    "ConnectorList": {
        "connectors": [
            {
                "name": "tax",
                "department": "tax",
                "configured": True,
                "last_success_at": "2026-11-27T10:00:03+08:00",
                "last_failure_at": "2026-11-27T09:41:17+08:00",
                "last_failure_class": "timeout",
                "failures_last_hour": 2,
            }
        ]
    },
    "DeadLetterList": {
        "items": [
            {
                "task_id": f"{CASE_ID}.employment_certificate",
                "application_id": CASE_ID,
                "item": "employment_certificate",
                "department": "hrss",
                "county": "410302",
                "failed_at": "2026-11-27T13:05:00+08:00",
                "reason_class": "unavailable",
            }
        ]
    },
    "BreachList": {
        "breaches": [
            {
                "application_id": CASE_ID,
                "item": "pension_registration",
                "due_date": "2026-12-04",
                "flagged_at": "2026-12-07T00:15:00+08:00",
                "working_days_late": 1,
                "provisional": False,
            },
            {  # due in a year without official holiday data: not (yet) a breach
                "application_id": "7a1c9e2b4d6f48a0b3c5d7e9f1a2b4c6",
                "item": "case",
                "due_date": "2027-01-07",
                "flagged_at": "2027-01-08T00:15:00+08:00",
                "working_days_late": 1,
                "provisional": True,
            },
        ]
    },
    "SubsidyNotice": {
        "notice": [
            {
                "name": "张*",
                "id_number": "410302********9018",
                "business_name": BUSINESS["name"],
                "amount": 5000,
                "approved_on": "2027-12-06",
                "county": "410302",
            }
        ]
    },
    "JobRun": {
        "job": "deadline-breaches",
        "at": "2026-12-07T00:15:00+08:00",
        "read": 12,
        "changed": 1,
        "notified": 1,
        "skipped": 0,
        "provisional": 0,
    },
    "CalendarYear": _LOADED_2027,
    "CalendarYears": {"years": [_LOADED_2027]},
    "CalendarYearVersions": {"year": 2027, "versions": [_LOADED_2027]},
    "AdminActions": {
        "actions": [
            {
                "at": "2026-12-01T09:00:00+08:00",
                "action": "put_calendar_year",
                "target": "2027",
                "subject": "ops-1",
                "request_id": "c0ffee00-2026-1201-0900-000000000001",
                "detail": {"version": 1, "source": _CALENDAR_2027["source"], "replace": False},
            }
        ]
    },
    "DeliveryOut": _DELIVERY,
    "CaseState": _CASE_STATE,
    "RatingOut": {
        "application_id": CASE_ID,
        "stage": "acceptance",
        "level": 5,
        "label": "非常满意",
        "follow_up": False,
    },
    "OwnerOut": {
        "application_id": CASE_ID,
        "owner": "officer-2",
        "since": "2026-11-27T14:30:00+08:00",
    },
    "FollowUp": _FOLLOW_UP,
    "FollowUpList": {"follow_ups": [_FOLLOW_UP]},
    "UploadOut": {
        "key": UPLOAD_KEY,
        "url": "https://yijianshi-documents.s3.cn-north-1.amazonaws.com.cn/",
        "fields": {
            "key": UPLOAD_KEY,
            "Content-Type": "application/pdf",
            "tagging": UNREFERENCED_TAGGING,
            "policy": "eyJleHBpcmF0aW9uIjogIjIwMjYtMTEtMjdUMDI6MTU6MDBaIn0=",
            "x-amz-algorithm": "AWS4-HMAC-SHA256",
            "x-amz-credential": "ASIAEXAMPLE/20261127/cn-north-1/s3/aws4_request",
            "x-amz-date": "20261127T020000Z",
            "x-amz-signature": "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        },
        "expires_at": "2026-11-27T10:15:00+08:00",
    },
    "ArchiveList": {
        "application_id": CASE_ID,
        "entries": [
            {
                "key": f"archive/{CASE_ID}/form/application.json",
                "kind": "form",
                "version_id": "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY",
                "size": 1834,
                "last_modified": "2026-11-27T10:00:01+08:00",
                "latest": True,
                "deleted": False,
            },
            {
                "key": f"archive/{CASE_ID}/certificates/{EMPLOYMENT_CERTIFICATE}.json",
                "kind": "certificate",
                "version_id": "b7Uq2cdYk1bR0H8nFqHyr7rJx2Wl6Dm1",
                "size": 412,
                "last_modified": "2026-11-27T10:00:05+08:00",
                "latest": True,
                "deleted": False,
            },
        ],
    },
    "EventPage": {
        "events": [
            {
                "id": "5d0c6f1e2b3a49587a6b5c4d3e2f1a0b",
                "type": "case.accepted",
                "occurred_at": "2026-11-27T10:00:00+08:00",
                "application_id": CASE_ID,
                "item": None,
                "status": "accepted",
            },
            {
                "id": "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
                "type": "item.status_changed",
                "occurred_at": "2026-11-27T10:00:02+08:00",
                "application_id": CASE_ID,
                "item": "license_verification",
                "status": "completed",
            },
        ],
        "next": (
            "MXwyMDI2LTExLTI3VDAyOjAwOjAyLjEyMzQ1NiswMDowMCMzZjJiOGMxZTlhNGQ0ZTZmOGI3YzZkNWU0Zj"
            "NhMmIxYyMxLmxpY2Vuc2VfdmVyaWZpY2F0aW9uLmNvbXBsZXRlZA"
        ),
        "has_more": False,
    },
    "Summary": {
        "from": "2026-11-01",
        "to": "2026-11-30",
        "cases": 1,
        "by_county": {"410302": 1},
        "by_channel": {"online": 1},
        "by_item": {i["code"]: 1 for i in _ITEMS},
        "finished_by_item": {"license_verification": 1, "employment_certificate": 1},
        "working_days": {
            "employment_certificate": {"median": 0, "p90": 0, "count": 1, "histogram": {"0": 1}}
        },
        "on_time": {"license_verification": 1, "employment_certificate": 1},
        "breaches": {},
        "breaches_closed": {},
        "ratings": {"5": 1},
        "ratings_by_stage": {
            "acceptance": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1},
            "completion": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
        },
        "ended": {},
        "sms": {"sent": 3, "delivered": 3, "failed": 0, "held": 1, "not_applicable": 4},
    },
    "SmsReceipts": [
        {
            "user_receive_time": "2026-11-27 10:00:05",
            "nationcode": "86",
            "mobile": "13800138000",
            "report_status": "SUCCESS",
            "errmsg": "DELIVRD",
            "description": "用户短信送达成功",
            "sid": "2433:1c2f0d4a7e6b5c3d2e1f",
        }
    ],
    "SmsReceiptsAck": {"result": 0, "errmsg": "OK", "recorded": 1},
    "Current": {
        "at": "2026-12-14T09:00:00+08:00",
        "open_breaches": {"market_regulation": {}, "tax": {}, "hrss": {"410302": 2}},
        "calendar": {
            "today": "2026-12-14",
            "years": [
                {"year": 2025, "known": True, "loaded": None},
                {"year": 2026, "known": True, "loaded": None},
                {"year": 2027, "known": False, "loaded": None},
            ],
            "next_year_known": False,
            "loaded": [],
        },
    },
}

_PROBLEM_TYPE = "https://yijianshi.luoyang.example/problems/"


def _problem(
    status: int, code: str, title: str, detail: str, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {
        "type": _PROBLEM_TYPE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or [],
        "instance": "/v1/applications",
    }


PROBLEMS: dict[int, dict[str, Any]] = {
    400: _problem(400, "malformed_json", "请求格式错误", "请求体不是合法的 JSON"),
    401: _problem(401, "unauthorized", "未登录或令牌无效", "请先登录"),
    403: _problem(403, "forbidden", "无权执行此操作", "该操作需要以下角色之一：applicant, clerk"),
    404: _problem(404, "not_found", "未找到该资源", "未找到该办件"),
    405: _problem(405, "method_not_allowed", "不支持该请求方法", "Unsupported method: DELETE"),
    409: _problem(
        409,
        "idempotency_key_reused",
        "与当前状态冲突",
        "该幂等键已用于另一份申请",
    ),
    413: _problem(413, "payload_too_large", "请求体过大", "请求体不能超过 1 MB"),
    422: _problem(
        422,
        "validation_failed",
        "申请信息有误，请按提示一次性修改",
        "申请信息有误，请按提示一次性修改",
        [
            {
                "field": "business.uscc",
                "code": "uscc.check_digit",
                "message": "统一社会信用代码校验位不正确，请核对营业执照",
            },
            {
                "field": "applicant.phone",
                "code": "phone.format",
                "message": "联系电话应为内地手机号（11位）、固定电话（区号-号码，"
                "如 0379-63211234），或港澳台电话（+852、+853 加 8 位号码，+886 加号码）",
            },
        ],
    ),
    429: _problem(429, "too_many_requests", "请求过于频繁", "请求过于频繁，请稍后重试"),
    500: _problem(500, "internal_error", "服务内部错误", "服务内部错误"),
    503: _problem(503, "service_unavailable", "服务繁忙，请稍后重试", "服务繁忙，请稍后重试"),
}

EXAMPLES["OpenAPIDocument"] = {
    "openapi": "3.1.0",
    "info": {"title": "洛阳市个人创业“一件事”联办服务 API", "version": "1.0.0"},
    "paths": {},
}
EXAMPLES["DocsPage"] = '<!DOCTYPE html>\n<html lang="zh-CN">…<div id="swagger-ui"></div>…</html>\n'
EXAMPLES["DocsAsset"] = ".swagger-ui .info .title{font-size:36px}"
