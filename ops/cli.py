"""运维工具 ops: the operators' command line (``python -m ops …``, ``make ops ARGS="…"``).

Every command runs against the local service of ``make run`` (--local, its PORT) or a deployed
stack (--stack NAME --region …: the API and resources come from the stack's outputs and
resources, AWS credentials from the usual profile chain, the admin token from OPS_TOKEN or
--token-file, never from an argument). Exit status: 0 done / healthy, 1 something needs a
person, 2 the command could not run."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console

from chalicelib.workflow.schedules import JOB_NAMES
from ops import commands
from ops.api import ApiError
from ops.console import make_console
from ops.integrations import REASON_MAX
from ops.target import Target, TargetError, local, stack

Handler = Callable[[argparse.Namespace, Target, Console], int]
EPILOG = "例 e.g.: ops status --local · ops report --stack yijianshi-prod --region cn-north-1 …"


def _target_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    where = parent.add_argument_group("目标 target (one of --local / --stack)")
    chosen = where.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--local", action="store_true", help="本机服务 the `make run` service")
    chosen.add_argument("--stack", metavar="NAME", help="已部署的堆栈 a deployed stack's name")
    where.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "8000")),
        help="--local: 端口 the port of `make run` (default: $PORT or 8000)",
    )
    where.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION", "cn-north-1"),
        help="--stack: 区域 region (default: $AWS_REGION or cn-north-1)",
    )
    where.add_argument("--profile", help="--stack: AWS 配置 profile (default: the usual chain)")
    where.add_argument(
        "--token-file",
        type=Path,
        help="--stack: 管理员令牌文件 a file holding an admin token (else $OPS_TOKEN)",
    )
    return parent


def _command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    handler: Handler,
    parent: argparse.ArgumentParser,
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=summary, description=summary, parents=[parent])
    parser.set_defaults(handler=handler)
    return parser


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="ops",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parent = _target_options()
    _command(
        top,
        "status",
        "运行状态：队列、死信、流程、超期、节假日、接口 — health",
        commands.status,
        parent,
    )
    _dead_letters(top, parent)
    _jobs(top, parent)
    _calendar(top, parent)
    report = _command(
        top,
        "report",
        "工作专班报表：HTML（图表）与 .xlsx — the working-group report",
        commands.report,
        parent,
    )
    report.add_argument("--from", dest="first", required=True, help="起始日期 first day YYYY-MM-DD")
    report.add_argument("--to", dest="last", required=True, help="截止日期 last day YYYY-MM-DD")
    report.add_argument(
        "--out", type=Path, required=True, help="输出 the page, e.g. build/report.html (+ .xlsx)"
    )
    return root


def _dead_letters(
    top: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    group = top.add_parser("dead-letters", help="死信：查看与重试 — what is stuck, and retry it")
    verbs = group.add_subparsers(dest="verb", required=True, metavar="VERB")
    _command(
        verbs, "list", "列出死信（不含个人信息） — list dead letters", commands.dl_list, parent
    )
    retry = _command(
        verbs,
        "retry",
        "按原路径重新处理 — send back through the item's path",
        commands.dl_retry,
        parent,
    )
    retry.add_argument(
        "--reason",
        type=_reason,
        default="运维人员重试 retried by the operator on call",
        help="重试原因，记入办件过程 why (1–500 characters, written into each case's history)",
    )
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="全部死信 every dead letter listed")
    which.add_argument("ids", nargs="*", default=[], metavar="ID", help="任务编号 task id(s)")


def _reason(text: str) -> str:
    """The retry's reason as the route takes it (1–500 characters): checked before anything
    is sent, so a bad one is refused once rather than once per dead letter."""
    reason = text.strip()
    if not 1 <= len(reason) <= REASON_MAX:
        raise argparse.ArgumentTypeError(f"must be 1 to {REASON_MAX} characters")
    return reason


def _jobs(
    top: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    group = top.add_parser("jobs", help="定时任务 — scheduled jobs")
    verbs = group.add_subparsers(dest="verb", required=True, metavar="VERB")
    run = _command(verbs, "run", "立即运行一个定时任务 — run one job now", commands.job_run, parent)
    run.add_argument("name", choices=JOB_NAMES, help="任务名 the job")
    run.add_argument("--at", help="以该日期或时间运行 as of a date (YYYY-MM-DD) or ISO instant")


def _calendar(
    top: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    group = top.add_parser("calendar", help="节假日安排 — the holiday calendar")
    verbs = group.add_subparsers(dest="verb", required=True, metavar="VERB")
    load = _command(
        verbs,
        "load",
        "校验并载入一年的节假日安排 — check and load a year",
        commands.calendar_load,
        parent,
    )
    load.add_argument("file", type=Path, help="JSON 文件 the year's file (see --help)")
    load.add_argument("--check", action="store_true", help="只校验不上传 check only")


def target_of(args: argparse.Namespace) -> Target:
    if args.local:
        return local(args.port)
    return stack(args.stack, args.region, args.profile, args.token_file)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    console, errors = make_console(), make_console(stderr=True)
    try:
        handler: Handler = args.handler
        return handler(args, target_of(args), console)
    except (TargetError, ApiError, ValueError, OSError) as exc:
        errors.print(f"ops {args.command}: {exc}", markup=False)
        return 2
