"""The parts of ``ops`` written against routes the service does not have yet (connectors,
dead letters and their retry), checked against a stub that answers their planned contract,
plus the tool's pure pieces: the calendar file's checks, weeks, status levels, plain output."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from rich.console import Console

from ops import calendar_file, cli, commands, deadletters, integrations, status
from ops.api import Api
from ops.figures import QueueFigures
from ops.report.data import weeks
from ops.target import Target
from tests.ops.personal import leaks

DEAD = [
    {
        "task_id": "c-1.taxpayer_confirmation",
        "application_id": "c-1",
        "item": "taxpayer_confirmation",
        "department": "tax",
        "county": "410302",
        "failed_at": "2026-11-27T10:00:00+08:00",
        "reason_class": "timeout",
        "applicant_name": "张三",  # a field the contract does not have: never shown
        "id_number": "410302199001019018",
    },
    {
        "task_id": "c-2.pension_registration",
        "application_id": "c-2",
        "item": "pension_registration",
        "department": "hrss",
        "county": "410311",
        "failed_at": "2026-11-27T11:00:00+08:00",
        "reason_class": "unavailable",
    },
]
CONNECTORS = [
    {
        "name": "tax",
        "department": "tax",
        "configured": True,
        "last_success_at": "2026-11-27T10:00:00+08:00",
        "last_failure_at": None,
        "last_failure_class": None,
        "failures_last_hour": 0,
    },
    {
        "name": "hrss",
        "department": "hrss",
        "configured": True,
        "last_success_at": "2026-11-27T09:00:00+08:00",
        "last_failure_at": "2026-11-27T10:05:00+08:00",
        "last_failure_class": "refused",
        "failures_last_hour": 4,
    },
]


class Stub(BaseHTTPRequestHandler):
    retried: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        bodies = {"/v1/admin/dead-letters": {"items": DEAD}, "/v1/admin/connectors": {}}
        bodies["/v1/admin/connectors"] = {"connectors": CONNECTORS}
        self._answer(200, bodies.get(self.path))

    def do_POST(self) -> None:
        task = self.path.split("/")[4]
        self.retried.append(task)
        self._answer(202, {}) if task.startswith("c-1") else self._answer(409, {"code": "x"})

    def _answer(self, code: int, body: Any) -> None:
        code = code if body is not None else 404
        text = json.dumps(body if body is not None else {"code": "not_found"}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def api() -> Iterator[Api]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Stub.retried = []
    yield Api(f"http://127.0.0.1:{server.server_address[1]}", lambda: "token")
    server.shutdown()


def plain() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=120, force_terminal=False), out


def test_dead_letters_are_listed_with_ids_codes_and_times_only(api: Api) -> None:
    console, out = plain()
    target = Target("stub", api, None, {}, "")
    assert commands.dl_list(None, target, console) == 1  # type: ignore[arg-type]
    text = out.getvalue()
    assert "c-1.taxpayer_confirmation" in text and "2 dead letters" in text
    assert leaks(text) == []


def test_retry_all_sends_each_back_and_reports_the_ones_refused(api: Api) -> None:
    console, out = plain()
    ids = deadletters.chosen(api, True, [])
    result = deadletters.retry(api, console, ids or [])
    assert Stub.retried == ["c-1.taxpayer_confirmation", "c-2.pension_registration"]
    assert result.sent == ["c-1.taxpayer_confirmation"]
    assert result.failed == {"c-2.pension_registration": "HTTP 409 x"}
    assert "retrying 重试: 2/2" in out.getvalue()  # no terminal: a plain progress line


def test_a_connector_failing_in_the_last_hour_needs_a_person(api: Api) -> None:
    target = Target("stub", api, None, {}, "")
    lines = status.connector_lines(target)
    assert [line.level for line in lines] == [status.Level.OK, status.Level.ATTENTION]
    assert "4 failures" in lines[1].text and "refused" in lines[1].text


def test_without_the_routes_the_tool_says_they_are_not_there_yet() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api = Api(f"http://127.0.0.1:{server.server_address[1]}", lambda: "token")
    try:
        assert integrations.dead_letters(api) is None
        assert integrations.connectors(api) is None
        line = status.connector_lines(Target("stub", api, None, {}, ""))[0]
        assert line.level is status.Level.NOTE
    finally:
        server.shutdown()


class _NotFound(Stub):
    def do_GET(self) -> None:
        self._answer(404, None)


def test_a_calendar_file_is_checked_whole_before_anything_is_sent() -> None:
    good = {
        "year": 2027,
        "source": "国办发明电〔2026〕1号",
        "holidays": [f"2027-10-{d:02d}" for d in range(1, 8)]
        + [f"2027-02-{d:02d}" for d in range(5, 18)]
        + ["2027-01-01", "2027-04-05", "2027-05-01", "2027-06-09", "2027-09-15"],
        "workdays": ["2027-02-20", "2027-10-09"],
    }
    assert calendar_file.problems(good) == []
    bad = {**good, "source": "", "workdays": ["2027-02-22", "2026-12-31"], "holidays": ["x"]}
    found = calendar_file.problems(bad)
    assert any("source" in p for p in found)
    assert any("2027-02-22 is a weekday" in p for p in found)
    assert any("2026-12-31 is not in 2027" in p for p in found)
    assert any("'x' is not a YYYY-MM-DD date" in p for p in found)


def test_weeks_run_monday_to_sunday_cut_to_the_period() -> None:
    from datetime import date

    found = weeks(date(2026, 11, 27), date(2026, 12, 9))
    assert [(w.first.isoformat(), w.last.isoformat()) for w in found] == [
        ("2026-11-27", "2026-11-29"),
        ("2026-11-30", "2026-12-06"),
        ("2026-12-07", "2026-12-09"),
    ]


def test_a_dead_letter_or_a_long_wait_in_a_queue_needs_a_person() -> None:
    calm = [QueueFigures("yjs-dead-letters", 0, 0, 0, None), QueueFigures("q", 3, 1, 0, 20)]
    assert not status.needs_a_person(status.queue_lines(calm))
    stuck = [QueueFigures("yjs-dead-letters", 1, 0, 0, None), QueueFigures("q", 0, 0, 0, None)]
    assert status.needs_a_person(status.queue_lines(stuck))
    slow = [QueueFigures("yjs-dead-letters", 0, 0, 0, None), QueueFigures("q", 9, 0, 0, 1200)]
    assert status.needs_a_person(status.queue_lines(slow))


COMMANDS = [
    [],
    ["status"],
    ["dead-letters"],
    ["dead-letters", "list"],
    ["dead-letters", "retry"],
    ["jobs"],
    ["jobs", "run"],
    ["calendar"],
    ["calendar", "load"],
    ["report"],
]


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "ops")
def test_every_command_has_help(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main([*words, "--help"])
    assert stopped.value.code == 0
    assert "usage: ops" in capsys.readouterr().out
