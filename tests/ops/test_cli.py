"""Every ``ops`` command against the local service as `make run` starts it (a real server in
a subprocess, its moto and the departments' stand-ins included), the way an operator runs
them: ``python -m ops … --local``.

One server for the module (the xdist group keeps its tests on one worker, in this order),
started with a department that does not answer failing its item to a person at the second
attempt, at once (CONNECTOR_MAX_ATTEMPTS=2, CONNECTOR_RETRY_BASE_SECONDS=0)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from openpyxl import load_workbook

from chalicelib.workflow.queues import DEAD_LETTER_QUEUE
from devtools.department import departments_url, set_mode
from ops import figures
from ops import status as health
from ops.target import local
from tests.conftest import token
from tests.functional.helpers import application
from tests.local_server import local_server
from tests.ops.personal import leaks

pytestmark = pytest.mark.xdist_group("ops-local-server")
PROJECT = Path(__file__).resolve().parents[2]
OUT = PROJECT / "build" / "test-ops"
RECORDS = PROJECT / "build" / "local"  # where `make run` records itself (devtools.server)
FAST_FAILURE = {"CONNECTOR_MAX_ATTEMPTS": "2", "CONNECTOR_RETRY_BASE_SECONDS": "0"}


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with ExitStack() as server:
        with pytest.MonkeyPatch.context() as env:  # the server's environment, not this one's
            for name, value in FAST_FAILURE.items():
                env.setenv(name, value)
            url = server.enter_context(local_server(OUT / "server.log"))
        yield int(url.rsplit(":", 1)[1])


def ops(port: int, *words: str) -> tuple[int, str]:
    """Run the tool as an operator would, without a terminal (plain lines), and check that
    nothing personal is in what it printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run(
        [sys.executable, "-m", "ops", *words, "--local", "--port", str(port)],
        cwd=PROJECT,
        env={**env, "PYTHONPATH": str(PROJECT)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    printed = done.stdout + done.stderr
    assert leaks(printed) == [], printed
    return done.returncode, printed


def _line(printed: str, topic: str) -> str:
    """The one line of ``ops status`` about that topic."""
    found = [line for line in printed.splitlines() if topic in line]
    assert len(found) == 1, printed
    return found[0]


def api(port: int, method: str, path: str, body: object = None, role: str = "admin") -> object:
    sub = "410302199001019018" if role == "applicant" else "ops-test"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=None if body is None else json.dumps(body, ensure_ascii=False).encode(),
        headers={
            "Authorization": f"Bearer {token(role, sub)}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"ops-{time.monotonic_ns()}",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


def test_status_on_a_healthy_service_exits_0(port: int) -> None:
    code, printed = ops(port, "status")
    assert code == 0, printed
    for topic in (
        "队列 queues",
        "死信队列 dead-letter queue",
        "流程 executions",
        "超期 breaches 人社",
    ):
        assert topic in printed
    assert "none waiting for a person" in _line(printed, "死信 dead letters")
    assert "no calls yet" in _line(printed, "接口 connectors tax ")
    assert "yjs-pension-registration" in printed


def test_jobs_run_reports_what_the_job_did(port: int) -> None:
    code, printed = ops(port, "jobs", "run", "deadline-breaches", "--at", "2026-11-30")
    assert code == 0 and "deadline-breaches at 2026-11-29T16:00:00" in printed, printed


def test_a_calendar_file_is_refused_whole_then_loaded_and_status_sees_the_year(
    port: int, tmp_path: Path
) -> None:
    year = {
        "year": 2030,
        "source": "国办发明电〔2029〕1号",
        "holidays": [f"2030-10-{d:02d}" for d in range(1, 8)]
        + [f"2030-02-{d:02d}" for d in range(2, 15)]
        + ["2030-01-01", "2030-04-05", "2030-05-01", "2030-06-05", "2030-09-12"],
        "workdays": ["2030-02-16", "2030-10-12"],
    }
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**year, "workdays": ["2030-02-18"]}), "utf-8")
    code, printed = ops(port, "calendar", "load", str(bad))
    assert code == 2 and "2030-02-18 is a weekday" in printed and "nothing sent" in printed
    good = tmp_path / "2030.json"
    good.write_text(json.dumps(year, ensure_ascii=False), "utf-8")
    assert ops(port, "calendar", "load", str(good), "--check")[0] == 0
    code, printed = ops(port, "calendar", "load", str(good))
    assert code == 0 and "loaded 已载入 2030" in printed, printed
    assert [y["year"] for y in api(port, "GET", "/v1/admin/calendar")["years"]] == [2030]  # type: ignore[index]


