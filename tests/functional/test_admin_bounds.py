"""Admin operations are bounded and audited: no job "as of" a future instant outside the local
stage; every job run and calendar load recorded (who, when, what); a year that already has
official holiday data replaced only on purpose, every version kept and readable."""

from __future__ import annotations

import dataclasses
import json

from chalicelib import deps
from tests.conftest import bearer

ADMIN = bearer("admin", "ops-1")
YEAR_2027 = {"holidays": ["2027-01-01"], "workdays": [], "source": "国办发明电〔2026〕7号"}


def _put(client, year: int, body: dict):
    return client.http.put(
        f"/v1/admin/calendar/{year}",
        headers={"Content-Type": "application/json", **ADMIN},
        body=json.dumps(body, ensure_ascii=False),
    )


def test_a_job_as_of_a_future_instant_is_refused_outside_the_local_stage(
    client, clock, monkeypatch
):
    future = "/v1/admin/jobs/subsidy-reminders?at=2027-11-02"
    assert client.http.post(future, headers=ADMIN).status_code == 200  # the local stage may
    svc = deps.services()
    prod = dataclasses.replace(svc, settings=dataclasses.replace(svc.settings, stage="prod"))
    monkeypatch.setattr(deps, "services", lambda: prod)
    refused = client.http.post(future, headers=ADMIN)
    assert (refused.status_code, json.loads(refused.body)["code"]) == (400, "at.future")
    now = client.http.post("/v1/admin/jobs/subsidy-reminders", headers=ADMIN)
    assert now.status_code == 200


def test_a_year_with_official_data_is_replaced_only_on_purpose_and_every_version_is_kept(
    client, clock
):
    bundled = _put(client, 2026, {**YEAR_2027, "holidays": ["2026-01-01"]})
    assert (bundled.status_code, json.loads(bundled.body)["code"]) == (409, "calendar.year_exists")
    assert _put(client, 2027, YEAR_2027).status_code == 200
    again = _put(client, 2027, {**YEAR_2027, "source": "更正"})
    assert json.loads(again.body)["code"] == "calendar.year_exists"
    replaced = _put(client, 2027, {**YEAR_2027, "source": "更正", "replace": True})
    assert replaced.status_code == 200 and json.loads(replaced.body)["version"] == 2
    versions = json.loads(client.http.get("/v1/admin/calendar/2027/versions", headers=ADMIN).body)
    assert [(v["version"], v["source"], v["loaded_by"]) for v in versions["versions"]] == [
        (1, YEAR_2027["source"], "ops-1"),
        (2, "更正", "ops-1"),
    ]


def test_every_job_run_and_calendar_load_is_recorded_with_who_when_and_what(client, clock):
    assert client.http.post("/v1/admin/jobs/deadline-breaches", headers=ADMIN).status_code == 200
    clock.set("2026-11-27T10:01:00+08:00")
    assert _put(client, 2027, YEAR_2027).status_code == 200
    actions = json.loads(client.http.get("/v1/admin/actions", headers=ADMIN).body)["actions"]
    assert [(a["action"], a["target"], a["subject"]) for a in actions] == [
        ("put_calendar_year", "2027", "ops-1"),
        ("run_job", "deadline-breaches", "ops-1"),
    ]
    assert actions[0]["detail"]["version"] == 1 and "changed" in actions[1]["detail"]
