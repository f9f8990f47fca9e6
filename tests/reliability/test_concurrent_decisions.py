"""Two officers deciding one task at the same moment: one decision stands, the other is told
the task was decided (409), and the workflow resumes once."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import bearer
from tests.functional.helpers import HRSS_OFFICER, application, case, item, post, settle, submit


def decision(client, case_id, officer, approve):
    body = {"approve": approve} if approve else {"approve": False, "reason": "材料不全"}
    path = f"/v1/departments/hrss/tasks/{case_id}.pension_registration/decision"
    return post(client, path, body, bearer("officer", officer, **HRSS_OFFICER))


@pytest.mark.parametrize("second_approves", [True, False], ids=["both-approve", "approve-refuse"])
def test_exactly_one_of_two_simultaneous_decisions_wins(
    client, queues, clock, threadsafe_app, second_approves
):
    case_id = json.loads(submit(client, application()).body)["id"]
    assert item(settle(queues, client, case_id), "pension_registration")["status"] == "in_review"
    barrier = threading.Barrier(2)
    officers = [("officer-a", True), ("officer-b", second_approves)]

    def decide(who):
        barrier.wait()
        return decision(client, case_id, *who)

    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(decide, officers))

    assert sorted(r.status_code for r in responses) == [200, 409]
    winner = officers[[r.status_code for r in responses].index(200)]
    view = settle(queues, client, case_id)
    assert view["status"] in ("completed", "partially_completed")
    pension = item(view, "pension_registration")
    assert pension["status"] == ("completed" if winner[1] else "refused")
    decided = [h for h in view["history"] if h.get("item") == "pension_registration"]
    assert [h["type"] for h in decided].count(pension["status"]) == 1
    assert case(client, case_id)["status"] == view["status"]
