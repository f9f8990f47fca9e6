"""What the local stand-ins of the departments' systems (``devtools/departments.py``) check and
answer, written from the published contract (``chalicelib.integrations.contract``): the
gateway's request verification, and each department's answers and refusals.

Local and tests only: never packaged, never used in production.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from chalicelib.integrations import contract
from chalicelib.integrations.contract import (
    EmploymentRegistrationIn,
    EmploymentRegistrationOut,
    GatewayError,
    Licence,
    Operation,
    PensionRegistrationIn,
    PensionRegistrationOut,
    Refusal,
    SubsidyPaymentIn,
    SubsidyPaymentOut,
    TaxpayerConfirmationIn,
    TaxpayerConfirmationOut,
)

Mode = Literal["ok", "slow", "down", "refuse"]
MODES: tuple[Mode, ...] = ("ok", "slow", "down", "refuse")
DEPARTMENTS = tuple(dict.fromkeys(op.department for op in contract.OPERATIONS))
TAX_OFFICE = "国家税务总局洛阳市税务局"
# China keeps no daylight saving time: a fixed +08:00 gives Asia/Shanghai's dates.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
_TIMESTAMP = re.compile(r"\d{1,12}", re.ASCII)

# What each operation answers in the `refuse` mode (the contract's 422).
_REFUSED = {
    contract.LICENCE_LOOKUP.name: (
        "licence.restricted",
        "该经营主体已被列入经营异常名录，暂不能通过数据共享核验，请到登记机关办理",
    ),
    contract.TAXPAYER_CONFIRM.name: (
        "taxpayer.abnormal",
        "该纳税人存在未办结的涉税事项，请到主管税务机关办理后续业务",
    ),
    contract.EMPLOYMENT_REGISTER.name: (
        "employment.employed_elsewhere",
        "申请人在其他单位存在在职参保记录，请先办理离职手续后再申领就业创业证",
    ),
    contract.PENSION_REGISTER.name: (
        "pension.already_insured",
        "申请人已在其他单位参加企业职工基本养老保险，不能以灵活就业人员身份重复参保",
    ),
    contract.SUBSIDY_PAYMENT.name: (
        "subsidy.account_abnormal",
        "社会保障卡金融账户状态异常（未激活或已挂失），请到开户银行处理后重新申领",
    ),
}
REFUSALS = {name: (422, Refusal(code=code, reason=why)) for name, (code, why) in _REFUSED.items()}
NOT_REGISTERED = Refusal(code="licence.not_found", reason="未查询到该统一社会信用代码的登记信息")


def today(now: float) -> date:
    """The Asia/Shanghai date of a Unix instant (docs/domain.md §5)."""
    return datetime.fromtimestamp(now, SHANGHAI).date()


def failure(code: str, message: str) -> GatewayError:
    return GatewayError(code=code, message=message)


def _same(given: str, expected: str) -> bool:
    # Bytes, not str: compare_digest refuses non-ASCII text, which a header may carry.
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class Rejected(Exception):
    """A request answered before any department sees it: the gateway's error."""

    def __init__(self, status: int, error: GatewayError) -> None:
        super().__init__(error.code)
        self.status = status
        self.error = error


def _pattern(path: str) -> re.Pattern[str]:
    head, sep, tail = path.partition("{uscc}")
    return re.compile(re.escape(head) + ("(?P<uscc>[^/]+)" if sep else "") + re.escape(tail))


_ROUTES = tuple((op, _pattern(op.path)) for op in contract.OPERATIONS)


def route(path: str) -> tuple[Operation, str] | None:
    """The operation at a path (without its query), and the credit code in it if any."""
    for op, pattern in _ROUTES:
        found = pattern.fullmatch(path)
        if found:
            return op, found.groupdict().get("uscc") or ""
    return None


