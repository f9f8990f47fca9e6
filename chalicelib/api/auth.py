"""Bearer tokens to principals (HS256 with the stage's secret; RS256 arrives with JWKS)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jwt

from chalicelib.domain.access import Principal, Role
from chalicelib.domain.person import person_key, subject_identity_key
from chalicelib.errors import Unauthorized
from chalicelib.settings import Settings

LEEWAY_S = 30  # bounded clock skew between the token issuer and us


def _claims(header: str | None, secret: str) -> dict[str, Any]:
    if not header or not header.lower().startswith("bearer "):
        raise Unauthorized("缺少 Authorization: Bearer 令牌")
    if not secret:
        raise Unauthorized("本环境未配置令牌密钥")
    token = header[7:].strip()
    try:
        return jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"require": ["exp", "sub", "role"]},
            leeway=LEEWAY_S,
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("令牌已过期", code="token_expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("令牌无效") from exc


def authenticate(headers: Mapping[str, str], settings: Settings) -> Principal:
    claims = _claims(headers.get("authorization"), settings.auth_jwt_secret)
    try:
        role = Role(claims["role"])
    except ValueError as exc:
        raise Unauthorized("令牌中的角色无效") from exc
    subject = str(claims["sub"])
    if role is Role.APPLICANT:
        # The applicant's subject is their ID number: from here on only its keyed hash is kept.
        subject = person_key(settings.person_key_secret, subject_identity_key(subject))
    department, county = claims.get("department"), claims.get("county")
    if role is Role.OFFICER and not (department and county):
        raise Unauthorized("工作人员令牌缺少部门或县区")
    if role is Role.CLERK and not county:
        raise Unauthorized("窗口人员令牌缺少县区")
    return Principal(role=role, subject=subject, department=department, county=county)
