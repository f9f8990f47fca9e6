"""Each reader of a case sees the applicant's personal data as docs/domain.md §10 allows (masked
unless they need it), and every staff read is recorded in the case's access log, which only
admins read."""

from __future__ import annotations

import json

import pytest

from chalicelib import deps
from chalicelib.domain.access import Principal, Role
from chalicelib.services import read
from tests.conftest import bearer
from tests.functional.helpers import OPERATOR, post, settle, window_application

COUNTY = "410302"
CLERK = bearer("clerk", "clerk-1", county=COUNTY)
ADMIN = bearer("admin", "ops-1")
HRSS = bearer("officer", "hrss-1", department="hrss", county=COUNTY)
TAX = bearer("officer", "tax-1", department="tax", county=COUNTY)
MARKET = bearer("officer", "amr-1", department="market_regulation", county=COUNTY)
CLEAR = {
    "name": "张三",
    "id_type": "resident_id_card",
    "id_number": OPERATOR,
    "phone": "13800138000",
    "subsidy_bank": "中国银行洛阳分行",
    "subsidy_account": "6216610200001234567",
}
MASKED = {
    "name": "张*",
    "id_number": "4103**********9018",
    "phone": "138****8000",
    "subsidy_account": "****4567",
}


@pytest.fixture
def window_case(client, pump, clock):
    """All five items, taken at the window by clerk-1 (so a clerk may read it too)."""
    response = post(client, "/v1/applications", window_application(), CLERK)
    assert response.status_code == 202, response.body
    case_id = json.loads(response.body)["id"]
    settle(pump, client, case_id)
    return case_id


def applicant_seen_by(client, case_id, headers):
    response = client.http.get(f"/v1/applications/{case_id}", headers=headers)
    assert response.status_code == 200, response.body
    return json.loads(response.body)["applicant"]


def expected(*clear_fields):
    view = dict(CLEAR)
    for field, masked in MASKED.items():
        if field.removeprefix("subsidy_") not in clear_fields:
            view[field] = masked
    hidden = {"name", "id_number", "phone", "account"} - set(clear_fields)
    return {**view, "masked": sorted(hidden)}


@pytest.mark.parametrize(
    ("reader", "clear_fields"),
    [
        (bearer("applicant", OPERATOR), ("name", "id_number", "phone", "account")),
        (HRSS, ("name", "id_number", "phone", "account")),
        (TAX, ("name", "id_number", "phone")),
        (MARKET, ("name", "phone")),
        (CLERK, ("name",)),
        (bearer("clerk", "clerk-2", county=COUNTY), ("name",)),  # the county's window
        (ADMIN, ()),
    ],
    ids=[
        "owner",
        "hrss-officer",
        "tax-officer",
        "market-officer",
        "clerk",
        "county-clerk",
        "admin",
    ],
)
def test_each_reader_sees_the_personal_data_their_role_needs_and_the_rest_masked(
    client, window_case, reader, clear_fields
):
    assert applicant_seen_by(client, window_case, reader) == expected(*clear_fields)


@pytest.mark.parametrize(
    "reader",
    [
        bearer("applicant", "410311200306159021"),
        bearer("officer", "hrss-9", department="hrss", county="410311"),
        bearer("clerk", "clerk-3", county="410311"),
    ],
    ids=["other-applicant", "officer-of-another-county", "clerk-of-another-county"],
)
def test_readers_who_may_not_read_the_case_are_told_it_does_not_exist(client, window_case, reader):
    response = client.http.get(f"/v1/applications/{window_case}", headers=reader)
    assert response.status_code == 404


def access_log(client, case_id, headers=ADMIN):
    return client.http.get(f"/v1/admin/applications/{case_id}/access-log", headers=headers)


def test_every_staff_read_is_in_the_access_log_and_the_owners_are_not(client, clock, window_case):
    for minute, reader in enumerate((bearer("applicant", OPERATOR), HRSS, TAX, CLERK, ADMIN)):
        clock.set(f"2026-11-27T11:{minute:02d}:00+08:00")
        applicant_seen_by(client, window_case, reader)
    response = access_log(client, window_case)
    assert response.status_code == 200, response.body
    entries = json.loads(response.body)["entries"]
    assert [(e["subject"], e["role"], e["department"], e["county"]) for e in entries] == [
        ("hrss-1", "officer", "hrss", COUNTY),
        ("tax-1", "officer", "tax", COUNTY),
        ("clerk-1", "clerk", None, COUNTY),
        ("ops-1", "admin", None, None),
    ]
    assert {e["operation"] for e in entries} == {"get_application"}
    assert [e["clear"] for e in entries] == [
        ["account", "delivery", "id_number", "name", "phone"],
        ["id_number", "name", "phone"],
        ["name"],
        [],
    ]
    assert len({e["request_id"] for e in entries}) == 4
    assert [e["at"] for e in entries] == [f"2026-11-27T11:0{m}:00+08:00" for m in (1, 2, 3, 4)]


def test_a_retried_request_is_recorded_once(client, window_case):
    svc = deps.services()
    officer = Principal(Role.OFFICER, "hrss-1", department="hrss", county=COUNTY)
    # A retry carries the request's own id and arrival time (API Gateway's context).
    purpose = read.Purpose("get_application", "request-1", "2026-11-27T03:00:00.000000+00:00")
    for _ in range(2):
        read.case_with_personal(svc, officer, window_case, purpose)
    assert [r.request_id for r in svc.repo.access_log(window_case)[0]] == ["request-1"]


def test_only_admins_read_the_access_log_and_an_unknown_case_has_none(client, window_case):
    assert access_log(client, window_case, HRSS).status_code == 403
    assert access_log(client, window_case, bearer("applicant", OPERATOR)).status_code == 403
    assert access_log(client, "no-such-case").status_code == 404


def test_the_access_log_pages_in_time_order(client, clock, window_case):
    for minute in (3, 1, 2):  # read out of request order: the log follows time
        clock.set(f"2026-11-27T12:0{minute}:00+08:00")
        applicant_seen_by(client, window_case, HRSS)
    path = f"/v1/admin/applications/{window_case}/access-log"
    first = json.loads(client.http.get(f"{path}?limit=2", headers=ADMIN).body)
    assert [e["at"][11:16] for e in first["entries"]] == ["12:01", "12:02"]
    assert first["next"]
    second = json.loads(
        client.http.get(f"{path}?limit=2&after={first['next']}", headers=ADMIN).body
    )
    assert [e["at"][11:16] for e in second["entries"]] == ["12:03"] and second["next"] is None
    bad = client.http.get(f"{path}?after=not-a-cursor", headers=ADMIN)
    assert (bad.status_code, json.loads(bad.body)["code"]) == (400, "cursor.invalid")
    assert client.http.get(f"{path}?limit=0", headers=ADMIN).status_code == 400


def test_answers_behind_a_token_are_never_stored_by_caches(client, window_case):
    read = client.http.get(f"/v1/applications/{window_case}", headers=HRSS)
    assert read.status_code == 200 and read.headers["Cache-Control"] == "no-store"
    missing = client.http.get("/v1/applications/no-such-case", headers=HRSS)
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"
    mine = client.http.get("/v1/me/applications", headers=bearer("applicant", OPERATOR))
    assert mine.headers["Cache-Control"] == "no-store"
