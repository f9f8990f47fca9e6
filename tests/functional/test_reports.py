"""The working group's summary comes from counters kept at write time."""

from __future__ import annotations

import json

from tests.conftest import bearer
from tests.functional.helpers import application, decide, post, settle, submit, window_application
from tests.functional.jobs import run_job

ADMIN = bearer("admin", "admin-1")
CLERK = bearer("clerk", "clerk-1", county="410302")


def summary(client, first="2026-11-01", last="2026-12-31"):
    response = client.http.get(f"/v1/reports/summary?from={first}&to={last}", headers=ADMIN)
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def test_summary_counts_cases_items_durations_and_ratings(client, pump, clock):
    online = json.loads(submit(client, application()).body)["id"]
    simple = window_application(items=["taxpayer_confirmation"], pension=None, subsidy=None)
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
    assert report["working_days"]["pension_registration"] == {
        "median": 3,
        "p90": 3,
        "count": 1,
        "histogram": {"3": 1},
    }
    assert report["on_time"] == {**report["finished_by_item"], "case": 2}  # none was late
    assert report["breaches"] == report["breaches_closed"] == {}
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


def test_a_late_item_counts_as_a_breach_opened_then_closed_and_not_on_time(client, pump, clock):
    # Given a case accepted on Friday 2026-11-27 whose pension (due 12-11) nobody decided
    case_id = json.loads(submit(client, application()).body)["id"]
    settle(pump, client, case_id)
    clock.set("2026-12-14T09:00:00+08:00")
    run_job(client, "deadline-breaches", "2026-12-14T09:00:00+08:00")
    # Then the item and the case are open breaches of HRSS in 410302, flagged once each
    current = json.loads(client.http.get("/v1/reports/current", headers=ADMIN).body)
    assert current["open_breaches"] == {"market_regulation": {}, "tax": {}, "hrss": {"410302": 2}}
    assert current["calendar"]["years"][1] == {"year": 2026, "known": True, "loaded": None}
    # When the officer decides a day later
    clock.set("2026-12-15T10:00:00+08:00")
    decide(client, case_id)
    settle(pump, client, case_id)
    # Then both breaches are closed, late, after 12 working days
    report = summary(client)
    assert report["breaches"] == {"case": 1, "pension_registration": 1}
    assert report["breaches_closed"] == report["breaches"]
    assert "pension_registration" not in report["on_time"]
    assert "case" not in report["on_time"]
    assert report["working_days"]["pension_registration"]["histogram"] == {"12": 1}
    after = json.loads(client.http.get("/v1/reports/current", headers=ADMIN).body)
    assert after["open_breaches"]["hrss"] == {}
