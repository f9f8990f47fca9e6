"""A local stand-in for Tencent Cloud SMS (API 2021-01-11, ``SendSms``), for ``make run`` and
the tests: the real SDK talks to it (endpoint override), it checks the TC3-HMAC-SHA256
signature with the local credentials, checks the request against the local stage's approved
templates and signature as the service does, answers in the service's format, records what it
was asked to send, and posts delivery receipts to the app's callback like the service's
status callback. Local demo data only; never packaged (devtools/).

    POST /                 the API (X-TC-Action: SendSms)
    GET  /_standin/outbox  what it recorded, JSON lines (make sms-outbox)
    POST /_standin/mode    {"mode": "down" | "internal-error" | "template-not-approved" |
                            "blacklisted" | "rate-limited" | "undelivered" | "ok",
                            "times": N (how many requests, default: until set back to ok)}
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from devtools import tc3

SERVICE = "sms"
VERSION = "2021-01-11"
# Local demo credentials (provisioned into moto's Secrets Manager for the sender).
LOCAL_SECRET_ID = "AKIDlocalstandin00000000000000000000"  # noqa: S105  # nosec B105
LOCAL_SECRET_KEY = "local-standin-secret-key-0123456789"  # noqa: S105  # nosec B105
# The receipts callback's token locally; .chalice/config.json holds its SHA-256.
LOCAL_CALLBACK_TOKEN = "local-sms-receipts-token-0123456789"  # noqa: S105  # nosec B105
MODES = (
    "ok",
    "down",
    "internal-error",
    "template-not-approved",
    "blacklisted",
    "rate-limited",
    "undelivered",
)
_REQUEST_ERRORS = {
    "internal-error": "InternalError.Timeout",
    "template-not-approved": "FailedOperation.TemplateIncorrectOrUnapproved",
}
_NUMBER_ERRORS = {
    "blacklisted": "FailedOperation.PhoneNumberInBlacklist",
    "rate-limited": "LimitExceeded.PhoneNumberThirtySecondLimit",
}


@dataclass
class Account:
    """What the local stage's account has approved: its app, signature and templates."""

    app_id: str
    sign_name: str
    templates: Mapping[str, str]  # template id -> text with {1}, {2}…
    callback_url: str = ""  # where receipts go (the app's /v1/sms/receipts?token=…)
    max_chars: int = 6


@dataclass
class State:
    outbox: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "ok"
    times: int | None = None  # requests left in this mode (None: until reset)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_mode(self) -> str:
        with self.lock:
            mode = self.mode
            if self.times is not None:
                self.times -= 1
                if self.times <= 0:
                    self.mode, self.times = "ok", None
            return mode


class ApiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _phone(number: str) -> str | None:
    for prefix in ("+86", "0086", "86"):
        if number.startswith(prefix) and len(number) == len(prefix) + 11:
            number = number[len(prefix) :]
    return number if len(number) == 11 and number.isdigit() and number[0] == "1" else None


def _check_request(account: Account, body: dict[str, Any]) -> tuple[str, list[str]]:
    """The template's id and variables, as the service checks them."""
    if body.get("SmsSdkAppId") != account.app_id:
        raise ApiError("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId 不存在")
    if body.get("SignName") != account.sign_name:
        raise ApiError("FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误")
    template = str(body.get("TemplateId", ""))
    if template not in account.templates:
        raise ApiError("FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配")
    params = [str(p) for p in body.get("TemplateParamSet") or []]
    if len(params) != account.templates[template].count("{"):
        raise ApiError("FailedOperation.TemplateParamSetNotMatchApprovedTemplate", "参数个数不符")
    for value in params:
        if len(value) > account.max_chars:
            raise ApiError("InvalidParameterValue.TemplateParameterLengthLimit", "变量超长")
        if "http" in value.lower() or "www." in value.lower():
            raise ApiError("InvalidParameterValue.ProhibitedUseUrlInTemplateParameter", "含链接")
    return template, params


