"""The local stand-ins of the departments' systems (devtools/departments.py) keep the published
contract (chalicelib/integrations/contract.py): called over real HTTP by a small signing client
written here from the contract's text, not from its helpers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import urllib3

from chalicelib.integrations import contract
from devtools import department
from devtools.department_rules import today
from devtools.departments import REGISTRY_PATH, DepartmentStandins

PROJECT = Path(__file__).resolve().parents[2]
APP_ID, SECRET = "test-gateway-app", "test-only-key"
SLOW_S = 0.3
ACTIVE, CANCELLED, UNKNOWN = "92410302MA47K2NQ4D", "92410323MA3R8E0N7Y", "91410300MA44T3E030"
PERSON = {"id_type": "resident_id_card", "id_number": "410302199001019018", "name": "示例甲"}
OTHER = {"id_type": "resident_id_card", "id_number": "410311200306159021", "name": "示例乙"}
HTTP = urllib3.PoolManager(retries=False)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Any
    body: Any


class Gateway:
    """Signs as the contract's docstring says: Base64(HMAC-SHA256(secret,
    METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nCONTENT_SHA256)), PATH without the query."""

    def __init__(self, url: str, clock: Callable[[], float] = time.time) -> None:
        self.url, self.clock = url, clock

    def headers(self, method: str, path: str, body: bytes, **given: str) -> dict[str, str]:
        secret = given.pop("secret", SECRET)
        fields = {
            "X-App-Id": APP_ID,
            "X-Timestamp": str(int(self.clock())),
            "X-Nonce": secrets.token_hex(16),
            "X-Content-SHA256": hashlib.sha256(body).hexdigest(),
            **given,
        }
        signed = (fields["X-Timestamp"], fields["X-Nonce"], fields["X-Content-SHA256"])
        text = "\n".join([method, path.split("?")[0], *signed])
        mac = hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()
        return {**fields, "X-Signature": base64.b64encode(mac).decode()}

    def send(self, method: str, target: str, body: bytes, headers: dict[str, str]) -> Reply:
        response = HTTP.request(
            method, self.url + target, body=body or None, headers=headers, timeout=5.0
        )
        data = json.loads(response.data) if response.data else None
        return Reply(response.status, response.headers, data)

    def call(
        self, op: contract.Operation, payload: Any = None, key: str | None = None, **sign: str
    ) -> Reply:
        target = op.path.replace("{uscc}", sign.pop("uscc", ACTIVE))
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        headers = self.headers(op.method, target, body, **sign)
        if key is not None:
            headers[contract.IDEMPOTENCY_HEADER] = key
        return self.send(op.method, target, body, headers)


def employment(person: dict[str, str] = PERSON, application_id: str = "A-1") -> dict[str, Any]:
    business = dict(uscc=ACTIVE, business_name="洛阳市老城区示例小吃店", county="410302")
    return dict(person=person, gender="male", application_id=application_id, **business)


def taxpayer(uscc: str = ACTIVE) -> dict[str, Any]:
    return dict(uscc=uscc, business_name="示例", operator=PERSON, application_id="A-1")


CASE = {"application_id": "A-1"}
PENSION = dict(person=PERSON, contribution_base=4000, uscc=ACTIVE, county="410302", **CASE)
SUBSIDY = dict(person=PERSON, amount=5000, bank="中国银行洛阳分行", category="退役军人", **CASE)
SUBSIDY["account"] = "6216610200016587010"


@pytest.fixture
def standins() -> Iterator[DepartmentStandins]:
    with DepartmentStandins(APP_ID, SECRET, slow_s=SLOW_S) as running:
        yield running


@pytest.fixture
def gateway(standins: DepartmentStandins) -> Gateway:
    return Gateway(standins.url)


def test_a_signed_lookup_answers_the_registry_row(gateway: Gateway) -> None:
    rows = json.loads(REGISTRY_PATH.read_text("utf-8"))["businesses"]
    assert len(rows) >= 5  # the README's demo registry
    for row in rows:
        reply = gateway.call(contract.LICENCE_LOOKUP, uscc=row["uscc"])
        assert (reply.status, reply.body) == (200, row)
    unknown = gateway.call(contract.LICENCE_LOOKUP, uscc=UNKNOWN)
    assert (unknown.status, unknown.body["code"]) == (404, "licence.not_found")
    assert re.search(r"[\u4e00-\u9fff]", unknown.body["reason"])


def _ago(seconds: int) -> Callable[[], dict[str, str]]:
    return lambda: {"X-Timestamp": str(int(time.time()) - seconds)}


@pytest.mark.parametrize(
    ("signing", "code"),
    [
        (lambda: {"secret": "another-key"}, "signature.invalid"),
        (lambda: {"X-App-Id": "someone-else"}, "app.unknown"),
        (_ago(301), "timestamp.expired"),
        (_ago(-400), "timestamp.expired"),
        (lambda: {"X-Timestamp": "yesterday"}, "timestamp.invalid"),
        (lambda: {"X-Content-SHA256": hashlib.sha256(b"other").hexdigest()}, "digest.mismatch"),
        (lambda: {"X-Nonce": ""}, "signature.missing"),
    ],
)
def test_a_request_not_signed_as_the_contract_says_is_401(
    gateway: Gateway,
    standins: DepartmentStandins,
    signing: Callable[[], dict[str, str]],
    code: str,
) -> None:
    sign = signing()  # now, not when the tests were collected
    reply = gateway.call(contract.TAXPAYER_CONFIRM, taxpayer(), key="k-401", **sign)
    assert reply.status == 401
    assert contract.GatewayError.model_validate(reply.body).code == code
    assert re.search(r"[\u4e00-\u9fff]", reply.body["message"])
    assert standins.registrations() == []
    assert [c.status for c in standins.calls()] == [401]


def test_a_missing_signed_header_is_401(gateway: Gateway) -> None:
    for name in contract.SIGNED_HEADERS:
        headers = gateway.headers("GET", f"/market-regulation/v1/licences/{ACTIVE}", b"")
        del headers[name]
        reply = gateway.send("GET", f"/market-regulation/v1/licences/{ACTIVE}", b"", headers)
        assert (reply.status, reply.body["code"]) == (401, "signature.missing")


def test_a_reused_nonce_is_a_replay_but_a_refused_request_spends_none(gateway: Gateway) -> None:
    target = f"/market-regulation/v1/licences/{ACTIVE}"
    headers = gateway.headers("GET", target, b"")
    forged = {**headers, "X-Signature": base64.b64encode(b"x" * 32).decode()}
    assert gateway.send("GET", target, b"", forged).body["code"] == "signature.invalid"
    assert gateway.send("GET", f"{target}?trace=1", b"", headers).status == 200  # query unsigned
    replayed = gateway.send("GET", target, b"", headers)
    assert (replayed.status, replayed.body["code"]) == (401, "nonce.replayed")


def test_a_post_without_idempotency_key_or_with_a_bad_body_is_400(gateway: Gateway) -> None:
    missing = gateway.call(contract.EMPLOYMENT_REGISTER, employment())
    assert (missing.status, missing.body["code"]) == (400, "idempotency.missing")
    wrong = {**PENSION, "contribution_base": "4000", "extra": 1}
    invalid = gateway.call(contract.PENSION_REGISTER, wrong, key="k-bad")
    assert (invalid.status, invalid.body["code"]) == (400, "request.invalid")
    assert "contribution_base" in invalid.body["message"]
    assert PERSON["id_number"] not in json.dumps(invalid.body, ensure_ascii=False)


def test_the_same_key_answers_the_same_number_once(
    gateway: Gateway, standins: DepartmentStandins
) -> None:
    first = gateway.call(contract.EMPLOYMENT_REGISTER, employment(), key="case-1/employment")
    again = gateway.call(contract.EMPLOYMENT_REGISTER, employment(), key="case-1/employment")
    assert first.status == again.status == 200
    assert first.body == again.body
    assert "Idempotency-Replayed" not in first.headers
    assert again.headers["Idempotency-Replayed"] == "true"
    year = today(time.time()).year
    assert re.fullmatch(rf"JY410302{year}\d{{8}}", first.body["certificate_number"])
    assert first.body["already_held"] is False
    assert [r.response for r in standins.registrations()] == [first.body]
    assert [(c.idempotency_key, c.replayed) for c in standins.calls("hrss")] == [
        ("case-1/employment", False),
        ("case-1/employment", True),
    ]
    other = gateway.call(
        contract.EMPLOYMENT_REGISTER, employment(application_id="A-2"), "case-1/employment"
    )
    assert (other.status, other.body["code"]) == (409, "idempotency.mismatch")
    assert len(standins.registrations()) == 1


def test_a_person_who_holds_a_certificate_gets_its_number_back(
    gateway: Gateway, standins: DepartmentStandins
) -> None:
    first = gateway.call(contract.EMPLOYMENT_REGISTER, employment(), key="case-3/e")
    later = gateway.call(contract.EMPLOYMENT_REGISTER, employment(application_id="B"), key="b/e")
    other = gateway.call(contract.EMPLOYMENT_REGISTER, employment(OTHER), key="case-4/e")
    assert later.body == {**first.body, "already_held": True}
    assert "Idempotency-Replayed" not in later.headers
    assert other.body["certificate_number"] != first.body["certificate_number"]
    assert other.body["already_held"] is False
    assert len(standins.registrations(contract.EMPLOYMENT_REGISTER.name)) == 2


def test_tax_hrss_answers(gateway: Gateway, standins: DepartmentStandins) -> None:
    confirmed = gateway.call(contract.TAXPAYER_CONFIRM, taxpayer(), key="t-1")
    assert confirmed.status == 200
    answer = contract.TaxpayerConfirmationOut.model_validate(confirmed.body)
    assert (answer.taxpayer_id, answer.tax_office) == (ACTIVE, "国家税务总局洛阳市税务局")
    for uscc, code in (
        (CANCELLED, "taxpayer.licence_inactive"),
        (UNKNOWN, "taxpayer.unregistered"),
    ):
        refused = gateway.call(contract.TAXPAYER_CONFIRM, taxpayer(uscc), key=f"t-{uscc}")
        assert (refused.status, refused.body["code"]) == (422, code)
    pension = gateway.call(contract.PENSION_REGISTER, PENSION, key="p-1")
    assert re.fullmatch(r"YL410302\d{12}", pension.body["registration_number"])
    subsidy = gateway.call(contract.SUBSIDY_PAYMENT, SUBSIDY, key="s-1")
    assert contract.SubsidyPaymentOut.model_validate(subsidy.body).instruction_id.startswith("ZF")
    operations = [r.operation for r in standins.registrations()]
    assert operations == ["taxpayer.confirm", "pension.register", "subsidy.payment"]


def test_today_is_the_asia_shanghai_date_of_the_clock() -> None:
    at = datetime(2026, 12, 31, 17, 0, tzinfo=UTC).timestamp()  # 2027-01-01 01:00 in Luoyang
    with DepartmentStandins(APP_ID, SECRET, clock=lambda: at) as running:
        reply = Gateway(running.url, clock=lambda: at).call(contract.PENSION_REGISTER, PENSION, "k")
    assert reply.body["registered_on"] == "2027-01-01"
    assert reply.body["registration_number"].startswith("YL4103022027")


def test_modes_down_refuse_slow_and_back_to_ok(
    gateway: Gateway, standins: DepartmentStandins
) -> None:
    standins.set_mode("hrss", "down")
    down = gateway.call(contract.PENSION_REGISTER, PENSION, key="m-1")
    assert (down.status, down.body["code"]) == (503, "department.unavailable")
    assert gateway.call(contract.TAXPAYER_CONFIRM, taxpayer(), key="m-2").status == 200
    standins.set_mode("tax", "refuse")
    refused = gateway.call(contract.TAXPAYER_CONFIRM, taxpayer(), key="m-3")
    assert refused.status == 422
    assert contract.Refusal.model_validate(refused.body).code == "taxpayer.abnormal"
    standins.set_mode("market_regulation", "refuse")
    restricted = gateway.call(contract.LICENCE_LOOKUP)
    assert (restricted.status, restricted.body["code"]) == (422, "licence.restricted")
    standins.set_mode("hrss", "slow")
    started = time.monotonic()
    slow = gateway.call(contract.PENSION_REGISTER, PENSION, key="m-1")
    assert time.monotonic() - started >= SLOW_S
    assert slow.status == 200
    for name in ("hrss", "tax", "market_regulation"):
        standins.set_mode(name, "ok")
    started = time.monotonic()
    assert gateway.call(contract.PENSION_REGISTER, PENSION, key="m-1").body == slow.body
    assert time.monotonic() - started < SLOW_S
    assert gateway.call(contract.TAXPAYER_CONFIRM, taxpayer(), key="m-4").status == 200
    assert gateway.call(contract.LICENCE_LOOKUP).status == 200


def test_a_slow_answer_is_dropped_when_the_stand_ins_stop() -> None:
    running = DepartmentStandins(APP_ID, SECRET, slow_s=30.0)
    running.start()
    running.set_mode("hrss", "slow")
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(Gateway(running.url).call(contract.PENSION_REGISTER, PENSION, "k"))
        except urllib3.exceptions.HTTPError as error:
            outcome.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    deadline = time.monotonic() + 3
    while not running.registrations() and time.monotonic() < deadline:
        time.sleep(0.01)  # registered at once; only the answer is late
    started = time.monotonic()
    running.stop()
    caller.join(timeout=3)
    assert running.registrations()
    assert time.monotonic() - started < 2
    assert len(outcome) == 1 and isinstance(outcome[0], urllib3.exceptions.HTTPError)


def test_the_control_plane(gateway: Gateway, standins: DepartmentStandins) -> None:
    def control(method: str, path: str, payload: Any = None) -> Reply:
        body = b"" if payload is None else json.dumps(payload).encode()
        return gateway.send(method, f"/_standin/{path}", body, {})

    switched = control("PUT", "modes/tax", {"mode": "down"})
    assert (switched.status, switched.body) == (200, {"department": "tax", "mode": "down"})
    assert standins.modes()["tax"] == "down"
    assert control("GET", "modes").body == {"market_regulation": "ok", "tax": "down", "hrss": "ok"}
    assert control("PUT", "modes/customs", {"mode": "down"}).status == 404
    assert control("PUT", "modes/tax", {"mode": "sleepy"}).status == 400
    assert control("PUT", "modes/tax", "down").status == 400
    gateway.call(contract.TAXPAYER_CONFIRM, taxpayer(), key="c-1")
    gateway.call(contract.EMPLOYMENT_REGISTER, employment(), key="c-2")
    calls = control("GET", "calls").body
    assert [(c["operation"], c["status"], c["idempotency_key"]) for c in calls] == [
        ("taxpayer.confirm", 503, "c-1"),
        ("employment.register", 200, "c-2"),
    ]
    assert [c["department"] for c in control("GET", "calls?department=tax").body] == ["tax"]
    registered = control("GET", "registrations").body
    assert [(r["operation"], r["idempotency_key"]) for r in registered] == [
        ("employment.register", "c-2")
    ]
    assert control("GET", "nothing").status == 404


def test_the_stand_ins_log_nothing(gateway: Gateway, capfd: pytest.CaptureFixture[str]) -> None:
    gateway.call(contract.EMPLOYMENT_REGISTER, employment(), key="l-1")
    gateway.call(contract.LICENCE_LOOKUP)
    assert capfd.readouterr() == ("", "")


def test_make_department_switches_a_mode(
    standins: DepartmentStandins, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {"api_url": "http://127.0.0.1:8123", "departments_url": standins.url}
    (tmp_path / "8123.json").write_text(json.dumps(record), "utf-8")
    assert department.main(["hrss", "refuse", "--port", "8123", "--records", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "hrss: refuse\n"
    assert standins.modes()["hrss"] == "refuse"


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (None, "is missing: is `make run PORT=8124` up?"),
        ({"api_url": "http://127.0.0.1:8124"}, "has no departments_url"),
        ({"departments_url": "file:///etc/passwd"}, "must be an http:// or https:// URL"),
    ],
)
def test_make_department_without_stand_ins_says_why(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    record: dict[str, str] | None,
    message: str,
) -> None:
    if record is not None:
        (tmp_path / "8124.json").write_text(json.dumps(record), "utf-8")
    monkeypatch.setenv(department.RECORDS_ENV, str(tmp_path))
    assert department.main(["tax", "ok", "--port", "8124"]) == 1
    assert message in capsys.readouterr().err
