"""Prices what bench/cost.py measured (bench/prices.json: dated, each price with its source),
per case by service, and the monthly bill for a year of Luoyang's assumed volume with the fixed
costs. Lambda memory comes from .chalice/config.json (prod stage)."""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from pathlib import Path
from typing import Any

from devtools.server import schedule_event

PROJECT = Path(__file__).resolve().parent.parent
PRICES = Path(__file__).resolve().parent / "prices.json"
GOAL_CNY = 0.05
GB = 1024**3
# CloudWatch lines every invocation adds besides the function's own (START, END, REPORT), and
# API Gateway's access log line (infra/patches.py's format), with representative values.
PLATFORM_LINES = (
    "START RequestId: 8f0c2a51-3d7e-4b59-9a61-2f1c7d9e0b44 Version: $LATEST\n"
    "END RequestId: 8f0c2a51-3d7e-4b59-9a61-2f1c7d9e0b44\n"
    "REPORT RequestId: 8f0c2a51-3d7e-4b59-9a61-2f1c7d9e0b44\tDuration: 35.21 ms\t"
    "Billed Duration: 36 ms\tMemory Size: 512 MB\tMax Memory Used: 112 MB\t\n"
)
ACCESS_LINE = (
    '{"requestId":"8f0c2a51-3d7e-4b59-9a61-2f1c7d9e0b44","ip":"223.104.63.112",'
    '"requestTime":"27/Nov/2026:10:00:00 +0000","httpMethod":"POST",'
    '"resourcePath":"/v1/applications/{application_id}","status":"202",'
    '"responseLength":"131","integrationLatency":"35"}\n'
)


def prices() -> dict[str, Any]:
    return dict(json.loads(PRICES.read_text("utf-8")))


def unit_price(table: dict[str, Any], name: str) -> float:
    """CNY for one unit (one request, one GB-month, ...)."""
    entry = table["prices"][name]
    cny = entry["cny"] if "cny" in entry else entry["usd"] * table["usd_to_cny"]
    return float(cny) / float(entry["per"])


def memory_mb() -> dict[str, int]:
    config = json.loads((PROJECT / ".chalice" / "config.json").read_text("utf-8"))["stages"]
    prod = config["prod"]
    default = int(prod["lambda_memory_size"])
    functions = prod.get("lambda_functions", {})
    return {name: int(f.get("lambda_memory_size", default)) for name, f in functions.items()} | {
        "default": default
    }


def job_runs(stack: Any, units: Any, logs: Any) -> dict[str, dict[str, float]]:
    """Each scheduled function run once on the stack (after the measured cases: little or
    nothing due): its duration, request units and log bytes, taken for every run of its
    schedule (recompute-provisional and calendar-check priced as subsidy-reminders: all run
    once a day)."""
    import app

    found = {}
    for name in ("restart_unstarted", "deadline_breaches", "subsidy_reminders"):
        label = f"job:{name}"
        with stack.calls.label(label):
            started = time.perf_counter()
            getattr(app, name)(schedule_event(), None)
            ms = (time.perf_counter() - started) * 1000
        found[name] = {
            "ms": ms,
            "rru": float(units.by_label.get(label, Counter())["rru"]),
            "log_bytes": float(logs.by_label.get(label, 0)),
        }
    return found


def _lambda(measured: dict[str, Any], authorizer_ms: float) -> dict[str, float]:
    memory = memory_mb()
    requests, gb_s = 0, 0.0
    api_requests = 0
    for label, durations in measured["invocations_ms"].items():
        mb = memory["api_handler"] if label.startswith("api:") else memory["default"]
        api_requests += len(durations) if label.startswith("api:") else 0
        requests += len(durations)
        gb_s += sum(math.ceil(ms) / 1000 * mb / 1024 for ms in durations)
    # Each API request's token checked by the authorizer (API Gateway keeps an answer 60 s;
    # a case's requests are hours apart): one invocation each, at its measured time.
    requests += api_requests
    gb_s += api_requests * math.ceil(authorizer_ms) / 1000 * memory["bearer_token"] / 1024
    return {"requests": requests, "gb_seconds": gb_s, "api_requests": api_requests}


