"""A local server that stays fast: `make run`'s server (python -m devtools.server, moto with
DynamoDB's transaction semantics) started twice side by side, one empty and one holding 5,000
demo cases (``--seed``), and the same submissions sent to each in turn; p50 of each.

Both run with ``--no-pump`` so that what is timed is the submission (HTTP front, authorizer,
validation, the case's transaction, StartExecution), not the workflows of earlier cases
competing for the same process."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.calls import expect
from chalicelib.api.schemas import APPLICATION_EXAMPLE
from tests.conftest import token
from tests.local_server import local_server

GOAL = 1.5
SEED_TIMEOUT_S = 1800.0


def _submit(url: str, key: str, bearer: str) -> float:
    body = json.dumps(APPLICATION_EXAMPLE, ensure_ascii=False).encode()
    headers = {
        "Authorization": f"Bearer {bearer}",
        "Content-Type": "application/json",
        "Idempotency-Key": key,
    }
    # Loopback only: our own local servers.
    request = urllib.request.Request(  # noqa: S310
        f"{url}/v1/applications", data=body, method="POST", headers=headers
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        response.read()
        expect(response.status == 202, response.status)
    return (time.perf_counter() - started) * 1000


def measure(stored: int = 5000, submissions: int = 30) -> dict[str, Any]:
    bearer = token("applicant", "410302199001019018")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as servers:
        logs = Path(tmp)
        started = time.perf_counter()
        full = servers.enter_context(
            local_server(
                logs / "seeded.log",
                "devtools.server",
                "--no-pump",
                "--seed",
                str(stored),
                start_timeout_s=SEED_TIMEOUT_S,
            )
        )
        seed_s = time.perf_counter() - started
        empty = servers.enter_context(
            local_server(logs / "empty.log", "devtools.server", "--no-pump")
        )
        _submit(empty, "warm-up", bearer), _submit(full, "warm-up", bearer)  # first request
        times: dict[str, list[float]] = {"empty": [], "full": []}
        for n in range(submissions):
            times["empty"].append(_submit(empty, f"bench-{n}", bearer))
            times["full"].append(_submit(full, f"bench-{n}", bearer))
    p50_empty, p50_full = (statistics.median(times[k]) for k in ("empty", "full"))
    return {
        "stored_cases": stored,
        "submissions_each": submissions,
        "p50_ms_at_0": round(p50_empty, 1),
        f"p50_ms_at_{stored}": round(p50_full, 1),
        "ratio": round(p50_full / p50_empty, 2),
        "goal": GOAL,
        "seed_s": round(seed_s, 1),
        "server": "python -m devtools.server --no-pump (make run's server and moto patches)",
    }


def table(result: dict[str, Any]) -> str:
    stored = result["stored_cases"]
    return "\n".join(
        [
            f"Local submission latency: make run's server, empty vs {stored} stored demo cases, "
            f"{result['submissions_each']} submissions to each in turn (HTTP, p50)",
            f"  0 stored cases        {result['p50_ms_at_0']:8.1f} ms",
            f"  {stored} stored cases   {result[f'p50_ms_at_{stored}']:8.1f} ms   "
            f"(seeding took {result['seed_s']} s, with its progress bar in the server's output)",
            f"  ratio                 {result['ratio']:8.2f}     goal ≤ {result['goal']}",
        ]
    )
