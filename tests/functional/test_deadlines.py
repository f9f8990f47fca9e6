"""Deadline breaches, the restart sweeper and provisional deadlines, through the scheduled
handlers as EventBridge would call them."""

from __future__ import annotations

import json
import threading
from datetime import datetime

from chalicelib import deps
from chalicelib.services import jobs
from tests.conftest import bearer
from tests.functional.bulk import bulk_load
from tests.functional.helpers import (
    HRSS_OFFICER,
    application,
    case,
    decide,
    item,
    post,
    settle,
    submit,
)
from tests.functional.jobs import run_job

OFFICER = bearer("officer", "o-1", **HRSS_OFFICER)
CASES = 1000


def breaches(client):
    response = client.http.get("/v1/departments/hrss/breaches", headers=OFFICER)
    assert response.status_code == 200, response.body
    return json.loads(response.body)["breaches"]


def test_a_late_pension_is_flagged_once_across_repeated_and_concurrent_runs(client, pump, clock):
    case_id = json.loads(submit(client, application()).body)["id"]
    view = settle(pump, client, case_id)
    assert view["due_date"] == "2026-12-11"  # 10 working days after Friday 2026-11-27
    assert run_job(client, "deadline-breaches", "2026-12-11T23:00:00+08:00")["changed"] == 0

    late = "2026-12-14T09:00:00+08:00"
    clock.set(late)
    first = run_job(client, "deadline-breaches", late)
    assert (first["changed"], first["notified"]) == (2, 2)  # the case and the pension item
    threads = [
        threading.Thread(target=run_job, args=(client, "deadline-breaches", late)) for _ in range(3)
    ]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert run_job(client, "deadline-breaches", late)["changed"] == 0
    department_alerts = [s for s in clock.notifier.sent if s[1] == "deadline_breached"]
    assert len(department_alerts) == 2

    view = case(client, case_id)
    assert [h["type"] for h in view["history"]].count("deadline_breached") == 2
    listed = {(b["item"], b["working_days_late"]) for b in breaches(client)}
    assert listed == {("case", 1), ("pension_registration", 1)}

    # Finishing late records how late, and the breaches leave the queue
    clock.set("2026-12-15T10:00:00+08:00")
    assert decide(client, case_id).status_code == 200
    view = settle(pump, client, case_id)
    assert view["status"] == "completed"
    assert breaches(client) == []


def test_the_job_reads_only_the_due_rows_however_many_cases_exist(aws, clock):
    svc = deps.services()
    bulk_load(svc, CASES, due=10)
    report = jobs.run(svc, "deadline-breaches", datetime.fromisoformat("2026-11-27T12:00:00+08:00"))
    # 10 old cases are due: each its case row and its licence item, nothing else is read
    assert (report.read, report.changed) == (20, 20)


def test_a_deadline_in_2027_is_provisional_until_the_official_data_is_loaded(client, pump, clock):
    clock.set("2026-12-24T10:00:00+08:00")
    case_id = json.loads(submit(client, application()).body)["id"]
    view = case(client, case_id)
    assert view["due_provisional"] is True
    assert view["due_date"] == "2027-01-07"  # weekends only: 1 January counted as a working day
    assert item(view, "pension_registration")["due_date"] == "2027-01-07"

    admin = bearer("admin", "admin-1")
    holidays = {
        "holidays": ["2027-01-01", "2027-01-02", "2027-01-03"],
        "workdays": [],
        "source": "测试数据",
    }
    response = client.http.put(
        "/v1/admin/calendar/2027",
        headers={"Content-Type": "application/json", **admin},
        body=json.dumps(holidays),
    )
    assert response.status_code == 200, response.body
    report = run_job(client, "recompute-provisional", "2026-12-25T00:30:00+08:00")
    assert report["changed"] >= 2
    view = case(client, case_id)
    assert (view["due_date"], view["due_provisional"]) == ("2027-01-08", False)
    assert item(view, "pension_registration")["due_date"] == "2027-01-08"
    assert run_job(client, "recompute-provisional", "2026-12-25T00:31:00+08:00")["changed"] == 0


def test_bad_holiday_data_is_refused_with_the_reason(client):
    admin = bearer("admin", "admin-1")
    body = {"holidays": ["2028-01-01"], "workdays": [], "source": "错误年份"}
    response = client.http.put(
        "/v1/admin/calendar/2027",
        headers={"Content-Type": "application/json", **admin},
        body=json.dumps(body),
    )
    assert response.status_code == 422
    assert json.loads(response.body)["errors"][0]["code"] == "calendar.invalid"


INSTANT = {"items": ["taxpayer_confirmation", "employment_certificate"]}


def no_subsidy():
    """The documented example without the subsidy: the pension (10 working days) is its
    longest item."""
    items = [i for i in application()["items"] if i != "startup_subsidy"]
    return application(items=items, subsidy=None)


