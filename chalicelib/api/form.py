"""The joint application form (the plan's annex 2) as the API accepts it: the codes it takes
from the item catalogue, and each item's own section, derived from the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    create_model,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from chalicelib.domain import catalogue
from chalicelib.domain.forms import In
from chalicelib.domain.window import ATTACHMENT_PURPOSES


class _InCatalogue:
    """A code the item catalogue holds: checked when a value is validated, listed as the
    schema's ``enum`` when the document is made (so a new entry needs no change here)."""

    def __init__(self, values: Callable[[], tuple[str, ...]]) -> None:
        self._values = values

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        found["enum"] = list(self._values())
        return found

    def _check(self, value: str) -> str:
        if value not in self._values():
            expected = " / ".join(self._values())
            raise PydanticCustomError(
                "literal_error", "Input should be one of {expected}", {"expected": expected}
            )
        return value


ItemCodeT = Annotated[str, _InCatalogue(catalogue.codes)]
DepartmentT = Annotated[str, _InCatalogue(catalogue.department_codes)]
IdTypeT = Literal[
    "resident_id_card",
    "social_security_card",
    "hkmt_residence_permit",
    "hk_macao_permit",
    "taiwan_permit",
]


class ApplicantIn(In):
    name: str = Field(min_length=1, max_length=50, description="申请人姓名")
    gender: Literal["male", "female"] = Field(description="性别，须与证件号码一致")
    ethnicity: str = Field(max_length=10, description="民族（GB 3304 的 56 个民族之一，如“汉族”）")
    phone: str = Field(
        max_length=20,
        description="联系电话：内地手机号（11 位）、固定电话（区号-号码，如 0379-63211234），"
        "或港澳台电话（+852、+853 加 8 位号码；+886 加 9 开头的 9 位手机号或固定电话号码）；"
        "仅内地手机号接收短信",
    )
    id_type: IdTypeT = Field(description="有效身份证件类别")
    id_number: str = Field(min_length=1, max_length=32, description="证件号码")
    address: str = Field(min_length=1, max_length=200, description="现居地")
    birth_date: date | None = Field(
        default=None, description="出生日期；证件号码不含出生日期时（港澳、台湾通行证）必填"
    )


class AgentIn(In):
    """受委托人：代申请人到综合受理窗口办理的人（仅窗口受理；须附申请人的授权委托书）。"""

    name: str = Field(min_length=1, max_length=50, description="受委托人姓名")
    id_type: IdTypeT = Field(description="受委托人有效身份证件类别")
    id_number: str = Field(
        min_length=1, max_length=32, description="受委托人证件号码（校验规则同申请人）"
    )
    relationship: str = Field(
        min_length=1, max_length=20, description="与申请人的关系，如 配偶、子女、朋友"
    )


class SignatureIn(In):
    """窗口受理的签字确认（附件2：申请人或受委托人签名）。"""

    signer: Literal["applicant", "agent"] = Field(
        default="applicant", description="签名人：applicant 申请人本人 / agent 受委托人"
    )
    method: Literal["signed_form", "e_signature"] = Field(
        description="签名方式：signed_form 上传签字的申请表（attachments 用途 signed_form）/ "
        "e_signature 窗口电子签名（填写签署编号）"
    )
    reference: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{5,63}$",
        description="窗口电子签名系统的签署编号（e_signature 时必填）",
    )


