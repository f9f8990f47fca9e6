"""Tokens: the authorizer verifies them (RS256 against the stage's JWKS in production, HS256
only in the local stage), the gateway answers refusals as problem+json, routes check roles."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from chalicelib import deps
from chalicelib.api.auth import authenticate, authorizer_response
from chalicelib.api.problems import Unauthorized
from chalicelib.settings import Settings, get_settings
from tests.conftest import LOCAL_ENV, SECRET, bearer

ISSUER, AUDIENCE = "https://idp.example.cn", "yijianshi-api"
ARN = "arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/api/GET/v1/me/applications"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks(*keys: tuple[str, Any]) -> str:
    found = []
    for kid, key in keys:
        jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        found.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
    return json.dumps({"keys": found})


PROD = Settings(
    stage="prod",
    auth_jwks=_jwks(("k1", KEY)),
    auth_issuer=ISSUER,
    auth_audience=AUDIENCE,
    person_key_secret="p" * 32,
)


def _claims(**extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "sub": "410302199001019018",
        "role": "applicant",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 600,
        **extra,
    }


def _rs256(key: Any = KEY, kid: str = "k1", **extra: Any) -> str:
    token = jwt.encode(_claims(**extra), key, algorithm="RS256", headers={"kid": kid})
    return f"Bearer {token}"


def _refusal(header: str | None, settings: Settings = PROD) -> tuple[str, str]:
    with pytest.raises(Unauthorized) as caught:
        authenticate(header, settings)
    return caught.value.code, caught.value.detail


def test_production_accepts_an_rs256_token_signed_by_a_key_of_its_jwks() -> None:
    principal = authenticate(_rs256(), PROD)
    assert principal.role == "applicant"
    assert principal.subject != "410302199001019018"  # the keyed hash, never the ID number
    assert principal.subject.startswith("v1.") and int(principal.subject[3:], 16) > 0


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "unauthorized"),
        ("Basic abc", "unauthorized"),
        (_rs256(OTHER_KEY), "unauthorized"),  # signed by a key not in the JWKS
        (_rs256(kid="k9"), "unauthorized"),  # unknown key id
        (_rs256(iss="https://evil.example"), "unauthorized"),
        (_rs256(aud="another-api"), "unauthorized"),
        (_rs256(exp=int(time.time()) - 31), "token_expired"),  # beyond the 30 s skew
        (_rs256(role="superuser"), "unauthorized"),
        (_rs256(role="officer", sub="o-1"), "unauthorized"),  # officer without department
    ],
)
def test_production_refuses_tokens_it_cannot_trust(header: str | None, code: str) -> None:
    assert _refusal(header)[0] == code


def test_production_never_accepts_hs256_not_even_signed_with_the_public_key() -> None:
    shared = jwt.encode(_claims(), "x" * 32, algorithm="HS256", headers={"kid": "k1"})
    assert _refusal(f"Bearer {shared}")[0] == "unauthorized"
    unsigned = jwt.encode(_claims(), None, algorithm="none", headers={"kid": "k1"})
    assert _refusal(f"Bearer {unsigned}")[0] == "unauthorized"


def test_clock_skew_is_bounded_not_ignored() -> None:
    assert authenticate(_rs256(exp=int(time.time()) - 20), PROD).role == "applicant"
    assert _refusal(_rs256(exp=int(time.time()) - 60))[0] == "token_expired"


def test_hs256_is_for_the_local_stage_only() -> None:
    local = Settings(
        stage="local",
        auth_jwt_secret=SECRET,
        auth_issuer=LOCAL_ENV["AUTH_ISSUER"],
        auth_audience=LOCAL_ENV["AUTH_AUDIENCE"],
        person_key_secret="p" * 32,
    )
    header = bearer()["Authorization"]
    assert authenticate(header, local).role == "applicant"
    elsewhere = Settings(**{**local.__dict__, "stage": "prod"})
    assert _refusal(header, elsewhere)[1] == "本环境未配置令牌验证密钥"


def test_a_stage_without_issuer_and_audience_accepts_nothing() -> None:
    bare = Settings(stage="prod", auth_jwks=PROD.auth_jwks)
    assert _refusal(_rs256(), bare)[0] == "unauthorized"


def test_the_authorizer_allows_the_whole_api_or_denies_saying_why() -> None:
    allowed = authorizer_response(_rs256(), ARN, PROD)
    assert allowed["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert allowed["policyDocument"]["Statement"][0]["Resource"] == [
        "arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/api/*"
    ]
    assert allowed["principalId"] == allowed["context"]["subject"]  # no ID number at the gateway
    assert allowed["context"]["role"] == "applicant"
    denied = authorizer_response(_rs256(exp=1), ARN, PROD)
    assert denied["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert denied["context"] == {"code": "token_expired", "detail": "令牌已过期"}


@pytest.fixture
def prod_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AUTH_JWKS", PROD.auth_jwks)
    monkeypatch.setenv("AUTH_ISSUER", ISSUER)
    monkeypatch.setenv("AUTH_AUDIENCE", AUDIENCE)
    get_settings.cache_clear()
    get_settings()  # cached now, before the test client patches the local stage's variables
    yield
    deps.reset()


def test_a_route_behind_the_authorizer_serves_an_rs256_caller(client: Any, prod_keys: None) -> None:
    reply = client.http.get("/v1/me/applications", headers={"Authorization": _rs256()})
    assert reply.status_code == 200, reply.body
    refused = client.http.get("/v1/me/applications", headers=bearer())  # HS256 here: refused
    assert refused.status_code == 401


def test_the_gateway_answers_refusals_as_problem_json(client: Any) -> None:
    missing = client.http.get("/v1/me/applications")
    assert missing.status_code == 401
    assert missing.headers["Content-Type"] == "application/problem+json"
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    expired = client.http.get("/v1/me/applications", headers=bearer(exp=int(time.time()) - 300))
    body = json.loads(expired.body)
    assert (expired.status_code, body["code"], body["detail"]) == (
        401,
        "token_expired",
        "令牌已过期",
    )
    assert body["instance"] == "/v1/me/applications"
    unknown = client.http.get("/v1/no-such-thing", headers=bearer())
    assert unknown.status_code == 404
    assert json.loads(unknown.body)["code"] == "not_found"


def test_a_valid_token_with_the_wrong_role_is_refused_by_the_route(client: Any) -> None:
    reply = client.http.get("/v1/departments/hrss/tasks", headers=bearer())
    assert reply.status_code == 403
    assert json.loads(reply.body)["code"] == "forbidden"


# -- hardening (issue 14): key types, lifetimes, subjects, the stage -----------------------


def test_a_jwks_key_that_is_not_rsa_is_a_401_not_a_500() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec
    from jwt.algorithms import ECAlgorithm

    curve_key = ec.generate_private_key(ec.SECP256R1())
    jwk = {**json.loads(ECAlgorithm.to_jwk(curve_key.public_key())), "kid": "e1", "use": "sig"}
    octet = {"kty": "oct", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0", "kid": "o1"}
    mixed = Settings(**{**PROD.__dict__, "auth_jwks": json.dumps({"keys": [jwk, octet]})})
    for kid in ("e1", "o1"):
        assert _refusal(_rs256(kid=kid), mixed)[0] == "unauthorized"


def test_a_token_living_longer_than_12_hours_is_refused() -> None:
    now = int(time.time())
    assert _refusal(_rs256(exp=now + 13 * 3600))[0] == "token.lifetime_too_long"
    assert _refusal(_rs256(iat=now - 3600, exp=now + 12 * 3600))[0] == "token.lifetime_too_long"
    assert authenticate(_rs256(exp=now + 11 * 3600), PROD).role == "applicant"


@pytest.mark.parametrize(
    "subject",
    [
        "410302199001019017",  # check digit wrong
        " 410302199001019018",  # padded: never trimmed into someone's key
        "41030219900101901",  # 17 characters
        "12345678ABC",  # not a Taiwan permit number, but its first 8 digits were one
        "H1234567",  # HK/Macao permit one digit short
        "41030220990101901X",  # born in the future
        "alice",
    ],
)
def test_an_applicant_subject_must_be_a_valid_document_number(subject: str) -> None:
    assert _refusal(_rs256(sub=subject))[0] == "token.subject_invalid"


def test_each_supported_document_gives_a_versioned_key_of_its_own() -> None:
    keys = {
        sub: authenticate(_rs256(sub=sub), PROD).subject
        for sub in ("410302199001019018", "810000199001011230", "H12345678", "12345678")
    }
    assert all(k.startswith("v1.") for k in keys.values())
    assert len(set(keys.values())) == len(keys)
    renewed = authenticate(_rs256(sub="H1234567801"), PROD).subject  # renewal count: same person
    assert renewed == keys["H12345678"]


def test_a_missing_stage_means_prod() -> None:
    assert Settings.from_env({}).stage == "prod"
    local_only = Settings.from_env(
        {"AUTH_JWT_SECRET": SECRET, "AUTH_ISSUER": "i", "AUTH_AUDIENCE": "a"}
    )
    assert _refusal(bearer()["Authorization"], local_only)[0] == "unauthorized"


def test_during_a_rotation_the_old_and_the_new_key_both_name_the_applicant() -> None:
    old = authenticate(_rs256(), PROD).subject
    rotating = Settings(**{**PROD.__dict__, "person_key_secret": f"v2={'q' * 32},v1={'p' * 32}"})
    principal = authenticate(_rs256(), rotating)
    assert principal.subject.startswith("v2.") and principal.aliases == (old,)
    assert principal.is_person(old) and principal.is_person(principal.subject)


def test_an_applicants_cases_stay_theirs_while_the_person_key_secret_rotates(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.functional.helpers import application, submit

    before = submit(client, application())
    assert before.status_code == 202, before.body
    case_id = json.loads(before.body)["id"]
    rotating = f"v2={'n' * 40},v1={LOCAL_ENV['PERSON_KEY_SECRET']}"
    monkeypatch.setenv("PERSON_KEY_SECRET", rotating)
    deps.reset()
    get_settings()  # cached before the test client puts the local stage's variables back
    try:
        mine = client.http.get(f"/v1/applications/{case_id}", headers=bearer())
        assert mine.status_code == 200, mine.body
        listed = json.loads(client.http.get("/v1/me/applications", headers=bearer()).body)
        assert [c["id"] for c in listed["applications"]] == [case_id]
        after = submit(client, application(county="410303"))
        assert after.status_code == 202, after.body
        stored = deps.services().repo.get_case(json.loads(after.body)["id"])
        assert stored is not None and stored.person_key.startswith("v2.")
    finally:
        deps.reset()
