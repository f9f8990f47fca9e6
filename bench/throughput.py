"""Throughput end to end on moto: submit N cases through the API, drive every one through
the state machine to its outcome (the officer decides each pension), and split the time by
package with cProfile: the project's own code against what moto, botocore and the rest
spend on the same calls."""

from __future__ import annotations

import cProfile
import json
import pstats
import time
from collections import Counter
from typing import Any

from bench.calls import expect
from bench.stack import local_stack
from tests.functional.helpers import FINAL, application, decide, submit

BUCKETS = (
    ("project", ("/chalicelib/", "/app.py")),
    ("moto", ("/moto/",)),
    ("botocore/boto3", ("/botocore/", "/boto3/", "/s3transfer/")),
    ("pydantic", ("/pydantic/", "/pydantic_core/")),
    ("chalice", ("/chalice/",)),
    ("test drivers", ("/tests/", "/devtools/", "/bench/")),
)


WAITING = ("sleep", "acquire", "wait")  # the pump idling while the engine's threads work


def _bucket(filename: str, function: str) -> str:
    if filename == "~":  # a builtin: bucket by what it belongs to
        if any(word in function for word in WAITING):
            return "waiting (pump idle)"
        filename = "/pydantic_core/" if "pydantic_core" in function else filename
    for name, parts in BUCKETS:
        if any(part in filename for part in parts):
            return name
    return "other (stdlib: json, logging, hashlib…)"


def split(profile: cProfile.Profile) -> tuple[dict[str, float], float]:
    """Own time (tottime) per package, in seconds; and the time inside AWS calls (botocore's
    ``_make_api_call``, with moto answering in-thread), cumulative."""
    stats = pstats.Stats(profile)
    seconds: Counter[str] = Counter()
    in_aws = 0.0
    for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
        seconds[_bucket(filename, function)] += row[2]
        if function == "_make_api_call" and filename.endswith("botocore/client.py"):
            in_aws += row[3]
    return {name: round(s, 2) for name, s in seconds.most_common()}, in_aws


def _finished(stack: Any, label: str) -> int:
    """Messages a handler took (cheap: no reads while the pump waits)."""
    return int(stack.pump.handled[label])


def _drive(stack: Any, cases: int) -> dict[str, float]:
    started = time.perf_counter()
    ids = []
    for n in range(cases):
        response = submit(stack.client, application(), **{"Idempotency-Key": f"bench-{n}"})
        expect(response.status_code == 202, response.body)
        ids.append(json.loads(response.body)["id"])
    submitted = time.perf_counter()
    pensions = stack.pump.run_until(
        lambda: _finished(stack, "item:pension_registration") >= cases, timeout_s=1800
    )
    expect(pensions, "not every pension reached its officer")
    for case_id in ids:
        decided = decide(stack.client, case_id)
        expect(decided.status_code == 200, decided.body)
    outcomes = stack.pump.run_until(
        lambda: _finished(stack, "item:finalize") >= cases, timeout_s=1800
    )
    expect(outcomes, "not every case finished")
    done = time.perf_counter()
    final = {stack.svc.repo.get_case(case_id).status for case_id in ids}
    expect(final <= FINAL, final)
    return {"submit_s": submitted - started, "total_s": done - started}


def measure(cases: int = 200) -> dict[str, Any]:
    with local_stack() as stack:
        profile = cProfile.Profile()
        profile.enable()
        times = _drive(stack, cases)
        profile.disable()
        calls = dict(stack.calls.total)
    seconds, in_aws = split(profile)
    busy = {k: v for k, v in seconds.items() if not k.startswith("waiting")}
    profiled = sum(busy.values())
    return {
        "cases": cases,
        "seconds": round(times["total_s"], 1),
        "cases_per_s": round(cases / times["total_s"], 2),
        "submissions_per_s": round(cases / times["submit_s"], 1),
        # Busy time outside AWS calls (the project's code and what it runs in-process:
        # pydantic, chalice, json, logging), against the calls' cost on moto and botocore.
        "project_share": round(1 - in_aws / profiled, 3),
        "project_own_code_share": round(busy.get("project", 0.0) / profiled, 3),
        "in_aws_calls_s": round(in_aws, 2),
        "profile_s": seconds,
        "aws_calls": sum(calls.values()),
    }


def table(result: dict[str, Any]) -> str:
    total = sum(s for k, s in result["profile_s"].items() if not k.startswith("waiting"))
    lines = [
        f"Throughput: {result['cases']} whole cases (5 items, the pension decided by an officer) "
        f"submitted and driven to their outcome on moto",
        f"  {result['seconds']} s: {result['cases_per_s']} cases/s end to end "
        f"({result['submissions_per_s']} submissions/s), {result['aws_calls']} AWS calls",
        "  where the driving thread's time went (cProfile, own time; moto's state-machine "
        "threads are not profiled and would add to moto):",
    ]
    for name, seconds in result["profile_s"].items():
        share = "" if name.startswith("waiting") else f"{seconds / total:6.1%}"
        lines.append(f"    {name:40} {seconds:8.2f} s  {share}")
    lines.append(
        f"  project share of the busy time: {result['project_share']:.1%} outside AWS calls "
        f"(own code {result['project_own_code_share']:.1%}, the rest pydantic, chalice, json…); "
        f"{1 - result['project_share']:.1%} inside them: moto and botocore serving the same "
        "calls (the pump's SQS calls included)"
    )
    return "\n".join(lines)
