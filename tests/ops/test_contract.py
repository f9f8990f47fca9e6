"""The tool's pure pieces: the calendar file's checks, weeks, status levels, help, and the
limits it shares with the service's routes. The commands themselves run against the real
local service in test_cli.py."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console

from chalicelib.api.schemas import RetryIn
from chalicelib.services.connectors import FAILED_LIST_MAX
from ops import calendar_file, cli, deadletters, integrations, status
from ops.figures import QueueFigures
from ops.report.data import weeks
from ops.target import Target
from tests.ops.personal import leaks


class Answers:
    """What ``Api.get`` would return, per path (for the status levels alone)."""

    def __init__(self, bodies: dict[str, Any]) -> None:
        self.bodies = bodies

    def get(self, path: str) -> Any:
        return self.bodies[path]


def _connector(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "department": name,
        "configured": True,
        "last_success_at": None,
        "last_failure_at": None,
        "last_failure_class": None,
        "failures_last_hour": 0,
        **fields,
    }


def test_a_connector_not_configured_or_failing_needs_a_person() -> None:
    found = [
        _connector("market_regulation"),
        _connector("tax", last_success_at="2026-11-27T10:00:00+08:00"),
        _connector("hrss_finance", configured=False),
        _connector(  # failed after its last success, more than an hour ago
            "hrss_employment",
            last_success_at="2026-11-27T08:00:00+08:00",
            last_failure_at="2026-11-27T09:00:00+08:00",
            last_failure_class="timeout",
        ),
    ]
    api = Answers({"/v1/admin/connectors": {"connectors": found}})
    lines = status.connector_lines(Target("fake", api, None, {}, ""))  # type: ignore[arg-type]
    assert [line.level for line in lines] == [
        status.Level.OK,
        status.Level.OK,
        status.Level.ATTENTION,
        status.Level.ATTENTION,
    ]
    assert lines[0].text == "no calls yet" and lines[2].text == "not configured"
    assert "0 failures in the last hour, last timeout at 2026-11-27T09:00" in lines[3].text


def test_a_dead_letter_shows_ids_codes_and_times_only_whatever_else_it_carries() -> None:
    row = {
        "task_id": "c-1.taxpayer_confirmation",
        "application_id": "c-1",
        "item": "taxpayer_confirmation",
        "department": "tax",
        "county": "410302",
        "failed_at": "2026-11-27T10:00:00+08:00",
        "reason_class": "timeout",
        "applicant_name": "张三",  # not in the route's answer: never shown if it were
        "id_number": "410302199001019018",
    }
    rows = integrations.dead_letters(Answers({"/v1/admin/dead-letters": {"items": [row]}}))  # type: ignore[arg-type]
    assert list(rows[0]) == list(integrations.DEAD_LETTER_FIELDS)
    out = io.StringIO()
    deadletters.render(Console(file=out, width=120, force_terminal=False), rows)
    assert "c-1.taxpayer_confirmation" in out.getvalue() and "1 dead letters" in out.getvalue()
    assert leaks(out.getvalue()) == [] and "张三" not in out.getvalue()


def test_the_limits_the_tool_shares_with_the_service_are_the_same() -> None:
    assert integrations.DEAD_LETTERS_LISTED_AT_MOST == FAILED_LIST_MAX
    limits = {type(m).__name__: m for m in RetryIn.model_fields["reason"].metadata}
    assert limits["MaxLen"].max_length == integrations.REASON_MAX


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_retry_reason_the_route_would_refuse_is_refused_before_anything_is_sent(
    reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["dead-letters", "retry", "--all", "--reason", reason, "--local"])
    assert stopped.value.code == 2
    assert "must be 1 to 500 characters" in capsys.readouterr().err


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
