"""Every route × every caller, each cell's status written down (issue 5, Access).

The case: submitted online by the owner in 410302 with all five items (so market regulation,
tax and HRSS of 410302 all work on it), settled until HRSS reviews the pension; some rows take
it further (see ``access_rows.ROWS``). Every cell sends a valid request, so its status is the
access decision. A row's cells run refusals (401, 403, 404) first, then the others in column
order: a 409 is a caller who may act, after an earlier cell of the row already did. A row
that changes state gets a fresh case of its own; read-only rows prepared alike share one.

Beyond the statuses: a caller who may not know the case exists is told exactly what a made-up
id would tell them (status, code and detail), and so is HRSS of another county; list routes
name the case to exactly the callers in ``SEES_THE_CASE``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.api.routing import routes
from tests.functional.access_rows import (
    CALLERS,
    COLUMNS,
    HRSS_ELSEWHERE,
    PATIENCE_S,
    READ_ONLY,
    ROWS,
    Case,
    Request,
    guessed,
    send,
)
from tests.functional.helpers import application, settle, submit
from tests.functional.jobs import notifications

# fmt: off
# columns (access_rows.CALLERS):
#   own   owner: the applicant whose case it is
#   oth   another applicant
#   clk   a window clerk of 410302, the case's county (who did not take this online case)
#   clk'  a window clerk of 410311
#   off   an HRSS officer of 410302 (the pension task is HRSS's)
#   off'  a tax officer of 410302: another department; the case involves tax (taxpayer
#         confirmation), so they may read it, but not work HRSS's queue or tasks
#   adm   an administrator
#   none  no token
#                                     own  oth  clk  clk' off  off' adm  none
MATRIX: dict[str, tuple[int, int, int, int, int, int, int, int]] = {
    "submit_application":            (202, 403, 202, 403, 403, 403, 403, 401),
    "get_application":               (200, 404, 200, 404, 200, 200, 200, 401),
    "claim_startup_subsidy":         (200, 404, 403, 403, 403, 403, 403, 401),
    "submit_correction":             (200, 404, 403, 404, 403, 403, 403, 401),
    "withdraw_application":          (200, 404, 403, 404, 403, 403, 403, 401),
    "rate_application":              (201, 404, 403, 403, 403, 403, 403, 401),
    "take_or_hand_over_application": (403, 403, 200, 404, 409, 409, 403, 401),
    "get_delivery":                  (200, 404, 200, 404, 200, 200, 200, 401),
    "dispatch_delivery":             (403, 403, 403, 403, 200, 409, 403, 401),
    "hand_over_delivery":            (403, 403, 200, 404, 403, 403, 403, 401),
    "create_upload":                 (201, 201, 201, 201, 403, 403, 403, 401),
    "get_application_archive":       (403, 403, 403, 403, 200, 200, 200, 401),
    "list_my_applications":          (200, 200, 200, 200, 403, 403, 403, 401),
    "list_my_certificates":          (200, 200, 403, 403, 403, 403, 403, 401),
    "list_my_notifications":         (200, 200, 403, 403, 403, 403, 403, 401),
    "mark_notification_read":        (200, 404, 403, 403, 403, 403, 403, 401),
    "list_events":                   (200, 200, 200, 200, 200, 200, 200, 401),
    "list_department_tasks":         (403, 403, 403, 403, 200, 403, 403, 401),
    "decide_department_task":        (403, 403, 403, 403, 200, 403, 403, 401),
    "list_department_breaches":      (403, 403, 403, 403, 200, 403, 403, 401),
    "get_subsidy_notice":            (200, 200, 200, 200, 200, 200, 200, 200),
    "request_correction":            (403, 403, 403, 403, 200, 403, 403, 401),
    "list_follow_ups":               (403, 403, 403, 403, 200, 403, 403, 401),
    "close_follow_up":               (403, 403, 403, 403, 200, 403, 403, 401),
    "get_report_summary":            (403, 403, 403, 403, 403, 403, 200, 401),
    "get_report_current":            (403, 403, 403, 403, 403, 403, 200, 401),
    "run_job":                       (403, 403, 403, 403, 403, 403, 200, 401),
    "put_calendar_year":             (403, 403, 403, 403, 403, 403, 200, 401),
    "list_calendar_years":           (403, 403, 403, 403, 403, 403, 200, 401),
    "list_calendar_year_versions":   (403, 403, 403, 403, 403, 403, 200, 401),
    "list_admin_actions":            (403, 403, 403, 403, 403, 403, 200, 401),
    "get_access_log":                (403, 403, 403, 403, 403, 403, 200, 401),
    "retry_department_task":         (403, 403, 403, 403, 200, 403, 403, 401),
    "list_connectors":               (403, 403, 403, 403, 403, 403, 200, 401),
    "list_dead_letters":             (403, 403, 403, 403, 403, 403, 200, 401),
    "retry_dead_letter":             (403, 403, 403, 403, 403, 403, 202, 401),
    "record_sms_receipts":           (200, 200, 200, 200, 200, 200, 200, 200),
    "get_guide":                     (200, 200, 200, 200, 200, 200, 200, 200),
    "get_faq":                       (200, 200, 200, 200, 200, 200, 200, 200),
    "get_openapi":                   (200, 200, 200, 200, 200, 200, 200, 200),
    "get_docs":                      (200, 200, 200, 200, 200, 200, 200, 200),
    "get_docs_asset":                (200, 200, 200, 200, 200, 200, 200, 200),
}
# fmt: on

# Lists: which callers' 200 names the row's case (everyone else's must not).
SEES_THE_CASE: dict[str, set[str]] = {
    "list_my_applications": {"owner"},
    "list_my_certificates": {"owner"},
    "list_my_notifications": {"owner"},
    "list_events": {"owner", "clerk", "officer", "officer_other_department", "admin"},
    "list_department_tasks": {"officer"},
    "list_department_breaches": {"officer"},
    "list_follow_ups": {"officer"},
}
REFUSALS = (401, 403, 404)
# Who may know the case exists: the callers get_application answers 200.
VIEWERS = {c for c, s in zip(COLUMNS, MATRIX["get_application"], strict=True) if s == 200}
ROUTES = {route.name: route for route in routes()}


def _cells(name: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The row's refusals, then the rest, each in column order."""
    cells = list(zip(COLUMNS, MATRIX[name], strict=True))
    return [c for c in cells if c[1] in REFUSALS], [c for c in cells if c[1] not in REFUSALS]