def test_the_report_command_writes_the_page_and_the_workbook_of_the_api_summary(
    port: int,
) -> None:
    case = api(port, "POST", "/v1/applications", _application(), role="applicant")
    case_id = case["id"]  # type: ignore[index]
    deadline = time.monotonic() + 60
    while api(port, "GET", f"/v1/applications/{case_id}", role="applicant")["status"] != (  # type: ignore[index]
        "completed"
    ):
        assert time.monotonic() < deadline, "the case did not finish"
        time.sleep(0.3)
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    first = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 - 40 * 86400))
    out = OUT / "cli-report.html"
    code, printed = ops(port, "report", "--from", first, "--to", today, "--out", str(out))
    assert code == 0 and "7 charts" in printed, printed
    assert "reading weekly figures" in printed  # no terminal: plain progress lines
    summary = api(port, "GET", f"/v1/reports/summary?from={first}&to={today}")
    rows = list(
        load_workbook(out.with_suffix(".xlsx"))["每周受理（按渠道）"].iter_rows(values_only=True)
    )
    assert rows[-1][-1] == summary["cases"] == 1  # type: ignore[index]
    assert out.read_text("utf-8").count("<svg") >= 4


def _application() -> dict[str, object]:
    return application(items=["taxpayer_confirmation"], pension=None, subsidy=None)


def _wait(what: str, done: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, what
        time.sleep(0.3)


def test_a_message_left_in_the_dead_letter_queue_needs_a_person(port: int) -> None:
    """Read from SQS as status reads it (queue attributes only). A queue of the server's own
    moto stands in for the dead-letter queue: the server's pump empties the real one at once,
    failing each message's item to a person (the next test's dead letters)."""
    target = local(port)
    sqs = target.client("sqs")
    url = sqs.create_queue(QueueName="ops-test-dead-letters")["QueueUrl"]
    try:
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"case_id": "no-such-case"}))
        found = figures.queues(sqs, target.client("cloudwatch"), {DEAD_LETTER_QUEUE: url})
        lines = health.queue_lines(found)
    finally:
        sqs.delete_queue(QueueUrl=url)
    assert health.needs_a_person(lines)
    assert "1 waiting: the dead-letter handler is not taking them" in lines[-1].text


def test_a_dead_letter_made_on_purpose_shows_in_status_and_is_listed_and_retried(
    port: int,
) -> None:
    """Last in the module: the tax connector's failures count for an hour (status exit 1)."""
    standins = departments_url(RECORDS, port)
    set_mode(standins, "tax", "down")
    try:
        case_id = api(port, "POST", "/v1/applications", _application(), role="applicant")["id"]  # type: ignore[index]
        task_id = f"{case_id}.taxpayer_confirmation"

        def listed() -> list[str]:
            rows = api(port, "GET", "/v1/admin/dead-letters")["items"]  # type: ignore[index]
            return [r["task_id"] for r in rows]

        _wait("the tax item did not fail to a person", lambda: task_id in listed())
        code, printed = ops(port, "status")
        assert code == 1, printed
        assert "1 failed, waiting for a person: ops dead-letters list" in printed, printed
        tax = _line(printed, "接口 connectors tax ")
        assert "2 failures in the last hour, last unavailable at" in tax, printed
        code, printed = ops(port, "dead-letters", "list")
        assert code == 1 and task_id in printed and "1 dead letters" in printed, printed
        assert "纳税人确认" in printed and "税务" in printed and "unavailable" in printed
    finally:
        set_mode(standins, "tax", "ok")
    code, printed = ops(port, "dead-letters", "retry", "--all", "--reason", "税务系统已恢复")
    assert code == 0 and "sent back 已重试 1, failed 失败 0" in printed, printed

    def case() -> dict[str, object]:
        return api(port, "GET", f"/v1/applications/{case_id}", role="applicant")  # type: ignore[return-value]

    _wait("the case did not complete after the retry", lambda: case()["status"] == "completed")
    assert "人工重试：税务系统已恢复" in [h["detail"] for h in case()["history"]]  # type: ignore[attr-defined]
    code, printed = ops(port, "dead-letters", "list")
    assert code == 0 and "no dead letters 无死信" in printed, printed
    # Not failed any more (nor a task at all): each refusal with its status and code, exit 2.
    code, printed = ops(port, "dead-letters", "retry", task_id, "no-such-case.tax")
    assert code == 2 and "sent back 已重试 0, failed 失败 2" in printed, printed
    assert f"{task_id}: HTTP 409 invalid_state" in printed
    assert "no-such-case.tax: HTTP 404" in printed
