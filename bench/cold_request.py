"""Cold first request: process start to the first response, in fresh interpreters, as a Lambda
container's first invocation: the handler module is imported, then handed one API Gateway
event (the authorizer's principal in its context, as API Gateway passes it). On moto's server
(loopback), for ``GET /v1/applications/{id}`` and ``POST /v1/applications``, against a bare
Chalice app that imports boto3 and answers one ``GetItem``; alternating, same run; median.

"Process start" is taken in this process just before the interpreter is spawned; the child
reports when its response was ready, on the same system-wide monotonic clock."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import first_request
from bench.first_request import BARE_APP, DRIVER, moto_server

PROJECT = Path(__file__).resolve().parent.parent
GOAL = 1.5
KINDS = ("get", "post", "bare")


def _env(base: dict[str, str]) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**keep, **base}


def run_once(kind: str, event: dict[str, Any], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    module = "bare_app" if kind == "bare" else "app"
    child_env = {**env, "BENCH_EVENT": json.dumps(event), "BENCH_MODULE": module}
    spawned = time.monotonic()
    out = subprocess.run(  # noqa: S603 - this interpreter, our own driver
        [sys.executable, "-c", DRIVER], cwd=cwd, env=child_env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    report = json.loads(out.stdout.strip().splitlines()[-1])
    if report["status"] >= 300:
        raise RuntimeError(f"{kind}: {report}")
    report["total_ms"] = (report["done"] - spawned) * 1000
    report["interpreter_ms"] = (report["started"] - spawned) * 1000
    report["import_ms"] = (report["imported"] - report["started"]) * 1000
    report["request_ms"] = (report["done"] - report["imported"]) * 1000
    return report


def _median(reports: list[dict[str, Any]], field: str) -> float:
    return round(statistics.median(r[field] for r in reports), 1)


def _summary(reports: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    phases = ("total_ms", "interpreter_ms", "import_ms", "request_ms")
    return {kind: {p: _median(reports[kind], p) for p in phases} for kind in KINDS}


def measure(runs: int = 15) -> dict[str, Any]:
    with moto_server() as stack, tempfile.TemporaryDirectory() as tmp:
        bare_dir = Path(tmp)
        (bare_dir / "bare_app.py").write_text(BARE_APP)
        env = _env(stack.environment)
        events = stack.events
        # Warm-up: bytecode written on both sides; the POST's case is the one the GETs read.
        created = run_once("post", events.post("warm-up"), env, PROJECT)
        events.case_id = json.loads(created["body"])["id"]
        run_once("bare", events.bare(), env, bare_dir)
        reports: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
        for n in range(runs):
            reports["get"].append(run_once("get", events.get(), env, PROJECT))
            reports["post"].append(run_once("post", events.post(f"cold-{n}"), env, PROJECT))
            reports["bare"].append(run_once("bare", events.bare(), env, bare_dir))
        profile = first_request.profile(env, events, PROJECT, bare_dir)
    phases = _summary(reports)
    bare = phases["bare"]["total_ms"]
    return {
        "runs": runs,
        "get_ms": phases["get"]["total_ms"],
        "post_ms": phases["post"]["total_ms"],
        "bare_ms": bare,
        "ratio_get": round(phases["get"]["total_ms"] / bare, 2),
        "ratio_post": round(phases["post"]["total_ms"] / bare, 2),
        "ratio": round(max(phases["get"]["total_ms"], phases["post"]["total_ms"]) / bare, 2),
        "goal": GOAL,
        "phases_ms": phases,
        "first_request_profile": profile,
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"Cold first request: process start → first response, median of {result['runs']} fresh "
        "interpreters each, alternating, on moto's server (bytecode cached on all sides)",
        f"  {'':28} {'total':>9} {'interp.':>9} {'import':>9} {'request':>9}",
    ]
    names = {
        "get": "GET /v1/applications/{id}",
        "post": "POST /v1/applications",
        "bare": "bare app (boto3, 1 GetItem)",
    }
    for kind, name in names.items():
        p = result["phases_ms"][kind]
        lines.append(
            f"  {name:28} {p['total_ms']:9.1f} {p['interpreter_ms']:9.1f} "
            f"{p['import_ms']:9.1f} {p['request_ms']:9.1f}  ms"
        )
    lines.append(
        f"  ratio to the bare app: GET {result['ratio_get']}, POST {result['ratio_post']} "
        f"(goal ≤ {result['goal']})"
    )
    profile = result["first_request_profile"]
    bare = ", ".join(f"{row['what']} {row['ms']} ms" for row in profile["bare"])
    lines.append(f"  the bare app's own client and call: {bare}")
    for kind in ("get", "post"):
        lines.append(
            f"  what the first {names[kind]} adds (imports: self time beyond the bare app's, "
            "-X importtime; clients and calls: each timed, moto answering on loopback):"
        )
        lines += [f"    {row['what']:48} {row['ms']:8.1f} ms" for row in profile[kind]]
    return "\n".join(lines)