class StandIn:
    def __init__(self, account: Account, secrets: Mapping[str, str] | None = None) -> None:
        self.account = account
        self.secrets = dict(secrets or {LOCAL_SECRET_ID: LOCAL_SECRET_KEY})
        self.state = State()
        self._server: ThreadingHTTPServer | None = None

    # -- the API ---------------------------------------------------------------------------
    def send_sms(self, headers: Mapping[str, str], raw: bytes) -> dict[str, Any]:
        tc3.verify(self.secrets, headers, raw, time.time(), SERVICE)
        if headers.get("x-tc-action") != "SendSms" or headers.get("x-tc-version") != VERSION:
            raise ApiError("InvalidAction", "接口不存在")
        mode = self.state.take_mode()
        if mode in _REQUEST_ERRORS:
            raise ApiError(_REQUEST_ERRORS[mode], "stand-in failure on demand")
        body = json.loads(raw)
        template, params = _check_request(self.account, body)
        context = str(body.get("SessionContext", ""))
        return {
            "SendStatusSet": [
                self._one(n, template, params, context, mode)
                for n in body.get("PhoneNumberSet") or []
            ]
        }

    def _one(
        self, number: str, template: str, params: list[str], context: str, mode: str
    ) -> dict[str, Any]:
        status = {"PhoneNumber": number, "SessionContext": context, "IsoCode": "CN", "Fee": 0}
        phone = _phone(str(number))
        code = _NUMBER_ERRORS.get(mode) or (
            None if phone else "InvalidParameterValue.IncorrectPhoneNumber"
        )
        if code:
            return status | {"SerialNo": "", "Code": code, "Message": code}
        serial = f"2433:{uuid.uuid4().hex[:20]}"
        entry = {
            "phone": phone,
            "template": template,
            "params": params,
            "notification_id": context,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with self.state.lock:
            self.state.outbox.append(entry)
        if self.account.callback_url:
            self._receipt_later(str(phone), serial, mode != "undelivered")
        return status | {"SerialNo": serial, "Code": "Ok", "Message": "send success", "Fee": 1}

    def _receipt_later(self, phone: str, serial: str, delivered: bool) -> None:
        receipt = [
            {
                "user_receive_time": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                "nationcode": "86",
                "mobile": phone,
                "report_status": "SUCCESS" if delivered else "FAIL",
                "errmsg": "DELIVRD" if delivered else "UNDELIV",
                "description": "用户短信送达成功" if delivered else "用户短信未送达",
                "sid": serial,
            }
        ]

        def post() -> None:
            time.sleep(0.5)  # after the sender recorded the serial, as the real one is later
            request = urllib.request.Request(
                self.account.callback_url,
                data=json.dumps(receipt, ensure_ascii=False).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            # A lost receipt is what the real service may do too.
            with contextlib.suppress(Exception):
                urllib.request.urlopen(request, timeout=10).close()  # nosec B310

        threading.Thread(target=post, name="sms-receipt", daemon=True).start()

    # -- serving -----------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._server = ThreadingHTTPServer((host, port), _handler(self))
        threading.Thread(target=self._server.serve_forever, name="sms-standin", daemon=True).start()
        return f"http://{host}:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def set_mode(self, mode: str, times: int | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        with self.state.lock:
            self.state.mode, self.state.times = mode, times

    def outbox(self) -> list[dict[str, Any]]:
        with self.state.lock:
            return list(self.state.outbox)


def _handler(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)  # the SDK parses only exactly this
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path != "/_standin/outbox":
                return self._reply(404, b"{}")
            lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in standin.outbox())
            self._reply(200, lines.encode(), "application/x-ndjson")

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/_standin/mode":
                return self._mode(raw)
            if standin.state.mode == "down" and standin.state.take_mode() == "down":
                return self._reply(503, b"Service Unavailable", "text/html")
            headers = {k.lower(): v for k, v in self.headers.items()}
            self._reply(200, json.dumps({"Response": _answer(standin, headers, raw)}).encode())

        def _mode(self, raw: bytes) -> None:
            try:
                wanted = json.loads(raw or b"{}")
                standin.set_mode(str(wanted.get("mode", "ok")), wanted.get("times"))
            except (ValueError, AttributeError) as exc:
                return self._reply(400, json.dumps({"error": str(exc)}).encode())
            self._reply(200, b'{"ok": true}')

    return Handler


def _answer(standin: StandIn, headers: Mapping[str, str], raw: bytes) -> dict[str, Any]:
    request_id = str(uuid.uuid4())
    try:
        return {**standin.send_sms(headers, raw), "RequestId": request_id}
    except (tc3.SignatureError, ApiError) as exc:
        return {"Error": {"Code": exc.code, "Message": exc.message}, "RequestId": request_id}
    except ValueError:
        return {
            "Error": {"Code": "InvalidParameter", "Message": "请求体不是 JSON"},
            "RequestId": request_id,
        }


def account_from(env: Mapping[str, str], callback_url: str = "") -> Account:
    """The local stage's account: its app id, signature and template ids from its settings,
    each template's text from the repository (domain.sms_notices.TEXTS)."""
    from chalicelib.domain.sms_notices import TEXTS, Template
    from chalicelib.settings import SmsSettings

    settings = SmsSettings.from_env(dict(env))
    texts = {
        settings.template_ids()[t.value]: TEXTS[t]
        for t in Template
        if t.value in settings.template_ids()
    }
    return Account(
        settings.sdk_app_id, settings.sign_name, texts, callback_url, settings.param_max_chars
    )


def start_standin(env: Mapping[str, str], callback_url: str = "") -> tuple[StandIn, str]:
    standin = StandIn(account_from(env, callback_url))
    return standin, standin.start()