def _sums(measured: dict[str, Any]) -> Counter[str]:
    calls: Counter[str] = Counter()
    for counts in measured["calls"].values():
        calls.update(counts)
    units: Counter[str] = Counter()
    for by_kind in measured["dynamodb_units"].values():
        units.update(by_kind)
    return calls + Counter({f"units:{k}": v for k, v in units.items()})


def per_case(
    measured: dict[str, Any], authorizer_ms: float, table: dict[str, Any]
) -> dict[str, Any]:
    p = lambda name: unit_price(table, name)  # noqa: E731
    lam = _lambda(measured, authorizer_ms)
    sums = _sums(measured)
    wru = sums["units:table_wru"] + sums["units:index_wru"]
    kms = sums["GenerateDataKey"] + sums["Decrypt"] + sums["Encrypt"]
    invocations = lam["requests"]
    log_bytes = (
        measured["log_bytes"]
        + invocations * len(PLATFORM_LINES.encode())
        + lam["api_requests"] * len(ACCESS_LINE.encode())
    )
    quantities = {
        "dynamodb": {"write_request_units": wru, "read_request_units": sums["units:rru"]},
        "stepfunctions": {"state_transitions": measured["state_transitions"]},
        "lambda": {"requests": invocations, "gb_seconds": round(lam["gb_seconds"], 4)},
        "apigateway": {"requests": lam["api_requests"]},
        "sqs": {"requests": 3 * measured["messages"] + sums["SendMessage"]},
        "sns": {"publishes": sums["Publish"], "http_deliveries": sums["Publish"]},
        "kms": {"requests": kms},
        "s3": {"put_requests": sums["PutObject"]},
        "cloudwatch": {"log_bytes": log_bytes},
    }
    cny = {
        "dynamodb": wru * p("dynamodb_write_request_unit")
        + sums["units:rru"] * p("dynamodb_read_request_unit"),
        "stepfunctions": measured["state_transitions"] * p("stepfunctions_state_transition"),
        "lambda": invocations * p("lambda_request") + lam["gb_seconds"] * p("lambda_gb_second"),
        "apigateway": lam["api_requests"] * p("apigateway_rest_request"),
        "sqs": quantities["sqs"]["requests"] * p("sqs_request"),
        "sns": sums["Publish"] * (p("sns_publish") + p("sns_http_delivery")),
        "kms": kms * p("kms_request"),
        "s3": sums["PutObject"] * p("s3_put_request"),
        "cloudwatch": log_bytes / GB * p("cloudwatch_logs_ingestion_gb"),
    }
    return {
        "total_cny": round(sum(cny.values()), 5),
        "by_service_cny": {k: round(v, 5) for k, v in sorted(cny.items(), key=lambda i: -i[1])},
        "quantities": quantities,
        "dynamodb_moto_reported_units": sums["units:moto_reported"],
        "stored_bytes": {"dynamodb": measured["dynamodb_bytes"], "s3": measured["s3_bytes"]},
    }


def _fixed(table: dict[str, Any], jobs: dict[str, dict[str, float]]) -> dict[str, float]:
    p = lambda name: unit_price(table, name)  # noqa: E731
    fixed = table["fixed"]
    polls = (
        fixed["queues_polled"] * fixed["pollers_per_queue"] * 30 * 24 * 3600 / fixed["poll_wait_s"]
    )
    runs = fixed["schedules_per_month"]
    job_of = {"restart-unstarted": "restart_unstarted", "deadline-breaches": "deadline_breaches"}
    job_cny = 0.0
    for name, count in runs.items():
        run = jobs[job_of.get(name, "subsidy_reminders")]
        gb_s = math.ceil(run["ms"]) / 1000 * memory_mb()["default"] / 1024
        logged = run["log_bytes"] + len(PLATFORM_LINES.encode())
        job_cny += count * (
            p("lambda_request")
            + gb_s * p("lambda_gb_second")
            + max(run["rru"], 0.5) * p("dynamodb_read_request_unit")
            + logged / GB * p("cloudwatch_logs_ingestion_gb")
        )
    keys = fixed["kms_keys"] * (1 + fixed["kms_rotations_in_first_year"])
    return {
        "kms_keys": keys * p("kms_key_month"),
        "alarms": fixed["alarms"] * p("cloudwatch_alarm_month"),
        "custom_metrics": fixed["custom_metrics"] * p("cloudwatch_custom_metric_month"),
        "secrets": fixed["secrets"] * p("secretsmanager_secret_month"),
        "sqs_idle_polling": polls * p("sqs_request"),
        "scheduled_jobs": job_cny,
    }


