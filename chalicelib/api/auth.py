"""Bearer tokens to principals, for the API's authorizer.

Production stages verify RS256 tokens against the stage's JWKS document (``AUTH_JWKS``), with
issuer and audience checked and a bounded clock skew; only the local stage accepts HS256 with
its shared secret. An applicant's subject is their ID number: from here on only its keyed hash
is kept (it becomes the principal id and the subject the routes see).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from chalicelib.api.problems import Unauthorized
from chalicelib.domain.access import Principal, Role
from chalicelib.domain.calendar import local_date
from chalicelib.domain.person import KeyRing, SubjectInvalid, subject_identity
from chalicelib.settings import Settings

LEEWAY_S = 30  # bounded clock skew between the token issuer and us
LOCAL_STAGE = "local"
REQUIRED_CLAIMS = ["exp", "sub", "role", "iss", "aud"]
# A token is a session of the mini-app or the staff portal, not a standing credential: one
# that lives longer (from its iat, or from now when it has none) is refused.
MAX_LIFETIME_S = 12 * 3600
_ALIASES = "aliases"  # the authorizer context's comma-separated older person keys

if TYPE_CHECKING:
    import jwt

# PyJWT (and the cryptography modules it loads for RS256) is imported only where a token is
# verified: in the authorizer's function. The API's routes read the principal from the
# authorizer's context (from_context below) and do not pay for it on a cold start.


@cache
def _jwks(document: str) -> jwt.PyJWKSet:
    import jwt

    return jwt.PyJWKSet.from_dict(json.loads(document))


def _key_and_algorithm(token: str, settings: Settings) -> tuple[Any, str]:
    import jwt

    if not (settings.auth_issuer and settings.auth_audience):
        raise Unauthorized("本环境未配置令牌的签发方和受众")
    if settings.auth_jwks:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            keys = [key for key in _jwks(settings.auth_jwks).keys if key.key_id == kid]
        except jwt.PyJWTError as exc:
            raise Unauthorized("令牌无效") from exc
        if not kid or not keys:
            raise Unauthorized("令牌的签名密钥未知")
        if keys[0].key_type != "RSA":  # RS256 only: another key type cannot verify it
            raise Unauthorized("令牌的签名密钥不是 RSA 密钥")
        return keys[0].key, "RS256"
    if settings.stage == LOCAL_STAGE and settings.auth_jwt_secret:
        return settings.auth_jwt_secret, "HS256"
    raise Unauthorized("本环境未配置令牌验证密钥")


def claims_of(header: str | None, settings: Settings) -> dict[str, Any]:
    if not header or not header.lower().startswith("bearer "):
        raise Unauthorized("缺少 Authorization: Bearer 令牌")
    import jwt

    token = header[7:].strip()
    key, algorithm = _key_and_algorithm(token, settings)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[algorithm],  # one algorithm per stage: no "none", no HS/RS confusion
            issuer=settings.auth_issuer,
            audience=settings.auth_audience,
            options={"require": REQUIRED_CLAIMS},
            leeway=LEEWAY_S,
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("令牌已过期", code="token_expired") from exc
    except (jwt.PyJWTError, TypeError, ValueError) as exc:  # a key that cannot verify: refuse
        raise Unauthorized("令牌无效") from exc
    _check_lifetime(claims)
    return claims


def _check_lifetime(claims: Mapping[str, Any]) -> None:
    expires, issued = claims["exp"], claims.get("iat")
    start = issued if isinstance(issued, int | float) else time.time()
    if not isinstance(expires, int | float) or expires - start > MAX_LIFETIME_S + LEEWAY_S:
        raise Unauthorized("令牌有效期超过 12 小时", code="token.lifetime_too_long")


def applicant_keys(subject: str, settings: Settings) -> tuple[str, ...]:
    """The applicant's person keys (current first) from their token subject, which must be a
    valid number of a supported identity document as it stands."""
    today = local_date(datetime.now(UTC))
    try:
        family, identity_key = subject_identity(subject, today)
    except SubjectInvalid as exc:
        raise Unauthorized("令牌主体不是有效的证件号码", code="token.subject_invalid") from exc
    return KeyRing.parse(settings.person_key_secret).keys(family, identity_key)


def principal_of(claims: Mapping[str, Any], settings: Settings) -> Principal:
    try:
        role = Role(claims["role"])
    except ValueError as exc:
        raise Unauthorized("令牌中的角色无效") from exc
    subject, aliases = str(claims["sub"]), tuple[str, ...]()
    if role is Role.APPLICANT:
        subject, *older = applicant_keys(subject, settings)
        aliases = tuple(older)
    department, county = claims.get("department"), claims.get("county")
    if role is Role.OFFICER and not (department and county):
        raise Unauthorized("工作人员令牌缺少部门或县区")
    if role is Role.CLERK and not county:
        raise Unauthorized("窗口人员令牌缺少县区")
    return Principal(role, subject, department=department, county=county, aliases=aliases)


def authenticate(header: str | None, settings: Settings) -> Principal:
    return principal_of(claims_of(header, settings), settings)


# The principal travels from the authorizer to the route in API Gateway's authorizer context,
# whose values are strings; absent fields are left out.
def to_context(principal: Principal) -> dict[str, str]:
    fields = {
        "role": principal.role.value,
        "subject": principal.subject,
        "department": principal.department,
        "county": principal.county,
        _ALIASES: ",".join(principal.aliases),
    }
    return {name: value for name, value in fields.items() if value}


def from_context(context: Mapping[str, Any] | None) -> Principal:
    if not context or "role" not in context or "subject" not in context:
        raise Unauthorized("请求未经令牌验证")
    return Principal(
        role=Role(context["role"]),
        subject=str(context["subject"]),
        department=context.get("department") or None,
        county=context.get("county") or None,
        aliases=tuple(a for a in str(context.get(_ALIASES) or "").split(",") if a),
    )


def _policy(effect: str, method_arn: str) -> dict[str, Any]:
    # The whole API (every stage path and method): API Gateway caches the answer per token.
    api = "/".join(method_arn.split("/")[:2])
    return {
        "Version": "2012-10-17",
        "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": [f"{api}/*"]}],
    }


def authorizer_response(header: str | None, method_arn: str, settings: Settings) -> dict[str, Any]:
    """The authorizer's answer: allow with the principal, or deny saying why (the gateway
    renders the denial as problem+json from ``code`` and ``detail``; see api/gateway.py)."""
    try:
        principal = authenticate(header, settings)
    except Unauthorized as error:
        return {
            "principalId": "anonymous",
            "policyDocument": _policy("Deny", method_arn),
            "context": {"code": error.code, "detail": error.detail},
        }
    return {
        "principalId": principal.subject,
        "policyDocument": _policy("Allow", method_arn),
        "context": to_context(principal),
    }
