"""Delivery details (recipient, address, phone) follow the same disclosure rule as the rest of
the case (docs/domain.md §10): in clear for the applicant and the department that runs 统一出件
(HRSS, the lead department), masked for everyone else who may read the case; every staff read
of them is in the case's access log."""

from __future__ import annotations

import json

from tests.conftest import bearer
from tests.functional.helpers import application, settle
from tests.functional.test_lifecycle import SIMPLE, submitted

ADMIN = bearer("admin", "admin-1")
HRSS = bearer("officer", "hrss-1", department="hrss", county="410302")
MARKET = bearer("officer", "mr-1", department="market_regulation", county="410302")
MAIL = application()["delivery"]


def _delivery(client, case_id, headers) -> dict:
    response = client.http.get(f"/v1/applications/{case_id}/delivery", headers=headers)
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def _details(view: dict) -> tuple[str, str, str]:
    return view["recipient"], view["address"], view["phone"]


def test_delivery_details_are_masked_for_readers_who_do_not_need_them(client, pump, clock):
    case_id = submitted(client, **SIMPLE)
    settle(pump, client, case_id)
    clear = (MAIL["recipient"], MAIL["address"], MAIL["phone"])

    assert _details(_delivery(client, case_id, bearer())) == clear
    assert _details(_delivery(client, case_id, HRSS)) == clear
    for reader in (ADMIN, MARKET):
        recipient, address, phone = _details(_delivery(client, case_id, reader))
        assert recipient == "张*" and phone == "138****8000"
        assert address != MAIL["address"] and MAIL["address"] not in address
        assert address.startswith("洛阳市")


def test_every_staff_read_of_delivery_details_is_in_the_access_log(client, pump, clock):
    case_id = submitted(client, **SIMPLE)
    settle(pump, client, case_id)
    _delivery(client, case_id, bearer())  # the applicant's own read is not staff access
    _delivery(client, case_id, MARKET)
    clock.set("2026-11-27T10:05:00+08:00")
    _delivery(client, case_id, HRSS)
    log = json.loads(
        client.http.get(f"/v1/admin/applications/{case_id}/access-log", headers=ADMIN).body
    )
    reads = [(e["operation"], e["subject"]) for e in log["entries"]]
    assert reads == [("get_delivery", "mr-1"), ("get_delivery", "hrss-1")]
    assert log["entries"][1]["clear"] and "delivery" in log["entries"][1]["clear"]
    assert "delivery" not in log["entries"][0]["clear"]
