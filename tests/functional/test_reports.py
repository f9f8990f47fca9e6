"""The working group's summary comes from counters kept at write time."""

from __future__ import annotations

import json

from tests.conftest import bearer
from tests.functional.helpers import application, decide, post, settle, submit

ADMIN = bearer("admin", "admin-1")
CLERK = bearer("clerk", "clerk-1", county="410302")


def summary(client, first="2026-11-01", last="2026-12-31"):
    response = client.http.get(f"/v1/reports/summary?from={first}&to={last}", headers=ADMIN)
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def test_summary_counts_cases_items_durations_and_ratings(client, pump, clock):
    online = json.loads(submit(client, application()).body)["id"]
    simple = application(items=["taxpayer_confirmation"], pension=None, subsidy=None)
    window = json.loads(post(client, "/v1/applications", simple, CLERK).body)["id"]
    settle(pump, client, online)
    settle(pump, client, window)
    clock.set("2026-12-02T10:00:00+08:00")  # three working days later
    decide(client, online)
    settle(pump, client, online)
    post(client, f"/v1/applications/{window}/rating", {"level": 4}, bearer())

    report = summary(client)
    assert report["cases"] == 2
    assert report["by_county"] == {"410302": 2}
    assert report["by_channel"] == {"online": 1, "window": 1}
    assert report["by_item"]["taxpayer_confirmation"] == 2
    assert report["working_days"]["pension_registration"] == {"median": 3, "p90": 3, "count": 1}
    assert report["working_days"]["taxpayer_confirmation"]["median"] == 0
    assert report["ratings"]["4"] == 1
    assert report["ended"] == {"completed": 2}
    assert summary(client, "2027-01-01", "2027-01-31")["cases"] == 0


def test_a_summary_needs_an_admin_and_a_sane_range(client):
    assert (
        client.http.get(
            "/v1/reports/summary?from=2026-11-01&to=2026-11-30", headers=CLERK
        ).status_code
        == 403
    )
    bad = client.http.get("/v1/reports/summary?from=2026-12-01&to=2026-11-01", headers=ADMIN)
    assert bad.status_code == 422
