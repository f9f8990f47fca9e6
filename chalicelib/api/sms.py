"""/v1/sms/receipts: the SMS provider's delivery-status callback (Tencent Cloud SMS 短信下发状态
回调). The provider posts a JSON array of receipts to the URL configured in its console and
signs nothing; the URL carries a secret token (README "SMS"), compared with the stage's
SHA-256 of it, and each receipt must name an SMS we sent, to the phone we sent it to."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, RootModel

from chalicelib import deps
from chalicelib.api.framework import Call, Operation, QueryParam, Reply, operation
from chalicelib.api.problems import HttpError
from chalicelib.api.schemas import Out
from chalicelib.services import sms_receipts
from chalicelib.settings import get_sms_settings


class SmsReceipt(Out):
    model_config = ConfigDict(extra="ignore")

    user_receive_time: str = Field(default="", max_length=32, description="用户实际接收时间")
    nationcode: str = Field(default="86", max_length=8, description="国家（或地区）码")
    mobile: str = Field(min_length=1, max_length=32, description="手机号码")
    report_status: Literal["SUCCESS", "FAIL"] = Field(description="是否送达：SUCCESS / FAIL")
    errmsg: str = Field(default="", max_length=128, description="回执状态码")
    description: str = Field(default="", max_length=256, description="回执状态说明")
    sid: str = Field(min_length=1, max_length=128, description="发送流水号（SendSms 的 SerialNo）")


class SmsReceipts(RootModel[list[SmsReceipt]]):
    """短信下发状态回调：一次推送可含多条回执（腾讯云短信格式）"""

    root: list[SmsReceipt] = Field(min_length=1, max_length=1000)


class SmsReceiptsAck(Out):
    result: int = Field(description="0 表示已接收（服务商据此判断推送成功）")
    errmsg: str = Field(description="OK")
    recorded: int = Field(description="本次更新了短信状态的回执数")


@operation(
    Operation(
        name="record_sms_receipts",
        method="POST",
        path="/v1/sms/receipts",
        summary="短信服务商的下发状态回调：记录每条短信的最终状态（已送达 / 未送达）",
        tag="sms",
        roles=None,
        responses={200: SmsReceiptsAck},
        body=SmsReceipts,
        query={"token": QueryParam("回调凭证（配置在服务商控制台的回调地址中）")},
        errors=(401,),
    ),
)
def record_sms_receipts(call: Call) -> Reply:
    if not sms_receipts.token_matches(
        call.query("token"), get_sms_settings().callback_token_sha256
    ):
        raise HttpError("短信回执回调凭证无效", status=401, code="sms_receipts.token_invalid")
    receipts = [
        sms_receipts.Receipt(r.sid, r.mobile, r.report_status == "SUCCESS") for r in call.body.root
    ]
    recorded = sms_receipts.record_receipts(deps.sms_services(), receipts)
    return Reply(200, SmsReceiptsAck(result=0, errmsg="OK", recorded=recorded))