def _answer(response: Any) -> tuple[int, str | None, str | None]:
    body = json.loads(response.body) if response.status_code >= 400 else {}
    return response.status_code, body.get("code"), body.get("detail")


def _scoped(name: str) -> bool:
    """The route names a case (or a notification) in its path: ids could be guessed."""
    path = ROUTES[name].path
    return any(p in path for p in ("{application_id}", "{task_id}", "{notification_id}"))


@pytest.mark.parametrize("name", sorted(set(MATRIX) | set(ROUTES) | set(ROWS) | READ_ONLY))
def test_every_route_has_a_row_and_every_row_a_route(name):
    assert name in ROUTES, f"{name}: a row for a route routes.json does not have"
    assert name in MATRIX, f"{name}: a route with no row in the access matrix"
    assert name in ROWS, f"{name}: no request for this route in access_rows.ROWS"
    if ROUTES[name].method != "GET":
        assert name not in READ_ONLY, f"{name} changes state: it needs a case of its own"


def _groups() -> dict[str, list[str]]:
    """A mutating row alone with its fresh case; read-only rows prepared alike share one."""
    groups: dict[str, list[str]] = {}
    for name in sorted(MATRIX):
        prepare = ROWS[name][0]
        groups.setdefault(f"reads_{prepare.__name__}" if name in READ_ONLY else name, []).append(
            name
        )
    return groups


GROUPS = _groups()


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_each_caller_gets_the_status_written_in_its_cell(group, client, pump, clock):
    case = ROWS[GROUPS[group][0]][0](client, pump, clock)
    got = {name: _row(client, name, case) for name in GROUPS[group]}
    assert got == {name: dict(zip(COLUMNS, MATRIX[name], strict=True)) for name in got}


def _row(client, name: str, case: Case) -> dict[str, int]:
    build = ROWS[name][1]
    refusals, others = _cells(name)
    got = {column: _cell(client, name, case, build(case, column), column) for column, _ in refusals}
    if _scoped(name):  # before anyone changes the case
        request = build(case, "officer")
        real = send(client, request, HRSS_ELSEWHERE)
        guess = send(client, guessed(request, case), HRSS_ELSEWHERE)
        assert real.status_code in (403, 404), real.body
        assert _answer(real) == _answer(guess), "HRSS of 410311 is told more than a guess"
    got |= {column: _cell(client, name, case, build(case, column), column) for column, _ in others}
    return got


def _cell(client, name: str, case: Case, request: Request, column: str) -> int:
    response = send(client, request, CALLERS[column])
    if response.status_code == 200 and name in SEES_THE_CASE:
        sees = case.id in response.body.decode()
        assert sees == (column in SEES_THE_CASE[name]), (column, "sees the case" if sees else "")
    if column not in VIEWERS and _scoped(name):
        again = send(client, guessed(request, case), CALLERS[column])
        assert _answer(again) == _answer(response), (column, "is told more than a guess")
    return int(response.status_code)


def test_an_officer_of_a_department_the_case_does_not_involve_is_told_what_a_guess_is_told(
    client, pump, clock
):
    # Given a case for the employment certificate alone: market regulation and HRSS, no tax
    body = application(items=["employment_certificate"], pension=None, subsidy=None)
    response = submit(client, body)
    assert response.status_code == 202, response.body
    case = Case(id=json.loads(response.body)["id"])
    assert settle(pump, client, case.id, idle_s=PATIENCE_S)["status"] == "completed"
    case.notification = notifications(client, CALLERS["owner"])[0]["id"]
    reading = send(client, ROWS["get_application"][1](case, "officer"), CALLERS["officer"])
    assert reading.status_code == 200  # HRSS of the county works on it
    # Then the county's tax officer learns nothing a made-up id would not tell them
    for name in sorted(n for n in MATRIX if _scoped(n)):
        request = ROWS[name][1](case, "officer_other_department")
        real = send(client, request, CALLERS["officer_other_department"])
        guess = send(client, guessed(request, case), CALLERS["officer_other_department"])
        assert real.status_code in (403, 404), (name, real.body)
        assert _answer(real) == _answer(guess), name
