"""The contract we need from the departments' systems, reached through the province's
data-sharing gateway (whose concrete interfaces we do not have): what we send, what we expect
back, and how each request is signed. Published as ``docs/connectors.openapi.json``
(``python -m devtools.connectors_doc``; a test checks it is current and valid).

The production adapter (``integrations.gateway``) and the local stand-ins of the departments
(``devtools/departments.py``) are both written against these models and this signature.

Signing, as such gateways do it: every request carries ``X-App-Id``, ``X-Timestamp`` (Unix
seconds), ``X-Nonce`` (random, once), ``X-Content-SHA256`` (hex digest of the body, empty body
included) and ``X-Signature``: Base64 of HMAC-SHA256 under the app's secret over
``METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nCONTENT_SHA256`` (PATH exactly as sent, percent-encoded;
no operation takes query parameters). ``X-Timestamp`` is whole Unix seconds, the digest
lowercase hex. The gateway refuses a timestamp more than five minutes from its clock, and a
nonce it has seen from the same app id until that nonce's timestamp is five minutes old
(replays); a refused request uses up no nonce.

Every POST carries ``Idempotency-Key``: one per (case, item, operation), so a repeated call
registers nothing twice. The key binds the body's exact bytes: the same key with the same
bytes gets the first answer again (a 200 or a 422 refusal, with ``Idempotency-Replayed:
true``); with other bytes it is refused (409). A lookup (GET) may carry one; it changes
nothing. Answers: 200 the result; 404 (lookup only) not registered; 422 a business refusal
with the department's code and Chinese reason; 400, 401, 409 our request; 429, 503 later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

REPLAY_WINDOW_S = 300
SIGNED_HEADERS = ("X-App-Id", "X-Timestamp", "X-Nonce", "X-Content-SHA256", "X-Signature")
IDEMPOTENCY_HEADER = "Idempotency-Key"


def content_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical(method: str, path: str, timestamp: str, nonce: str, digest: str) -> bytes:
    return "\n".join((method.upper(), path, timestamp, nonce, digest)).encode("utf-8")


def signature(secret: str, method: str, path: str, timestamp: str, nonce: str, digest: str) -> str:
    mac = hmac.new(
        secret.encode("utf-8"), canonical(method, path, timestamp, nonce, digest), "sha256"
    )
    return base64.b64encode(mac.digest()).decode("ascii")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


IdType = Literal[
    "resident_id_card",
    "social_security_card",
    "hkmt_residence_permit",
    "hk_macao_permit",
    "taiwan_permit",
]


class Person(_Body):
    id_type: IdType = Field(description="证件类别")
    id_number: str = Field(min_length=8, max_length=18, description="证件号码")
    name: str = Field(min_length=1, max_length=50, description="姓名")


class Licence(_Body):
    """市场监管: the registry's record of a business licence."""

    uscc: str = Field(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$", description="统一社会信用代码")
    name: str = Field(description="营业执照名称")
    operator_id_number: str = Field(description="经营者证件号码")
    registered_on: date = Field(description="登记（成立）日期")
    state: Literal["active", "cancelled", "revoked"] = Field(description="登记状态")


class TaxpayerConfirmationIn(_Body):
    """税务: confirm the new 一照一码 taxpayer."""

    uscc: str = Field(description="统一社会信用代码（即纳税人识别号）")
    business_name: str
    operator: Person
    application_id: str = Field(description="联办办件编号")


class TaxpayerConfirmationOut(_Body):
    taxpayer_id: str = Field(description="纳税人识别号")
    confirmed_on: date
    tax_office: str = Field(description="主管税务机关")


class EmploymentRegistrationIn(_Body):
    """人社就业: register the employment and issue the 就业创业证."""

    person: Person
    gender: Literal["male", "female"]
    birth_date: date | None = None
    uscc: str
    business_name: str
    county: str = Field(pattern=r"^4103\d\d$")
    application_id: str


class EmploymentRegistrationOut(_Body):
    certificate_number: str = Field(description="就业创业证编号（人社部门核发）")
    issued_on: date
    already_held: bool = Field(default=False, description="申请人已持有就业创业证（返回原证号）")


class PensionRegistrationIn(_Body):
    """人社社保: register the flexible worker's pension insurance (after the officer's review)."""

    person: Person
    contribution_base: int = Field(gt=0, description="月缴费基数（元）")
    uscc: str
    county: str = Field(pattern=r"^4103\d\d$")
    application_id: str


class PensionRegistrationOut(_Body):
    registration_number: str = Field(description="参保登记编号（人社部门核发）")
    registered_on: date


class SubsidyPaymentIn(_Body):
    """人社财务: a payment instruction for an approved one-time start-up subsidy."""

    person: Person
    amount: int = Field(gt=0, description="补贴金额（元）")
    bank: str = Field(description="社会保障卡金融账户开户行")
    account: str = Field(pattern=r"^\d{12,30}$", description="社会保障卡金融账户账号")
    category: str
    application_id: str


class SubsidyPaymentOut(_Body):
    instruction_id: str = Field(description="支付指令编号")
    ordered_on: date


class Refusal(_Body):
    """A business refusal defined by the contract (HTTP 422): the department's own reason."""

    code: str = Field(description="稳定的拒绝代码，如 taxpayer.abnormal")
    reason: str = Field(description="拒绝原因（中文，面向申请人）")


class GatewayError(_Body):
    """Anything that is not an answer: signature, replay, idempotency, availability."""

    code: str
    message: str


@dataclass(frozen=True)
class Operation:
    name: str
    connector: str  # whose system: its health and configuration are kept per connector
    department: str  # the department whose gateway base URL reaches it
    method: Literal["GET", "POST"]
    path: str  # with {uscc} for the licence lookup
    summary: str
    request: type[_Body] | None
    response: type[_Body]


LICENCE_LOOKUP = Operation(
    "licence.lookup",
    "market_regulation",
    "market_regulation",
    "GET",
    "/market-regulation/v1/licences/{uscc}",
    "按统一社会信用代码查询营业执照登记信息（404 licence.not_found：未登记）",
    None,
    Licence,
)
TAXPAYER_CONFIRM = Operation(
    "taxpayer.confirm",
    "tax",
    "tax",
    "POST",
    "/tax/v1/taxpayer-confirmations",
    "纳税人（一照一码户）信息确认",
    TaxpayerConfirmationIn,
    TaxpayerConfirmationOut,
)
EMPLOYMENT_REGISTER = Operation(
    "employment.register",
    "hrss_employment",
    "hrss",
    "POST",
    "/hrss/v1/employment-registrations",
    "就业登记并核发就业创业证（已持有的返回原证号）",
    EmploymentRegistrationIn,
    EmploymentRegistrationOut,
)
PENSION_REGISTER = Operation(
    "pension.register",
    "hrss_social_insurance",
    "hrss",
    "POST",
    "/hrss/v1/pension-registrations",
    "灵活就业人员参加企业职工养老保险登记",
    PensionRegistrationIn,
    PensionRegistrationOut,
)
SUBSIDY_PAYMENT = Operation(
    "subsidy.payment",
    "hrss_finance",
    "hrss",
    "POST",
    "/hrss/v1/subsidy-payments",
    "一次性开业补贴支付指令",
    SubsidyPaymentIn,
    SubsidyPaymentOut,
)
OPERATIONS = (
    LICENCE_LOOKUP,
    TAXPAYER_CONFIRM,
    EMPLOYMENT_REGISTER,
    PENSION_REGISTER,
    SUBSIDY_PAYMENT,
)
CONNECTORS = tuple(dict.fromkeys(op.connector for op in OPERATIONS))
DEPARTMENT_OF = {op.connector: op.department for op in OPERATIONS}


def operation(name: str) -> Operation:
    return next(op for op in OPERATIONS if op.name == name)
