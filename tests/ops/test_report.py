"""The working group's report: its figures are the API's summary for the same period, the
page renders in a real headless Chromium with its charts, and nothing personal is in it."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from openpyxl import load_workbook
from rich.console import Console

from ops.api import ApiError
from ops.report.build import build
from tests.conftest import bearer
from tests.functional.helpers import application, decide, post, settle, submit, window_application
from tests.functional.jobs import run_job
from tests.ops import browser
from tests.ops.personal import leaks

PROJECT = Path(__file__).resolve().parents[2]
ADMIN = bearer("admin", "admin-1")
CLERK = bearer("clerk", "clerk-1", county="410302")
SECOND = "410311200306159021"  # operator of 洛龙区示例文具店 (410311) in the demo registry
FIRST, LAST = "2026-11-23", "2026-12-20"


class ClientApi:
    """``ops.api.Api`` over the Chalice test client: the same calls, in process. A stand-in
    for the HTTP client because this test moves the service's clock (the ``clock`` fixture
    works in process only); the real client runs over HTTP in tests/ops/test_cli.py."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def get(self, path: str, query: dict[str, str] | None = None) -> Any:
        response = self.client.http.get(f"{path}?{urlencode(query or {})}", headers=ADMIN)
        if response.status_code >= 400:
            raise ApiError(response.status_code, "", "")
        return json.loads(response.body)


def _cases(client: Any, pump: Any, clock: Any) -> None:
    """Three weeks of work: a case decided in 3 working days (rated at its acceptance), a
    window case (rated at its end), and a case in another county whose pension breached its
    deadline before it was decided."""
    online = json.loads(submit(client, application()).body)["id"]
    simple = window_application(items=["taxpayer_confirmation"], pension=None, subsidy=None)
    window = json.loads(post(client, "/v1/applications", simple, CLERK).body)["id"]
    settle(pump, client, online)
    settle(pump, client, window)
    post(client, f"/v1/applications/{online}/rating", {"level": 5}, bearer())  # at acceptance
    clock.set("2026-12-02T10:00:00+08:00")
    decide(client, online)
    settle(pump, client, online)
    post(client, f"/v1/applications/{window}/rating", {"level": 4}, bearer())
    other = application(
        business={"name": "洛龙区示例文具店", "uscc": "92410311MA9XW3T19H"},
        applicant={**application()["applicant"], "id_number": SECOND, "gender": "female"},
        county="410311",
        items=[i for i in application()["items"] if i != "startup_subsidy"],
        subsidy=None,
    )
    late = json.loads(submit(client, other, sub=SECOND).body)["id"]
    settle(pump, client, late, sub=SECOND)
    run_job(client, "deadline-breaches", "2026-12-18T09:00:00+08:00")
    clock.set("2026-12-18T10:00:00+08:00")
    officer = bearer("officer", "officer-2", department="hrss", county="410311")
    path = f"/v1/departments/hrss/tasks/{late}.pension_registration/decision"
    post(client, path, {"approve": True}, officer)
    settle(pump, client, late, sub=SECOND)


def _sheet(book: Any, title: str) -> list[list[Any]]:
    return [list(row) for row in book[title].iter_rows(values_only=True)]


def _totals(rows: list[list[Any]]) -> dict[str, Any]:
    return dict(zip(rows[0][1:-1], rows[-1][1:-1], strict=True))


def test_the_report_shows_the_api_summary_renders_its_charts_and_nothing_personal(
    client: Any, pump: Any, clock: Any
) -> None:
    _cases(client, pump, clock)
    summary = ClientApi(client).get("/v1/reports/summary", {"from": FIRST, "to": LAST})
    assert summary["cases"] == 3 and summary["breaches_closed"]
    out = PROJECT / "build" / "test-ops" / "report.html"
    console = Console(file=io.StringIO(), force_terminal=False)
    written = build(ClientApi(client), console, FIRST, LAST, out)  # type: ignore[arg-type]

    book = load_workbook(written.xlsx)
    assert dict(_sheet(book, "概况")[1:3]) == {"统计期间": f"{FIRST} – {LAST}", "受理办件": 3}
    channel = _sheet(book, "每周受理（按渠道）")
    assert _totals(channel) == {"网上申请": 2, "窗口受理": 1} == _named(summary["by_channel"])
    assert sum(row[-1] for row in channel[1:-1]) == summary["cases"]  # the weeks add up
    county = _sheet(book, "每周受理（按县区）")
    assert _totals(county) == {"老城区": 2, "洛龙区": 1} == _named(summary["by_county"])
    on_time = {r[0]: r[1:3] for r in _sheet(book, "按时办结")[1:]}
    assert on_time["养老保险登记"] == [2, 1]  # one decided in time, one after its breach
    assert on_time["整件"] == [sum(summary["ended"].values()), summary["on_time"]["case"]]
    spread = _sheet(book, "办结用时分布")
    column = spread[0].index("养老保险登记")
    pension = summary["working_days"]["pension_registration"]["histogram"]
    assert {str(r[0]): r[column] for r in spread[1:] if r[column]} == pension
    breaches = {r[0]: r[1:] for r in _sheet(book, "超期")[1:]}
    assert breaches["养老保险登记"] == [1, 1]
    assert breaches["整件"] == [summary["breaches"]["case"], summary["breaches_closed"]["case"]]
    rated = _sheet(book, "好差评")
    assert rated[0] == ["评价", "受理环节", "办结环节"]  # a column per stage
    ratings = {r[0]: r[1:] for r in rated[1:]}
    assert ratings["5 非常满意"] == [1, 0] and ratings["4 满意"] == [0, 1]
    staged = summary["ratings_by_stage"]
    assert (staged["acceptance"]["5"], staged["completion"]["4"]) == (1, 1)

    html = written.html.read_text("utf-8")
    assert leaks(html) == [] and leaks(json.dumps(_all_cells(book), ensure_ascii=False)) == []
    rendered = browser.dom(written.html)
    assert len(re.findall(r"<svg[\s>]", rendered)) >= 4
    assert "每周受理量（按渠道）" in rendered and "老城区" in rendered
    png = PROJECT / "build" / "test-ops" / "report.png"
    browser.screenshot(written.html, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def _named(counts: dict[str, int]) -> dict[str, int]:
    from ops import labels

    names = {**labels.CHANNELS, **labels.COUNTIES}
    return {names[k]: v for k, v in counts.items()}


def _all_cells(book: Any) -> list[Any]:
    return [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
