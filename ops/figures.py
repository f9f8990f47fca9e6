"""The AWS figures of ``ops status``: queue depths and the age of each queue's oldest message,
executions running and failed in the last day. Read-only: nothing here receives a message
(a receive would count towards a message's redrive to the dead-letter queue)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

FAILED_STATUSES = ("FAILED", "TIMED_OUT", "ABORTED")
MAX_LISTED = 1000  # executions counted per status; more shows as "1000+"
# Listing is newest start first: a failure in the last day of an execution started before
# this is not looked for (a case waits at most weeks for an officer, never months).
STARTED_WITHIN = timedelta(days=90)


@dataclass(frozen=True)
class QueueFigures:
    name: str
    waiting: int  # ApproximateNumberOfMessages
    in_flight: int  # ApproximateNumberOfMessagesNotVisible
    delayed: int
    oldest_age_s: int | None  # CloudWatch ApproximateAgeOfOldestMessage; None without data


@dataclass(frozen=True)
class ExecutionFigures:
    running: int
    failed_last_day: int
    capped: bool  # a count reached MAX_LISTED


def queues(sqs: Any, cloudwatch: Any, queue_urls: dict[str, str]) -> list[QueueFigures]:
    ages = oldest_ages(cloudwatch, sorted(queue_urls))
    found = []
    for name, url in sorted(queue_urls.items()):
        attributes = sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=[
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            ],
        )["Attributes"]
        found.append(
            QueueFigures(
                name=name,
                waiting=int(attributes.get("ApproximateNumberOfMessages", 0)),
                in_flight=int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0)),
                delayed=int(attributes.get("ApproximateNumberOfMessagesDelayed", 0)),
                oldest_age_s=ages.get(name),
            )
        )
    return found


def oldest_ages(cloudwatch: Any, names: list[str], now: datetime | None = None) -> dict[str, int]:
    """Each queue's latest ``ApproximateAgeOfOldestMessage`` (SQS publishes it each minute);
    a queue without a data point in the last 15 minutes is left out."""
    end = now or datetime.now(UTC)
    queries = [
        {
            "Id": f"q{n}",
            "MetricStat": {
                "Metric": {
                    "Namespace": "AWS/SQS",
                    "MetricName": "ApproximateAgeOfOldestMessage",
                    "Dimensions": [{"Name": "QueueName", "Value": name}],
                },
                "Period": 60,
                "Stat": "Maximum",
            },
        }
        for n, name in enumerate(names)
    ]
    if not queries:
        return {}
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=queries,
        StartTime=end - timedelta(minutes=15),
        EndTime=end,
        ScanBy="TimestampDescending",
    )
    ages = {}
    for result in answer.get("MetricDataResults", []):
        values = result.get("Values") or []
        if values:
            ages[names[int(result["Id"][1:])]] = int(values[0])
    return ages


def executions(sfn: Any, state_machine_arn: str, now: datetime | None = None) -> ExecutionFigures:
    since = (now or datetime.now(UTC)) - timedelta(days=1)
    running, capped = _count(sfn, state_machine_arn, "RUNNING", None)
    failed = 0
    for status in FAILED_STATUSES:
        count, more = _count(sfn, state_machine_arn, status, since)
        failed, capped = failed + count, capped or more
    return ExecutionFigures(running, failed, capped)


def _count(sfn: Any, arn: str, status: str, stopped_since: datetime | None) -> tuple[int, bool]:
    """Executions in ``status`` (newest first), those stopped since a time if one is given."""
    count = 0
    pages = sfn.get_paginator("list_executions").paginate(
        stateMachineArn=arn, statusFilter=status, PaginationConfig={"PageSize": 100}
    )
    oldest = stopped_since - STARTED_WITHIN if stopped_since is not None else None
    for page in pages:
        for execution in page["executions"]:
            if oldest is not None and execution["startDate"] < oldest:
                return count, False
            stopped = execution.get("stopDate")
            if stopped_since is not None and stopped is not None and stopped < stopped_since:
                continue
            count += 1
            if count >= MAX_LISTED:
                return count, True
    return count, False