def check(op: Operation, method: str, key: str, body: bytes) -> BaseModel | None:
    """The request itself, once signed: its method, its idempotency key, its body (strict)."""
    if method != op.method:
        raise Rejected(405, failure("method.not_allowed", f"该接口只接受 {op.method} 请求"))
    if op.method == "POST" and not key:
        raise Rejected(400, failure("idempotency.missing", "缺少 Idempotency-Key 请求头"))
    if op.request is None:
        return None
    try:
        return op.request.model_validate_json(body, strict=True)
    except ValidationError as exc:
        # Field names only: the values may be personal data.
        fields = sorted({".".join(map(str, e["loc"])) or "(body)" for e in exc.errors()})
        message = f"请求体不符合接口约定：{'、'.join(fields)}"
        raise Rejected(400, failure("request.invalid", message)) from exc


class Verifier:
    """The gateway's checks of a signed request (the contract's module docstring), in order:
    signed headers, app id, timestamp, nonce, body digest, signature. A nonce is remembered
    for as long as its timestamp is acceptable, and only once the request has passed."""

    def __init__(self, apps: Mapping[str, str]) -> None:
        self._apps = dict(apps)
        self._nonces: dict[tuple[str, str], int] = {}  # (app id, nonce) -> its timestamp
        self._lock = threading.Lock()

    def verify(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes, now: float
    ) -> GatewayError | None:
        values = [headers.get(name.lower(), "") for name in contract.SIGNED_HEADERS]
        if not all(values):
            return failure("signature.missing", "缺少签名请求头")
        app_id, timestamp, nonce, digest, given = values
        secret = self._apps.get(app_id)
        if secret is None:
            return failure("app.unknown", "调用方应用标识未登记")
        if not _TIMESTAMP.fullmatch(timestamp):
            return failure("timestamp.invalid", "请求时间格式不正确（应为 Unix 秒）")
        if abs(now - int(timestamp)) > contract.REPLAY_WINDOW_S:
            return failure("timestamp.expired", "请求时间与网关时钟相差超过 300 秒")
        if not self._claim(app_id, nonce, int(timestamp), now, dry_run=True):
            return failure("nonce.replayed", "随机串已使用过，请求被视为重放")
        if not _same(digest, contract.content_digest(body)):
            return failure("digest.mismatch", "请求体摘要与 X-Content-SHA256 不一致")
        expected = contract.signature(secret, method, path, timestamp, nonce, digest)
        if not _same(given, expected):
            return failure("signature.invalid", "签名无效")
        if not self._claim(app_id, nonce, int(timestamp), now, dry_run=False):
            return failure("nonce.replayed", "随机串已使用过，请求被视为重放")
        return None

    def _claim(self, app_id: str, nonce: str, timestamp: int, now: float, dry_run: bool) -> bool:
        with self._lock:
            window = contract.REPLAY_WINDOW_S
            self._nonces = {k: t for k, t in self._nonces.items() if t + window >= now}
            if (app_id, nonce) in self._nonces:
                return False
            if not dry_run:
                self._nonces[(app_id, nonce)] = timestamp
            return True


@dataclass(frozen=True)
class Answer:
    """A department's answer: its status and body, and whether it registered something new."""

    status: int
    body: BaseModel
    registered: bool = False


def load_registry(path: Path) -> dict[str, Licence]:
    rows = json.loads(path.read_text("utf-8"))["businesses"]
    return {row["uscc"]: Licence.model_validate(row) for row in rows}


def _number(prefix: str, digits: int) -> str:
    return f"{prefix}{secrets.randbelow(10**digits):0{digits}d}"


@dataclass(frozen=True)
class Registration:
    """Something a department registered or issued: the answer it gave (no request data)."""

    operation: str
    idempotency_key: str
    response: dict[str, Any]


