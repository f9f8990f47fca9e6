"""The SMS channel end to end on moto: notifications reach the SMS queue through the topic
(raw delivery, filtered), the sender sends through the real Tencent Cloud SDK to the local
stand-in (which checks the TC3 signature), and the applicant's list says what happened."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

from devtools.provision import Resources
from devtools.pump import Pump
from devtools.sms_standin import LOCAL_CALLBACK_TOKEN, StandIn
from tests.conftest import Clock, bearer
from tests.functional.helpers import OPERATOR, application, decide, settle, submit
from tests.functional.jobs import notifications
from tests.sms_fixtures import outbox_over_http
from tests.sms_helpers import (
    LICENCE_ONLY,
    deliver,
    licence_case,
    note_of,
    waiting,
    workflow_pump,
)

PICKUP = {"method": "pickup", "service_center": "老城区政务服务中心"}


def _drain(pump: Pump) -> None:
    pump.run_until(lambda: False, timeout_s=0.5)  # deliver what the queues hold meanwhile


def _whole_case(client: Client, pump: Pump, **changes: Any) -> str:
    response = submit(client, application(**changes))
    assert response.status_code == 202, response.body
    case_id = json.loads(response.body)["id"]
    settle(pump, client, case_id)
    assert decide(client, case_id).status_code == 200
    view = settle(pump, client, case_id)
    assert view["status"] == "completed", view
    _drain(pump)
    return str(case_id)


def test_a_completed_case_texts_its_sms_worthy_notices_once_each(
    client: Client, pump: Pump, clock: Clock, standin: StandIn
) -> None:
    case_id = _whole_case(client, pump, delivery=PICKUP)
    sent = outbox_over_http(standin)
    notes = {n["id"]: n for n in notifications(client, bearer("applicant", OPERATOR))}
    kinds = sorted(notes[s["notification_id"]]["type"] for s in sent)
    assert kinds == ["accepted", "case_finished", "delivery_ready"]
    assert {s["phone"] for s in sent} == {"13800138000"}
    assert len({s["notification_id"] for s in sent}) == len(sent)  # none twice
    pickup = next(s for s in sent if notes[s["notification_id"]]["type"] == "delivery_ready")
    assert pickup["params"][0] in notes[pickup["notification_id"]]["text"]  # the pickup code
    assert all(case_id not in "".join(s["params"]) for s in sent)  # no case id in an SMS
    by_type = {n["type"]: n for n in notes.values()}
    assert by_type["accepted"]["sms"] == "sent"
    assert by_type["item_finished"]["sms"] == "not_applicable"
    assert by_type["item_finished"]["sms_reason"]


def _receipts(client: Client, body: Any, token: str = LOCAL_CALLBACK_TOKEN) -> Any:
    return client.http.post(
        f"/v1/sms/receipts?token={token}",
        headers={"Content-Type": "application/json"},
        body=json.dumps(body),
    )


def _receipt(serial: str, status: str = "SUCCESS", mobile: str = "13800138000") -> dict[str, str]:
    return {
        "user_receive_time": "2026-11-27 10:00:05",
        "nationcode": "86",
        "mobile": mobile,
        "report_status": status,
        "errmsg": "DELIVRD",
        "description": "用户短信送达成功",
        "sid": serial,
    }


def test_receipts_record_each_sms_final_state_once_and_the_summary_counts_them(
    client: Client, aws: Resources, clock: Clock, standin: StandIn
) -> None:
    messages = licence_case(client, aws)
    deliver(messages)
    sent = [n for n in (note_of(m) for m in messages) if n.sms and n.sms.state == "sent"]
    accepted, finished = sorted(sent, key=lambda n: n.type)
    body = [
        _receipt(str(accepted.sms.serial)),
        _receipt(str(finished.sms.serial), "FAIL"),
        _receipt("2433:never-sent"),
        _receipt(str(accepted.sms.serial), mobile="13900139000"),
    ]
    first = _receipts(client, body)
    assert first.status_code == 200, first.body
    assert json.loads(first.body) == {"result": 0, "errmsg": "OK", "recorded": 2}
    assert json.loads(_receipts(client, body).body)["recorded"] == 0  # a repeated callback
    listed = {n["type"]: n for n in notifications(client, bearer("applicant", OPERATOR))}
    assert listed["accepted"]["sms"] == "delivered"
    assert listed["case_finished"]["sms"] == "failed" and listed["case_finished"]["sms_reason"]
    today = "2026-11-27"
    summary = client.http.get(
        f"/v1/reports/summary?from={today}&to={today}", headers=bearer("admin", "ops-1")
    )
    counts = json.loads(summary.body)["sms"]
    assert counts == {"sent": 2, "delivered": 1, "failed": 1, "held": 0, "not_applicable": 1}


def test_the_receipts_callback_refuses_a_wrong_token_and_a_bad_body(
    client: Client, aws: Resources
) -> None:
    wrong = _receipts(client, [_receipt("2433:x")], token="guessed")
    assert wrong.status_code == 401
    assert json.loads(wrong.body)["code"] == "sms_receipts.token_invalid"
    assert client.http.post("/v1/sms/receipts", body="[]").status_code in (400, 401)
    for body, status in (({"sid": "x"}, 400), ([{"sid": "x"}], 422), ([], 422), ("[", 400)):
        raw = body if isinstance(body, str) else json.dumps(body)
        answer = client.http.post(
            f"/v1/sms/receipts?token={LOCAL_CALLBACK_TOKEN}",
            headers={"Content-Type": "application/json"},
            body=raw,
        )
        assert answer.status_code == status, (body, answer.body)
        assert json.loads(answer.body)["detail"]  # a Chinese explanation


@pytest.mark.parametrize(
    "phone", ["0379-63211234", "+852 9123 4567"], ids=["luoyang-landline", "hong-kong-mobile"]
)
def test_a_phone_that_is_not_a_mainland_mobile_is_accepted_gets_no_sms_and_is_told_why(
    client: Client, aws: Resources, clock: Clock, standin: StandIn, phone: str
) -> None:
    applicant = {**application()["applicant"], "phone": phone}
    response = submit(client, application(applicant=applicant, **LICENCE_ONLY))
    assert response.status_code == 202, response.body  # the form takes it
    case_id = json.loads(response.body)["id"]
    settle(workflow_pump(aws), client, case_id)
    view = json.loads(client.http.get(f"/v1/applications/{case_id}", headers=bearer()).body)
    assert view["applicant"]["phone"] == phone  # stored as given
    assert deliver(waiting(aws, case_id)) == []
    assert standin.outbox() == []
    listed = notifications(client, bearer("applicant", OPERATOR))
    worthy = [n for n in listed if n["type"] in ("accepted", "case_finished")]
    assert {n["sms"] for n in worthy} == {"not_applicable"}
    assert all("中国大陆手机号" in n["sms_reason"] for n in worthy)