class Out(BaseModel):
    """The response models' base (``api.schemas`` and the route modules use it)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class AgentView(Out):
    """The applicant's agent at the window: masked like the applicant's fields."""

    name: str = Field(description="受委托人姓名（无需使用者只见姓）")
    id_type: IdTypeT = Field(description="受委托人证件类型")
    id_number: str = Field(description="受委托人证件号码（无需使用者脱敏）")
    relationship: str = Field(description="与申请人的关系")
    masked: list[Literal["name", "id_number"]] = Field(description="本次脱敏显示的字段")


class SignatureView(Out):
    signer: Literal["applicant", "agent"] = Field(description="签名人：申请人或受委托人")
    method: Literal["signed_form", "e_signature"] = Field(
        description="签名方式：上传签字的申请表或窗口电子签名"
    )
    reference: str | None = Field(default=None, description="窗口电子签名的签署编号")


class BusinessIn(In):
    name: str = Field(min_length=1, max_length=100, description="个体工商户营业执照名称")
    uscc: str = Field(min_length=1, max_length=18, description="统一社会信用代码（18 位）")


class DeliveryIn(In):
    method: Literal["mail", "pickup"] = Field(
        description="证照领取方式：邮递寄送或政务服务中心自取"
    )
    address: str | None = Field(default=None, max_length=200, description="收件地址（邮寄时必填）")
    recipient: str | None = Field(default=None, max_length=50, description="收件人（邮寄时必填）")
    phone: str | None = Field(
        default=None,
        max_length=20,
        description="收件人联系电话（邮寄时必填；格式同 applicant.phone）",
    )
    service_center: str | None = Field(
        default=None, max_length=100, description="自取的政务服务中心（自取时必填）"
    )


APPLICATION_EXAMPLE: dict[str, Any] = {
    "items": [
        "license_verification",
        "taxpayer_confirmation",
        "employment_certificate",
        "pension_registration",
        "startup_subsidy",
    ],
    "applicant": {
        "name": "张三",
        "gender": "male",
        "ethnicity": "汉族",
        "phone": "13800138000",
        "id_type": "resident_id_card",
        "id_number": "410302199001019018",
        "address": "洛阳市老城区示例街1号",
    },
    "business": {"name": "洛阳市老城区示例小吃店", "uscc": "92410302MA47K2NQ4D"},
    "pension": {"contribution_base": 4000},
    "subsidy": {
        "category": "returning_migrant_worker",
        "bank": "中国银行洛阳分行",
        "account": "6216610200001234567",
        "first_startup": True,
        "employed_when_starting": False,
    },
    "delivery": {
        "method": "mail",
        "address": "洛阳市老城区示例街1号",
        "recipient": "张三",
        "phone": "13800138000",
    },
    "consent": True,
    "county": "410302",
}


AttachmentPurposeT = Literal["id_photo", "id_document", "authorisation", "signed_form", "other"]
assert get_args(AttachmentPurposeT) == ATTACHMENT_PURPOSES  # noqa: S101  # nosec B101


class AttachmentIn(In):
    purpose: AttachmentPurposeT = Field(
        description="材料用途：id_photo 证件照（照片粘贴处）、id_document 证件图像、"
        "authorisation 授权委托书（受委托人代办时）、signed_form 签字确认的申请表（窗口）、"
        "other 其他"
    )
    key: str = Field(min_length=1, max_length=300, description="POST /v1/uploads 返回的对象键")


class _ApplicationBase(In):
    model_config = ConfigDict(json_schema_extra={"examples": [APPLICATION_EXAMPLE]})


def _application_model() -> type[In]:
    """The form: what every case has, and each item's own section (its catalogue entry's),
    required when that item is chosen (``domain.application``)."""
    sections: dict[str, Any] = {
        form.name: (form.model() | None, Field(default=None, description=f"选择{form.label}时必填"))
        for _, form in catalogue.form_sections()
    }
    fields: dict[str, Any] = {
        "items": (
            list[ItemCodeT],
            Field(
                min_length=1,
                max_length=len(catalogue.codes()),
                description="联办事项（可任选，不可重复）",
            ),
        ),
        "applicant": (ApplicantIn, ...),
        "business": (BusinessIn, ...),
        **sections,
        "delivery": (DeliveryIn, ...),
        "consent": (bool, Field(description="申请人承诺：确认申报信息真实有效（须为 true）")),
        "attachments": (
            list[AttachmentIn],
            Field(
                default_factory=list, max_length=10, description="已上传的证件照与证件图像（可选）"
            ),
        ),
        "county": (str, Field(max_length=6, description="受理县区行政区划代码（4103xx）")),
        "agent": (
            AgentIn | None,
            Field(default=None, description="受委托人（仅窗口受理，委托他人代办时填写）"),
        ),
        "signature": (
            SignatureIn | None,
            Field(default=None, description="签字确认（窗口受理时必填；线上申请可不填）"),
        ),
        "data_sharing": (
            bool | None,
            Field(
                default=None,
                description="申请人是否授权调取电子证照和共享数据（窗口受理时必填）；"
                "false 时须上传身份证件图像（attachments 用途 id_document）",
            ),
        ),
    }
    model: type[In] = create_model("ApplicationIn", __base__=_ApplicationBase, **fields)
    return model


ApplicationIn = _application_model()