def test_a_case_of_instant_items_only_is_due_the_day_it_is_accepted(client, pump, clock):
    # 附件5: 办理周期与选择办理事项有关 — licence, taxpayer and employment certificate are instant
    body = application(**INSTANT, pension=None, subsidy=None)
    case_id = json.loads(submit(client, body).body)["id"]
    view = case(client, case_id)
    assert (view["due_date"], view["time_limit_working_days"]) == ("2026-11-27", 0)
    assert {i["due_date"] for i in view["items"]} == {"2026-11-27"}
    accepted = next(h for h in view["history"] if h["type"] == "accepted")
    assert "2026-11-27 当日办结" in accepted["detail"]
    listed = json.loads(client.http.get("/v1/me/applications", headers=bearer()).body)
    assert listed["applications"][0]["due_date"] == "2026-11-27"
    # With the pension (10 working days) the case has its longest item's time limit
    longer = case(client, json.loads(submit(client, no_subsidy()).body)["id"])
    assert (longer["due_date"], longer["time_limit_working_days"]) == ("2026-12-11", 10)
    assert item(longer, "pension_registration")["due_date"] == "2026-12-11"


def _load_2027(client, holidays):
    body = {"holidays": holidays, "workdays": [], "source": "测试数据"}
    response = client.http.put(
        "/v1/admin/calendar/2027",
        headers={"Content-Type": "application/json", **bearer("admin", "admin-1")},
        body=json.dumps(body),
    )
    assert response.status_code == 200, response.body


def _summary(client):
    path = "/v1/reports/summary?from=2026-12-01&to=2027-01-31"
    return json.loads(client.http.get(path, headers=bearer("admin", "admin-1")).body)


def test_a_provisional_deadline_passing_is_shown_to_the_department_not_as_a_breach(
    client, pump, clock
):
    # Given a case accepted in late 2026 whose deadline falls in 2027 (no official data yet)
    clock.set("2026-12-24T10:00:00+08:00")
    case_id = json.loads(submit(client, no_subsidy()).body)["id"]
    settle(pump, client, case_id)  # the pension waits for the officer
    assert case(client, case_id)["due_date"] == "2027-01-07"  # 1 January guessed a workday
    # When the breach job runs past the guessed deadline
    clock.set("2027-01-08T09:00:00+08:00")
    guessed = run_job(client, "deadline-breaches", "2027-01-08T09:00:00+08:00")
    # Then the department sees both as provisional; nobody is told, nothing is counted
    assert (guessed["changed"], guessed["provisional"], guessed["notified"]) == (2, 2, 0)
    listed = {(b["item"], b["provisional"]) for b in breaches(client)}
    assert listed == {("case", True), ("pension_registration", True)}
    view = case(client, case_id)
    assert "deadline_breached" not in [h["type"] for h in view["history"]]
    assert not [s for s in clock.notifier.sent if s[1] == "deadline_breached"]
    assert _summary(client)["breaches"] == {}
    current = json.loads(client.http.get("/v1/reports/current", headers=bearer("admin")).body)
    assert current["open_breaches"]["hrss"] == {}
    assert run_job(client, "deadline-breaches", "2027-01-08T10:00:00+08:00")["changed"] == 0

    # When 2027's data arrives (1–3 January off), the deadline is recomputed: not late yet
    _load_2027(client, ["2027-01-01", "2027-01-02", "2027-01-03"])
    assert run_job(client, "recompute-provisional", "2027-01-08T10:30:00+08:00")["changed"] == 2
    assert case(client, case_id)["due_date"] == "2027-01-08"
    assert breaches(client) == []
    assert run_job(client, "deadline-breaches", "2027-01-08T11:00:00+08:00")["changed"] == 0
    # Then, late under the real deadline, it is a breach like any other
    clock.set("2027-01-11T09:00:00+08:00")
    real = run_job(client, "deadline-breaches", "2027-01-11T09:00:00+08:00")
    assert (real["changed"], real["provisional"], real["notified"]) == (2, 0, 2)
    assert {(b["item"], b["provisional"]) for b in breaches(client)} == {
        ("case", False),
        ("pension_registration", False),
    }
    assert _summary(client)["breaches"] == {"case": 1, "pension_registration": 1}


def test_a_follow_up_due_in_an_unloaded_year_stays_provisional_and_is_recomputed(
    client, pump, clock
):
    clock.set("2026-12-28T10:00:00+08:00")
    case_id = json.loads(submit(client, application(**INSTANT, pension=None, subsidy=None)).body)
    settle(pump, client, case_id["id"])
    poor = {"level": 1, "reason": "办理结果通知不及时"}
    assert (
        post(client, f"/v1/applications/{case_id['id']}/rating", poor, bearer()).status_code == 201
    )

    def follow_up():
        found = client.http.get("/v1/departments/hrss/follow-ups", headers=OFFICER).body
        [only] = json.loads(found)["follow_ups"]
        return only["due_date"], only["due_provisional"]

    assert follow_up() == ("2027-01-04", True)  # 5 working days, 1 January guessed one
    guessed = run_job(client, "deadline-breaches", "2027-01-05T09:00:00+08:00")
    assert (guessed["changed"], guessed["provisional"], guessed["notified"]) == (1, 1, 0)
    assert [(b["item"], b["provisional"]) for b in breaches(client)] == [("follow_up", True)]

    _load_2027(client, ["2027-01-01", "2027-01-02", "2027-01-03"])
    assert run_job(client, "recompute-provisional", "2027-01-05T09:30:00+08:00")["changed"] == 1
    assert follow_up() == ("2027-01-05", False)
    assert breaches(client) == []
    assert run_job(client, "recompute-provisional", "2027-01-05T09:31:00+08:00")["read"] == 0
    late = run_job(client, "deadline-breaches", "2027-01-06T09:00:00+08:00")
    assert (late["changed"], late["provisional"], late["notified"]) == (1, 0, 1)
