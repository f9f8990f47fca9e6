"""Where the document states what an input may be, the code accepts exactly that: a value the
document allows is not refused for its shape, one it forbids is refused with a documented 4xx."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest

from chalicelib.api.examples import PATH_PARAMETERS
from chalicelib.api.openapi import document
from tests.conftest import bearer
from tests.functional.helpers import post

ADMIN = bearer("admin", "admin-1")
CLERK = bearer("clerk", "clerk-1", county="410302")
CALENDAR = {"holidays": [], "workdays": [], "source": "测试数据"}


def _put_year(client, year: str):
    return client.http.put(
        f"/v1/admin/calendar/{year}",
        headers={"Content-Type": "application/json", **ADMIN},
        # replace: years with bundled data (2004-2026) are replaced only on purpose
        body=json.dumps({**CALENDAR, "replace": True}),
    )


@pytest.mark.parametrize(
    "year",
    [
        "0000",
        "2003",
        "2004",
        "2026",
        "2099",
        "2100",
        "2101",
        "9999",
        "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%97",
    ],
)
def test_the_calendar_year_is_refused_exactly_when_the_document_forbids_it(client, year):
    import app  # noqa: F401 - registers every operation

    pattern = PATH_PARAMETERS["year"]["schema"]["pattern"]
    params = document()["paths"]["/v1/admin/calendar/{year}"]["put"]["parameters"]
    assert next(p for p in params if p["name"] == "year")["schema"]["pattern"] == pattern
    allowed = re.fullmatch(pattern, unquote(year)) is not None
    response = _put_year(client, year)
    assert (response.status_code == 200) is allowed, (year, response.body)
    if not allowed:
        assert response.status_code == 400


def test_the_summary_defaults_to_the_last_thirty_days_ending_today(client, clock):
    clock.set("2026-11-27T10:00:00+08:00")
    for query, period in [
        ("", ("2026-10-29", "2026-11-27")),
        ("?to=2026-12-31", ("2026-12-02", "2026-12-31")),
        ("?from=2026-11-01", ("2026-11-01", "2026-11-27")),
    ]:
        response = client.http.get(f"/v1/reports/summary{query}", headers=ADMIN)
        assert response.status_code == 200, (query, response.body)
        report = json.loads(response.body)
        assert (report["from"], report["to"]) == period
    late = client.http.get("/v1/reports/summary?from=2026-12-01", headers=ADMIN)
    assert late.status_code == 422  # from after today: documented, not a 500


def test_the_summary_documents_its_query_as_optional():
    import app  # noqa: F401 - registers every operation

    params = document()["paths"]["/v1/reports/summary"]["get"]["parameters"]
    assert {p["name"]: p["required"] for p in params if p["in"] == "query"} == {
        "from": False,
        "to": False,
    }


@pytest.mark.parametrize("code", ["abcdef", "１２３４５６", "12345", "1234567", "12345\n"])
def test_a_pickup_code_that_is_not_six_digits_is_a_field_problem(client, code):
    import app  # noqa: F401 - registers every operation

    schema = document()["components"]["schemas"]["HandoverIn"]["properties"]["pickup_code"]
    assert re.fullmatch(schema["pattern"], code) is None
    response = post(client, "/v1/applications/none/delivery/handover", {"pickup_code": code}, CLERK)
    assert response.status_code == 422, response.body
    assert [e["field"] for e in json.loads(response.body)["errors"]] == ["pickup_code"]