class Departments:
    """The departments' own state and answers: the licence registry, the answers given per
    idempotency key, what was registered and issued, who already holds an employment
    certificate. The caller serialises calls."""

    def __init__(self, registry: Mapping[str, Licence]) -> None:
        self.registrations: list[Registration] = []
        self._registry = dict(registry)
        self._answers: dict[tuple[str, str], tuple[str, Answer]] = {}  # -> (body digest, answer)
        self._issued: set[str] = set()
        self._certificates: dict[tuple[str, str], EmploymentRegistrationOut] = {}

    def call(
        self, op: Operation, key: str, body: bytes, fresh: Callable[[], Answer]
    ) -> tuple[Answer, bool]:
        """Idempotency per (operation, key) on POST: the first answer again for the same body
        (replayed, nothing registered twice), 409 for another body. True when replayed."""
        digest = contract.content_digest(body)
        stored = self._answers.get((op.name, key)) if op.method == "POST" else None
        if stored is not None and stored[0] != digest:
            mismatch = failure("idempotency.mismatch", "同一幂等键对应了不同的请求体")
            return Answer(409, mismatch), False
        if stored is not None:
            return stored[1], True
        answer = fresh()
        if op.method == "POST" and answer.status in (200, 422):  # the departments' answers
            self._answers[(op.name, key)] = (digest, answer)
        if answer.registered:
            response = answer.body.model_dump(mode="json")
            self.registrations.append(Registration(op.name, key, response))
        return answer, False

    def answer(self, request: BaseModel | None, uscc: str, on: date) -> Answer:
        if isinstance(request, TaxpayerConfirmationIn):
            return self._taxpayer(request, on)
        if isinstance(request, EmploymentRegistrationIn):
            return self._employment(request, on)
        if isinstance(request, PensionRegistrationIn):
            number = self._new_number(lambda: _number(f"YL{request.county}{on.year}", 8))
            registered = PensionRegistrationOut(registration_number=number, registered_on=on)
            return Answer(200, registered, True)
        if isinstance(request, SubsidyPaymentIn):
            number = self._new_number(lambda: _number(f"ZF{on:%Y%m%d}", 10))
            return Answer(200, SubsidyPaymentOut(instruction_id=number, ordered_on=on), True)
        return self._lookup(uscc)

    @staticmethod
    def refusal(operation: str) -> Answer:
        status, refusal = REFUSALS[operation]
        return Answer(status, refusal)

    def _lookup(self, uscc: str) -> Answer:
        licence = self._registry.get(uscc)
        if licence is None:
            return Answer(404, NOT_REGISTERED)
        return Answer(200, licence)

    def put_licence(self, licence: Licence) -> None:
        """Register (or change) a licence, as the registry's own clerks would."""
        self._registry[licence.uscc] = licence

    def _taxpayer(self, request: TaxpayerConfirmationIn, on: date) -> Answer:
        licence = self._registry.get(request.uscc)
        if licence is None:
            reason = "未查询到该统一社会信用代码的营业执照登记信息，无法确认纳税人信息"
            return Answer(422, Refusal(code="taxpayer.unregistered", reason=reason))
        if licence.state != "active":
            reason = "该经营主体登记状态为已注销或已吊销，不能办理纳税人信息确认"
            return Answer(422, Refusal(code="taxpayer.licence_inactive", reason=reason))
        confirmed = TaxpayerConfirmationOut(
            taxpayer_id=licence.uscc, confirmed_on=on, tax_office=TAX_OFFICE
        )
        return Answer(200, confirmed, True)

    def _employment(self, request: EmploymentRegistrationIn, on: date) -> Answer:
        person = (request.person.id_type, request.person.id_number)
        held = self._certificates.get(person)
        if held is not None:
            return Answer(200, held.model_copy(update={"already_held": True}))
        number = self._new_number(lambda: _number(f"JY{request.county}{on.year}", 8))
        issued = EmploymentRegistrationOut(certificate_number=number, issued_on=on)
        self._certificates[person] = issued
        return Answer(200, issued, True)

    def _new_number(self, draw: Callable[[], str]) -> str:
        """A number never issued before (random: nothing about the case can predict it)."""
        number = draw()
        while number in self._issued:
            number = draw()
        self._issued.add(number)
        return number
