"""No personal data in the logs (docs/domain.md §10): every log record from every logger, and
everything written to stdout and stderr, during a whole run of the service is captured, and
none of the ID numbers, phone numbers, account numbers or names the run was given appears.

The run: two applicants' cases (online with all five items through the state machine to
completion, and one taken at the window), a rejected form, a bad token, the officer's
decision, reads by every kind of reader, a correction, a withdrawal, delivery, the subsidy
claim and its approval, every scheduled job and the access log."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator

import pytest

from chalicelib.logs import JsonFormatter
from tests.conftest import bearer
from tests.functional.helpers import (
    OPERATOR,
    WINDOW,
    application,
    decide,
    post,
    settle,
    submit,
    upload,
)
from tests.functional.jobs import run_job
from tests.functional.test_lifecycle import TYPO, settle_until
from tests.functional.test_subsidy import claim, subsidy_decision

COUNTY = "410302"
STATIONER = "410311200306159021"  # the demo registry's operator of 洛龙区示例文具店
SECOND = {  # the window applicant: another person, all personal fields their own
    "applicant": {
        **application()["applicant"],
        "name": "李四娘",
        "gender": "female",
        "id_number": STATIONER,
        "phone": "13912345678",
    },
    "business": {"name": "洛龙区示例文具店", "uscc": "92410311MA9XW3T19H"},
    "subsidy": {**application()["subsidy"], "account": "6228480402564890018"},
    "delivery": {
        "method": "mail",
        "address": "洛阳市洛龙区示例路2号",
        "recipient": "李四娘",
        "phone": "13912345678",
    },
    "county": "410311",
    # Someone acts for them: the agent's name and ID number are personal data too.
    "agent": {
        "name": "王五叔",
        "id_type": "resident_id_card",
        "id_number": "410302198505050022",
        "relationship": "亲属",
    },
    **WINDOW,
}
FIRST = application()
PERSONAL = {
    OPERATOR,
    STATIONER,
    FIRST["applicant"]["phone"],
    SECOND["applicant"]["phone"],
    FIRST["subsidy"]["account"],
    SECOND["subsidy"]["account"],
    FIRST["applicant"]["name"],
    SECOND["applicant"]["name"],
    SECOND["agent"]["name"],
    SECOND["agent"]["id_number"],
}
OWNER = bearer("applicant", OPERATOR)
HRSS = bearer("officer", "hrss-1", department="hrss", county=COUNTY)
TAX = bearer("officer", "tax-1", department="tax", county=COUNTY)
MARKET = bearer("officer", "amr-1", department="market_regulation", county=COUNTY)
CLERK = bearer("clerk", "clerk-1", county="410311")
ADMIN = bearer("admin", "ops-1")


class Everything(logging.Handler):
    """Every record, rendered the way the service renders it plus its raw arguments."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.lines: list[str] = []
        self._json = JsonFormatter()

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self._json.format(record))
        self.lines.append(repr(record.msg) + repr(record.args) + repr(vars(record)))


@pytest.fixture
def all_logs(client) -> Iterator[Everything]:
    """Attach to the root logger and to every logger that does not propagate to it; the
    service's own loggers down to DEBUG, so debug lines are checked too."""
    handler = Everything()
    loggers = [logging.getLogger()] + [
        lg
        for lg in logging.Logger.manager.loggerDict.values()
        if isinstance(lg, logging.Logger) and not lg.propagate
    ]
    ours = [logging.getLogger(n) for n in ("chalicelib", "yijianshi", "yijianshi.access")]
    levels = {lg: lg.level for lg in ours}
    streams = []
    for lg in loggers:
        lg.addHandler(handler)
        for h in lg.handlers:  # the service's stream handlers write where capfd can see
            if type(h) is logging.StreamHandler:
                streams.append((h, h.setStream(sys.stderr)))
    for lg in ours:
        lg.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        for lg in loggers:
            lg.removeHandler(handler)
        for h, stream in streams:
            h.setStream(stream)
        for lg, level in levels.items():
            lg.setLevel(level)


def ok(response, status=200):
    assert response.status_code == status, response.body
    return json.loads(response.body) if response.body else None


def whole_run(client, pump, clock) -> None:
    # Online, all five items, to completion through the state machine.
    first = ok(submit(client, FIRST, **{"Idempotency-Key": "logs-1"}), 202)["id"]
    settle(pump, client, first)
    for reader in (OWNER, HRSS, TAX, MARKET, ADMIN):
        ok(client.http.get(f"/v1/applications/{first}", headers=reader))
    ok(client.http.get("/v1/departments/hrss/tasks?status=pending", headers=HRSS))
    ok(decide(client, first))
    settle(pump, client, first)
    ok(client.http.get(f"/v1/applications/{first}/delivery", headers=HRSS))
    dispatch = {"courier": "中国邮政EMS", "tracking_number": "1234567890123"}
    ok(post(client, f"/v1/applications/{first}/delivery/dispatch", dispatch, HRSS))
    ok(client.http.get(f"/v1/applications/{first}/archive", headers=HRSS))
    # A form with mistakes, a bad token, someone else's case.
    wrong = application(applicant={**FIRST["applicant"], "id_number": OPERATOR[:-1] + "0"})
    ok(submit(client, wrong), 422)
    ok(client.http.get(f"/v1/applications/{first}", headers={"Authorization": "Bearer x"}), 401)
    ok(client.http.get(f"/v1/applications/{first}", headers=bearer("applicant", STATIONER)), 404)
    # At the window, for another person: read by the clerk, then withdrawn.
    authorisation = upload(client, purpose="authorisation", headers=CLERK)
    attachments = [{"purpose": "authorisation", "key": authorisation}]
    bad_agent = {**SECOND["agent"], "id_number": "410302198505050021"}  # wrong check digit
    window = application(**SECOND, attachments=attachments)
    ok(post(client, "/v1/applications", {**window, "agent": bad_agent}, CLERK), 422)
    second = ok(post(client, "/v1/applications", window, CLERK), 202)["id"]
    ok(client.http.get(f"/v1/applications/{second}", headers=CLERK))
    body = {"reason": "暂不办理"}
    ok(post(client, f"/v1/applications/{second}/withdrawal", body, bearer("applicant", STATIONER)))
    # A correction.
    typo = ok(submit(client, application(business=TYPO), **{"Idempotency-Key": "logs-2"}), 202)
    settle_until(pump, client, typo["id"], "correction_required")
    ok(post(client, f"/v1/applications/{typo['id']}/corrections", application(), OWNER))
    settle(pump, client, typo["id"])
    # The jobs, the subsidy a year on, and the access log.
    for job in ("deadline-breaches", "restart-unstarted", "recompute-provisional"):
        run_job(client, job, "2026-12-20T09:00:00+08:00")
    run_job(client, "subsidy-reminders", "2026-11-28T08:00:00+08:00")
    ok(claim(client, first))
    ok(subsidy_decision(client, first))
    ok(client.http.get(f"/v1/admin/applications/{first}/access-log", headers=ADMIN))
    ok(client.http.get("/v1/departments/hrss/subsidy-notice"))


def test_a_whole_run_logs_no_id_number_phone_account_or_name(
    standin, client, pump, clock, all_logs, capfd
):
    whole_run(client, pump, clock)
    assert len(standin.outbox()) >= 4, "the SMS channel took part: it sent to both phones"
    out, err = capfd.readouterr()
    written = all_logs.lines + out.splitlines() + err.splitlines()
    assert any('"message": "request"' in line for line in written), "nothing was captured"
    leaks = {value: line for line in written for value in PERSONAL if value in line}
    assert leaks == {}
