"""What each ``ops`` command does with its target and prints."""

from __future__ import annotations

import argparse

from rich.console import Console

from ops import calendar_file, deadletters, integrations, jobs
from ops import status as health
from ops.target import Target


def status(args: argparse.Namespace, target: Target, console: Console) -> int:
    lines, queues = health.check(target)
    health.render(console, target, lines, queues)
    return 1 if health.needs_a_person(lines) else 0


def dl_list(args: argparse.Namespace, target: Target, console: Console) -> int:
    rows = integrations.dead_letters(target.api)
    deadletters.render(console, rows)
    return 1 if rows else 0


def dl_retry(args: argparse.Namespace, target: Target, console: Console) -> int:
    """Each one is tried even when another is refused; any refusal is an error (exit 2),
    printed with its HTTP status and code."""
    ids = deadletters.chosen(target.api, args.all, list(args.ids))
    result = deadletters.retry(target.api, console, ids, args.reason)
    console.print(f"sent back 已重试 {len(result.sent)}, failed 失败 {len(result.failed)}")
    for task_id, why in sorted(result.failed.items()):
        console.print(f"  {task_id}: {why}", markup=False)
    return 2 if result.failed else 0


def job_run(args: argparse.Namespace, target: Target, console: Console) -> int:
    console.print(jobs.describe(jobs.run(target.api, args.name, args.at)), markup=False)
    return 0


def calendar_load(args: argparse.Namespace, target: Target, console: Console) -> int:
    data, problems = calendar_file.read(args.file)
    if problems:
        console.print(f"{args.file}: {len(problems)} problems, nothing sent 未上传:", markup=False)
        for problem in problems:
            console.print(f"  - {problem}", markup=False)
        return 2
    year = data["year"]
    if args.check:
        console.print(f"{args.file}: {year} looks right 校验通过 (not sent)", markup=False)
        return 0
    stored = target.api.put(f"/v1/admin/calendar/{year}", calendar_file.body(data))
    console.print(
        f"loaded 已载入 {year}: {len(stored['holidays'])} holidays, "
        f"{len(stored['workdays'])} make-up workdays ({stored['source']}). "
        "Then: ops jobs run recompute-provisional",
        markup=False,
    )
    return 0


def report(args: argparse.Namespace, target: Target, console: Console) -> int:
    from ops.report.build import build  # matplotlib loads for the report alone

    written = build(target.api, console, args.first, args.last, args.out)
    console.print(
        f"wrote 已生成 {written.html} ({written.charts} charts) and {written.xlsx}", markup=False
    )
    return 0
