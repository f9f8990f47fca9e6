"""From 1 November, while next year's official holidays are not loaded, the admins are told
once a day (a notification, and the metric an alarm watches) until they are."""

from __future__ import annotations

import json

from chalicelib import metrics
from tests.conftest import bearer
from tests.functional.jobs import run_job

ADMIN = bearer("admin", "admin-1")


def test_from_november_the_admins_are_told_once_a_day_until_next_years_holidays_are_loaded(
    client, clock, monkeypatch
):
    emitted = []
    monkeypatch.setattr(metrics, "emit", lambda name, value, unit="Count": emitted.append(value))

    def check(at):
        emitted.clear()
        report = run_job(client, "calendar-check", at)
        assert emitted == [1 if report["changed"] or report["skipped"] else 0], emitted
        return report["changed"], report["notified"], report["skipped"]

    def alerts():
        return [p for audience, kind, p in clock.notifier.sent if audience == "admin"]

    assert check("2026-10-31T09:00:00+08:00") == (0, 0, 0)  # October: nothing yet
    assert check("2026-11-01T09:00:00+08:00") == (1, 1, 0)
    assert check("2026-11-01T21:00:00+08:00") == (0, 0, 1)  # once a day, however many runs
    assert [(p["year"], p["day"]) for p in alerts()] == [(2027, "2026-11-01")]
    assert "2027 年法定节假日安排尚未载入" in alerts()[0]["text"]

    by_hand = client.http.post("/v1/admin/jobs/calendar-check?at=2026-11-02", headers=ADMIN)
    assert json.loads(by_hand.body)["changed"] == 1  # the next day, again
    assert check("2026-11-02T09:00:00+08:00") == (0, 0, 1)
    assert [p["day"] for p in alerts()] == ["2026-11-01", "2026-11-02"]

    holidays = {"holidays": ["2027-01-01"], "workdays": [], "source": "测试数据"}
    loaded = client.http.put(
        "/v1/admin/calendar/2027",
        headers={"Content-Type": "application/json", **ADMIN},
        body=json.dumps(holidays),
    )
    assert loaded.status_code == 200, loaded.body
    assert check("2026-11-03T09:00:00+08:00") == (0, 0, 0)  # loaded: quiet, metric 0
    assert len(alerts()) == 2
