"""好差评 at its two moments (附件3 四（五）: "受理及联办事项办结后…推送“好差评”服务"): an
invitation after acceptance and after the end, each stage rated once, poor ratings of either
stage called back, and the statistics by stage."""

from __future__ import annotations

import json

from tests.conftest import bearer
from tests.functional.helpers import (
    HRSS_OFFICER,
    application,
    case,
    decide,
    post,
    settle,
    submit,
    submitted,
)
from tests.functional.jobs import notifications, run_job
from tests.functional.test_lifecycle import SIMPLE

OFFICER = bearer("officer", "o-1", **HRSS_OFFICER)
ADMIN = bearer("admin", "admin-1")


def rate(client, case_id, body, headers=None):
    return post(client, f"/v1/applications/{case_id}/rating", body, headers or bearer())


def code(response):
    return json.loads(response.body)["code"]


def test_each_stage_is_rated_once_and_a_second_rating_of_a_stage_is_409(client, pump, clock):
    case_id = submitted(client, **SIMPLE)
    # While the case runs: the acceptance may be rated, the completion not yet
    early = rate(client, case_id, {"level": 5, "stage": "completion"})
    assert (early.status_code, code(early)) == (409, "invalid_state")
    first = rate(client, case_id, {"level": 4})  # no stage: the case runs, so the acceptance
    assert first.status_code == 201, first.body
    assert json.loads(first.body)["stage"] == "acceptance"
    again = rate(client, case_id, {"level": 5, "stage": "acceptance"})
    assert (again.status_code, code(again)) == (409, "rating.already_given")

    assert settle(pump, client, case_id)["status"] == "completed"
    done = rate(client, case_id, {"level": 5})  # no stage: the case has finished
    assert done.status_code == 201, done.body
    assert (json.loads(done.body)["stage"], json.loads(done.body)["follow_up"]) == (
        "completion",
        False,
    )
    for body in ({"level": 3, "stage": "completion"}, {"level": 3}):
        twice = rate(client, case_id, body)
        assert (twice.status_code, code(twice)) == (409, "rating.already_given")
    late = rate(client, case_id, {"level": 1, "reason": "x", "stage": "acceptance"})
    assert (late.status_code, code(late)) == (409, "rating.already_given")

    rated = [h["detail"] for h in case(client, case_id)["history"] if h["type"] == "rated"]
    assert rated == ["受理环节评价：满意", "办结环节评价：非常满意"]
    summary = client.http.get("/v1/reports/summary?from=2026-11-01&to=2026-11-30", headers=ADMIN)
    report = json.loads(summary.body)
    assert report["ratings_by_stage"] == {
        "acceptance": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
        "completion": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1},
    }
    assert (report["ratings"]["4"], report["ratings"]["5"]) == (1, 1)


def test_the_applicant_is_invited_to_rate_after_acceptance_and_after_the_end(client, pump, clock):
    case_id = json.loads(submit(client, application()).body)["id"]

    def invitations():
        notes = notifications(client, bearer())
        return [n for n in notes if n["type"] == "rating_invitation"]

    settle(pump, client, case_id)  # the pension waits for the officer: the case runs
    [accepted] = invitations()
    assert "受理" in accepted["text"] and accepted["sms"] == "not_applicable"
    assert decide(client, case_id).status_code == 200
    assert settle(pump, client, case_id)["status"] == "completed"
    texts = sorted(n["text"] for n in invitations())
    assert len(texts) == 2 and "办结" in texts[0] and "受理" in texts[1]
    sent = [p for _, kind, p in clock.notifier.sent if kind == "rating_invitation"]
    assert len(sent) == 2 and {p["application_id"] for p in sent} == {case_id}


def test_a_poor_rating_of_either_stage_opens_a_follow_up_the_department_closes(client, pump, clock):
    case_id = submitted(client, **SIMPLE)
    assert rate(client, case_id, {"level": 2}).status_code == 422  # a reason is needed
    other = bearer("applicant", "410311200306159021")
    assert rate(client, case_id, {"level": 1, "reason": "x"}, other).status_code == 404
    poor = rate(client, case_id, {"level": 2, "reason": "窗口等待时间长", "stage": "acceptance"})
    assert json.loads(poor.body)["follow_up"] is True
    settle(pump, client, case_id)
    worse = rate(client, case_id, {"level": 1, "reason": "结果通知不清楚"})
    assert (json.loads(worse.body)["stage"], json.loads(worse.body)["follow_up"]) == (
        "completion",
        True,
    )
    listed = json.loads(client.http.get("/v1/departments/hrss/follow-ups", headers=OFFICER).body)
    stages = {(f["application_id"], f["stage"], f["level"]) for f in listed["follow_ups"]}
    assert stages == {(case_id, "acceptance", 2), (case_id, "completion", 1)}
    alerts = [p for _, kind, p in clock.notifier.sent if kind == "poor_rating"]
    assert sorted(p["stage"] for p in alerts) == ["acceptance", "completion"]

    late = run_job(client, "deadline-breaches", "2026-12-07T09:00:00+08:00")  # 5 working days
    assert late["changed"] == 2, late
    breaches = json.loads(client.http.get("/v1/departments/hrss/breaches", headers=OFFICER).body)
    assert [b["item"] for b in breaches["breaches"]] == ["follow_up", "follow_up"]

    path = f"/v1/departments/hrss/follow-ups/{case_id}/closure"
    note = {"note": "已电话回访，致歉并说明改进措施"}
    which = post(client, path, note, OFFICER)  # both open: which one?
    assert which.status_code == 422
    assert json.loads(which.body)["errors"][0]["field"] == "stage"
    closed = post(client, path, {**note, "stage": "acceptance"}, OFFICER)
    assert (closed.status_code, json.loads(closed.body)["stage"]) == (200, "acceptance")
    assert post(client, path, {**note, "stage": "acceptance"}, OFFICER).status_code == 409
    last = post(client, path, note, OFFICER)  # the only one still open: the completion's
    assert (last.status_code, json.loads(last.body)["stage"]) == (200, "completion")
    assert post(client, path, note, OFFICER).status_code == 409
    breaches = json.loads(client.http.get("/v1/departments/hrss/breaches", headers=OFFICER).body)
    assert breaches["breaches"] == []
