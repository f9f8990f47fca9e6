"""TC3-HMAC-SHA256, Tencent Cloud API 3.0's request signature, checked the way the service
checks it (the SMS stand-in uses it; the SDK signs, this verifies):

    CanonicalRequest = Method \\n URI \\n Query \\n content-type:… \\n host:… \\n \\n
                       content-type;host \\n hex(SHA256(payload))
    StringToSign     = TC3-HMAC-SHA256 \\n Timestamp \\n Date/service/tc3_request \\n
                       hex(SHA256(CanonicalRequest))
    key              = HMAC(HMAC(HMAC("TC3" + SecretKey, Date), service), "tc3_request")
    Signature        = hex(HMAC(key, StringToSign))
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime

ALGORITHM = "TC3-HMAC-SHA256"
MAX_SKEW_S = 300  # the service refuses a request signed more than 5 minutes away
_AUTHORIZATION = re.compile(
    r"TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d\d-\d\d)/(?P<service>[a-z]+)"
    r"/tc3_request, SignedHeaders=(?P<headers>[a-z;-]+), Signature=(?P<signature>[0-9a-f]{64})"
)


class SignatureError(Exception):
    """A request the service would refuse: ``code`` is the service's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _sign(
    secret_key: str,
    headers: Mapping[str, str],
    body: bytes,
    method: str,
    uri: str,
    date: str,
    service: str,
) -> str:
    canonical_headers = f"content-type:{headers['content-type']}\nhost:{headers['host']}\n"
    canonical = "\n".join(
        [method, uri, "", canonical_headers, "content-type;host", hashlib.sha256(body).hexdigest()]
    )
    scope = f"{date}/{service}/tc3_request"
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    to_sign = f"{ALGORITHM}\n{headers['x-tc-timestamp']}\n{scope}\n{digest}"
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def verify(
    secrets: Mapping[str, str], headers: Mapping[str, str], body: bytes, now: float, service: str
) -> str:
    """Check a request's signature; return the SecretId that signed it. ``headers``: lower-case
    names. Raises ``SignatureError`` with the code the service answers."""
    match = _AUTHORIZATION.fullmatch(headers.get("authorization", ""))
    if match is None or match["service"] != service or match["headers"] != "content-type;host":
        raise SignatureError("AuthFailure.InvalidAuthorization", "Authorization 格式不正确")
    secret_key = secrets.get(match["id"])
    if secret_key is None:
        raise SignatureError("AuthFailure.SecretIdNotFound", "SecretId 不存在")
    try:
        timestamp = int(headers.get("x-tc-timestamp", ""))
    except ValueError as exc:
        raise SignatureError("AuthFailure.InvalidAuthorization", "X-TC-Timestamp 无效") from exc
    if abs(now - timestamp) > MAX_SKEW_S:
        raise SignatureError("AuthFailure.SignatureExpire", "签名已过期")
    if datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d") != match["date"]:
        raise SignatureError("AuthFailure.InvalidAuthorization", "Credential 中的日期不正确")
    expected = _sign(secret_key, headers, body, "POST", "/", match["date"], service)
    if not hmac.compare_digest(expected, match["signature"]):
        raise SignatureError("AuthFailure.SignatureFailure", "签名校验失败")
    return match["id"]
