"""The prod stage's per-function settings in ``.chalice/config.json`` (policy file, timeout,
memory), generated from the app's functions like their IAM policies: a new item's handler gets
its entry without anyone editing the file. ``make package`` rewrites the section; a test fails
while the committed file differs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chalicelib.workflow import schedules
from chalicelib.workflow.queues import VISIBILITY_TIMEOUT_S
from infra.functions import API_HANDLER, Function
from infra.policies import policy_file

CONFIG = Path(".chalice") / "config.json"
STAGE = "prod"
# SQS consumers: a batch is up to 10 messages of a few DynamoDB and Step Functions calls each;
# AWS advises a visibility timeout of 6 times the function's timeout.
CONSUMER_TIMEOUT_S = VISIBILITY_TIMEOUT_S // 6
API_TIMEOUT_S = 20  # below API Gateway's 29 s: a stuck call ends in our own log
API_MEMORY_MB = 512  # buys the CPU pydantic and boto3 need on a cold start
AUTHORIZER_TIMEOUT_S = 5


def settings(function: Function) -> dict[str, Any]:
    found: dict[str, Any] = {"iam_policy_file": policy_file(function)}
    if function.name == API_HANDLER:
        return found | {"lambda_timeout": API_TIMEOUT_S, "lambda_memory_size": API_MEMORY_MB}
    if function.authorizer:
        return found | {"lambda_timeout": AUTHORIZER_TIMEOUT_S}
    if function.queue:
        return found | {"lambda_timeout": CONSUMER_TIMEOUT_S}
    timeout = {s.function: s.timeout_s for s in schedules.SCHEDULES}[function.name]
    return found | {"lambda_timeout": timeout}


def render(functions: tuple[Function, ...], current: str) -> str:
    config = json.loads(current)
    config["stages"][STAGE]["lambda_functions"] = {f.name: settings(f) for f in functions}
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"


def write(functions: tuple[Function, ...], path: Path = CONFIG) -> bool:
    """Rewrite the prod stage's function settings; ``True`` if the file changed."""
    current = path.read_text("utf-8")
    text = render(functions, current)
    if text == current:
        return False
    path.write_text(text, "utf-8")
    return True
