"""The SMS port and its Tencent Cloud SMS adapter (API 2021-01-11, ``SendSms``), through the
provider's official SDK (``tencentcloud-sdk-python-sms``), loaded only inside the sender.

Why Tencent Cloud: its SDK is small (the SMS module and a common core on ``requests``),
published by the provider with every API change, and signs with TC3-HMAC-SHA256, whose rules
are public, so a local stand-in can check the very signature the real service checks.

What the provider answers is sorted here into what the sender does about it: sent (with the
provider's serial number, which its receipts name), throttled for this phone (hold and try
later), transient (retry with backoff) or permanent (record, never retry). The phone number is
never logged; error details from the provider are logged by code only.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlparse

log = logging.getLogger(__name__)
SDK_LOGGER = "tencentcloud_sdk_common"


class Outcome(StrEnum):
    SENT = "sent"
    THROTTLED = "throttled"  # the provider's own per-phone limit: try again later
    TRANSIENT = "transient"  # the provider or the network failed: retry with backoff
    PERMANENT = "permanent"  # retrying cannot help: template, signature, number, content


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    serial: str = ""  # the provider's id of the SMS (sent only)
    code: str = ""  # the provider's error code, if any


class SmsGateway(ABC):
    @abstractmethod
    def send(self, phone: str, template_id: str, params: Sequence[str], context: str) -> SendResult:
        """Send one SMS from an approved template to one mainland mobile number (11 digits).
        ``context`` comes back in the provider's answer (the notification id)."""


@dataclass(frozen=True)
class Credentials:
    secret_id: str
    secret_key: str


# Error codes of SendSms (tencentcloud.sms.v20210111.errorcodes), by what to do about them.
_PERMANENT_PREFIXES = ("InvalidParameter", "UnauthorizedOperation", "UnsupportedOperation")
_PERMANENT = frozenset(
    {
        "FailedOperation.TemplateIncorrectOrUnapproved",
        "FailedOperation.TemplateUnapprovedOrNotExist",
        "FailedOperation.TemplateIdNotExist",
        "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
        "FailedOperation.SignatureIncorrectOrUnapproved",
        "FailedOperation.MissingSignature",
        "FailedOperation.MissingSignatureList",
        "FailedOperation.PhoneNumberInBlacklist",
        "FailedOperation.ContainSensitiveWord",
        "FailedOperation.FailResolvePacket",
        "FailedOperation.MarketingSendTimeConstraint",
    }
)
_THROTTLED_PREFIX = "LimitExceeded.PhoneNumber"


def classify(code: str) -> Outcome:
    """What to do about one of the provider's error codes (unknown ones: retry)."""
    if code.startswith(_THROTTLED_PREFIX):
        return Outcome.THROTTLED
    if code in _PERMANENT or code.startswith(_PERMANENT_PREFIXES):
        return Outcome.PERMANENT
    return Outcome.TRANSIENT  # network, InternalError.*, AuthFailure.*, RequestLimitExceeded…


class TencentSmsGateway(SmsGateway):
    """``endpoint``: empty for the provider's own (sms.tencentcloudapi.com over HTTPS), or
    ``http://host:port`` for a local stand-in (devtools/sms_standin.py)."""

    def __init__(
        self,
        credentials: Callable[[], Credentials],
        sdk_app_id: str,
        sign_name: str,
        region: str,
        endpoint: str = "",
        timeout_s: int = 3,
    ) -> None:
        self._credentials = credentials
        self._app_id = sdk_app_id
        self._sign_name = sign_name
        self._region = region
        self._endpoint = endpoint
        self._timeout_s = timeout_s
        self._client: Any = None

    def _sdk_client(self) -> Any:
        if self._client is None:
            from tencentcloud.common import credential
            from tencentcloud.common.profile.client_profile import ClientProfile
            from tencentcloud.common.profile.http_profile import HttpProfile
            from tencentcloud.sms.v20210111 import sms_client

            http = HttpProfile(reqTimeout=self._timeout_s)
            if self._endpoint:
                url = urlparse(self._endpoint)
                http = HttpProfile(
                    protocol=url.scheme, endpoint=url.netloc, reqTimeout=self._timeout_s
                )
            # The SDK logs each request and response whole at DEBUG (the phone with them):
            # never let those records reach a handler.
            sdk_log = logging.getLogger(SDK_LOGGER)
            sdk_log.setLevel(logging.WARNING)
            sdk_log.propagate = False
            keys = self._credentials()
            self._client = sms_client.SmsClient(
                credential.Credential(keys.secret_id, keys.secret_key),
                self._region,
                ClientProfile(httpProfile=http),
            )
        return self._client

    def send(self, phone: str, template_id: str, params: Sequence[str], context: str) -> SendResult:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.SmsSdkAppId = self._app_id
        request.SignName = self._sign_name
        request.TemplateId = template_id
        request.TemplateParamSet = list(params)
        request.PhoneNumberSet = [phone]  # 11 digits: the provider takes them as +86
        request.SessionContext = context
        try:
            response = self._sdk_client().SendSms(request)
        except TencentCloudSDKException as exc:
            code = str(exc.get_code() or "ClientError")
            log.warning("SMS not sent", extra={"code": code, "request_id": exc.get_request_id()})
            return SendResult(classify(code), code=code)
        status = (response.SendStatusSet or [None])[0]
        code = str(getattr(status, "Code", "") or "")
        if status is None or code != "Ok":
            log.warning("SMS not sent", extra={"code": code or "NoStatus"})
            return SendResult(classify(code), code=code or "NoStatus")
        return SendResult(Outcome.SENT, serial=str(status.SerialNo))