def monthly(whole: dict[str, Any], table: dict[str, Any], jobs: Any) -> dict[str, Any]:
    p = lambda name: unit_price(table, name)  # noqa: E731
    yearly = table["volume"]["cases_per_year"]
    month = yearly / 12
    logs_gb = month * whole["quantities"]["cloudwatch"]["log_bytes"] / GB
    stored = whole["stored_bytes"]
    after_year = {
        "dynamodb_storage_and_pitr": yearly * stored["dynamodb"] / GB
        * (p("dynamodb_storage_gb_month") + p("dynamodb_pitr_gb_month")),
        "s3_storage": yearly * stored["s3"] / GB * p("s3_storage_gb_month"),
        "log_storage": logs_gb * table["fixed"]["log_retention_days"] / 30
        * p("cloudwatch_logs_storage_gb_month"),
    }  # fmt: skip
    fixed = _fixed(table, jobs)
    variable = month * whole["total_cny"]
    total = variable + sum(fixed.values()) + sum(after_year.values())
    return {
        "cases_per_month": round(month),
        "cases_per_year": yearly,
        "volume_basis": table["volume"]["basis"],
        "cases_cny": round(variable, 2),
        "fixed_cny": {k: round(v, 2) for k, v in fixed.items()},
        "storage_after_a_year_cny": {k: round(v, 2) for k, v in after_year.items()},
        "total_cny": round(total, 2),
    }


def priced(measured: dict[str, Any], authorizer_ms: float, jobs: Any) -> dict[str, Any]:
    table = prices()
    whole = per_case(measured["whole"], authorizer_ms, table)
    licence = per_case(measured["licence_only"], authorizer_ms, table)
    return {
        "total": whole["total_cny"],
        "by_service": whole["by_service_cny"],
        "licence_only_total": licence["total_cny"],
        "licence_only_by_service": licence["by_service_cny"],
        "goal": GOAL_CNY,
        "prices_as_of": table["as_of"],
        "whole_case": whole,
        "licence_only": licence,
        "authorizer_ms": round(authorizer_ms, 1),
        "monthly_bill": monthly(whole, table, jobs),
        "measured": measured,
    }


def _what(service: str, q: dict[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in q[service].items())


def table(result: dict[str, Any]) -> str:
    whole, licence = result["whole_case"], result["licence_only"]
    lines = [
        f"Cost per case at AWS China (Ningxia) list prices of {result['prices_as_of']} "
        "(bench/prices.json: each price's source; those not found as China prices are marked)",
        f"  {'service':14} {'whole case':>12} {'licence only':>13}   what a whole case uses",
    ]
    for service, cny in whole["by_service_cny"].items():
        other = licence["by_service_cny"].get(service, 0.0)
        lines.append(
            f"  {service:14} ¥{cny:11.5f} ¥{other:12.5f}   {_what(service, whole['quantities'])}"
        )
    lines.append(
        f"  {'total':14} ¥{whole['total_cny']:11.5f} ¥{licence['total_cny']:12.5f}   "
        f"goal ≤ ¥{result['goal']} per case"
    )
    lines.append(
        f"  stored per whole case: DynamoDB {whole['stored_bytes']['dynamodb']} B (items and "
        f"index entries), S3 {whole['stored_bytes']['s3']} B; moto's own ConsumedCapacity "
        f"figure would have been {whole['dynamodb_moto_reported_units']:g} units"
    )
    bill = result["monthly_bill"]
    lines.append(
        f"Monthly bill at {bill['cases_per_year']} cases a year ({bill['cases_per_month']} a "
        f"month; an assumption, see prices.json 'volume'), in the 12th month: ¥{bill['total_cny']}"
    )
    lines.append(f"  cases                          ¥{bill['cases_cny']:9.2f}")
    for name, cny in {**bill["fixed_cny"], **bill["storage_after_a_year_cny"]}.items():
        lines.append(f"  {name.replace('_', ' '):30} ¥{cny:9.2f}")
    return "\n".join(lines)
