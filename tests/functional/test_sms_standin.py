"""The stand-in checks what the real service checks: the SDK's TC3-HMAC-SHA256 signature made
with the account's key, the approved signature and templates, the variables' limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib.integrations.sms import Credentials, Outcome, TencentSmsGateway
from devtools.sms_standin import LOCAL_SECRET_ID, LOCAL_SECRET_KEY, Account, StandIn

TEMPLATE = "2100007"


@pytest.fixture
def server() -> Iterator[tuple[StandIn, str]]:
    standin = StandIn(Account("1400000001", "洛阳人社", {TEMPLATE: "取件码{1}"}))
    yield standin, standin.start()
    standin.stop()


def gateway(
    url: str, secret_id: str = LOCAL_SECRET_ID, key: str = LOCAL_SECRET_KEY, sign: str = "洛阳人社"
) -> TencentSmsGateway:
    return TencentSmsGateway(
        lambda: Credentials(secret_id, key), "1400000001", sign, "ap-guangzhou", url
    )


def test_the_sdk_signed_with_the_accounts_key_sends(server: tuple[StandIn, str]) -> None:
    standin, url = server
    result = gateway(url).send("13800138000", TEMPLATE, ["602749"], "note-1")
    assert result.outcome == Outcome.SENT and result.serial
    assert standin.outbox()[0] | {"at": "-"} == {
        "phone": "13800138000",
        "template": TEMPLATE,
        "params": ["602749"],
        "notification_id": "note-1",
        "at": "-",
    }


@pytest.mark.parametrize(
    ("secret_id", "key", "code"),
    [
        (LOCAL_SECRET_ID, "another-key", "AuthFailure.SignatureFailure"),
        ("AKIDsomeoneelse", LOCAL_SECRET_KEY, "AuthFailure.SecretIdNotFound"),
    ],
)
def test_a_request_not_signed_with_the_accounts_key_is_refused(
    server: tuple[StandIn, str], secret_id: str, key: str, code: str
) -> None:
    standin, url = server
    result = gateway(url, secret_id, key).send("13800138000", TEMPLATE, ["602749"], "n")
    assert (result.outcome, result.code) == (Outcome.TRANSIENT, code)
    assert standin.outbox() == []


def test_unapproved_signatures_templates_and_long_variables_are_refused(
    server: tuple[StandIn, str],
) -> None:
    standin, url = server
    assert gateway(url, sign="别的签名").send("13800138000", TEMPLATE, ["1"], "n").code == (
        "FailedOperation.SignatureIncorrectOrUnapproved"
    )
    assert gateway(url).send("13800138000", "999", ["1"], "n").outcome == Outcome.PERMANENT
    too_long = gateway(url).send("13800138000", TEMPLATE, ["1234567"], "n")
    assert too_long.code == "InvalidParameterValue.TemplateParameterLengthLimit"
    assert standin.outbox() == []


@pytest.mark.parametrize(
    ("mode", "outcome"),
    [
        ("down", Outcome.TRANSIENT),
        ("internal-error", Outcome.TRANSIENT),
        ("rate-limited", Outcome.THROTTLED),
        ("blacklisted", Outcome.PERMANENT),
        ("template-not-approved", Outcome.PERMANENT),
    ],
)
def test_failures_on_demand_reach_the_sender_as_the_service_sends_them(
    server: tuple[StandIn, str], mode: str, outcome: Outcome
) -> None:
    standin, url = server
    standin.set_mode(mode, times=1)
    assert gateway(url).send("13800138000", TEMPLATE, ["1"], "n").outcome == outcome
    assert gateway(url).send("13800138000", TEMPLATE, ["1"], "n").outcome == Outcome.SENT
