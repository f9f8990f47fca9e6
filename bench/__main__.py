"""`make bench` (python -m bench): every benchmark, each comparing side by side within this
run; prints the tables and writes bench/results/latest.json."""

from __future__ import annotations

import argparse
import json
import logging
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def _aws_calls() -> tuple[dict[str, Any], str]:
    from bench import calls
    from bench.stack import local_stack

    with local_stack() as stack:
        measured = calls.measure(
            stack.client, stack.pump, stack.calls, stack.clock, stack.svc, stack.departments
        )
    problems = calls.violations(measured)
    result = {"aws_calls": measured.aws_calls, "aws_calls_floor_violations": problems}
    result["connector_calls_per_item"] = measured.connectors
    result["aws_calls_jobs"] = {
        job: {k: report[k] for k in ("read", "changed")} for job, report in measured.jobs.items()
    }
    return result, calls.table(measured)


def _section(name: str, run: Any) -> tuple[Any, str]:
    print(f"\n== {name} ==", flush=True)
    started = time.perf_counter()
    result, text = run()
    print(text, flush=True)
    print(f"({time.perf_counter() - started:.0f} s)", flush=True)
    return result, text


SECTIONS = ("calls", "cold", "sweep", "throughput", "package", "cost", "coldreq", "local")


def _run(section: str, args: argparse.Namespace) -> dict[str, Any]:
    from bench import cold_start, package, sweep, throughput

    if section == "calls":
        calls: dict[str, Any] = _section("AWS calls per operation", _aws_calls)[0]
        return calls
    if section == "cold":
        cold = _section("Cold start", lambda: _with_table(cold_start, args.runs))[0]
        return {"cold_import": cold}
    if section == "sweep":
        sizes = tuple(int(n) for n in args.sizes.split(","))
        return {"sweep": _section("Sweep scaling", lambda: _with_table(sweep, sizes))[0]}
    if section == "throughput":
        flow = _section("Throughput", lambda: _with_table(throughput, args.cases))[0]
        return {"throughput": flow}
    if section == "package":
        packed = _section("Package size", lambda: _with_table(package))[0]
        return {"package_bytes": packed["package_bytes"], "package": packed}
    return _run_new(section, args)


def _run_new(section: str, args: argparse.Namespace) -> dict[str, Any]:
    from bench import cold_request, cost, local_latency

    if section == "cost":
        return {"cost_per_case": _section("Cost per case", lambda: _with_table(cost))[0]}
    if section == "coldreq":
        first = _section("Cold first request", lambda: _with_table(cold_request, args.runs))[0]
        return {"cold_first_request": first}
    if section == "local":
        local = _section("Local server latency", lambda: _with_table(local_latency, args.stored))[0]
        return {"local_submit_latency": local}
    raise SystemExit(f"unknown section {section!r}: pick from {', '.join(SECTIONS)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=200, help="throughput: cases (N)")
    parser.add_argument(
        "--runs", type=int, default=15, help="cold start, cold first request: interpreters each"
    )
    parser.add_argument("--sizes", default="1000,10000", help="sweep: stored cases")
    parser.add_argument("--stored", type=int, default=5000, help="local: demo cases stored")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"some of {','.join(SECTIONS)} (the rest of latest.json is kept)",
    )
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # the service's own logs would drown the tables
    out: dict[str, Any] = {}
    if RESULTS.exists():
        out = json.loads(RESULTS.read_text(encoding="utf-8"))
    out |= {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
    }
    command = (
        f"make bench N={args.cases}"
        if args.only == ",".join(SECTIONS)
        else f"python -m bench --only {args.only} --cases {args.cases}"
    )
    out["command"] = command
    for section in args.only.split(","):
        out |= _run(section, args)
        # When each section's figures were last measured, and by which command.
        out.setdefault("sections", {})[section] = {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": command,
        }
        # Written after every section: a long run interrupted keeps what it measured.
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS}")
    return 0


def _with_table(module: Any, *args: Any) -> tuple[Any, str]:
    result = module.measure(*args)
    return result, module.table(result)


if __name__ == "__main__":
    raise SystemExit(main())
