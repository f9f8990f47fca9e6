"""The SMS channel end to end on moto: notifications reach the SMS queue through the topic
(raw delivery, filtered), the sender sends through the real Tencent Cloud SDK to the local
stand-in (which checks the TC3 signature), and the applicant's list says what happened."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from devtools.pump import Pump
from devtools.sms_standin import StandIn
from tests.conftest import Clock, bearer
from tests.functional.helpers import OPERATOR, application, decide, settle, submit
from tests.functional.jobs import notifications
from tests.sms_fixtures import outbox_over_http

PICKUP = {"method": "pickup", "service_center": "老城区政务服务中心"}


def _drain(pump: Pump) -> None:
    assert pump.run_until(lambda: False, timeout_s=0.5) is False  # until nothing is left


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
