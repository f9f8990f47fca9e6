"""Business metrics as CloudWatch embedded-metric-format log lines: the function logs them,
CloudWatch turns them into metrics (no API call, no IAM permission on the hot path)."""

from __future__ import annotations

import logging
import time

NAMESPACE = "Yijianshi"
BREACHES_FLAGGED = "BreachesFlagged"  # cases, items and follow-ups newly past their deadline
# 1 while, from 1 November, next year's official holiday data is missing; else 0 (the
# calendar-check job, once a day).
NEXT_YEAR_HOLIDAYS_MISSING = "NextYearHolidaysMissing"

log = logging.getLogger("chalicelib.metrics")


def emit(name: str, value: float, unit: str = "Count") -> None:
    envelope = {
        "Timestamp": int(time.time() * 1000),
        "CloudWatchMetrics": [
            {"Namespace": NAMESPACE, "Dimensions": [[]], "Metrics": [{"Name": name, "Unit": unit}]}
        ],
    }
    log.info("metric", extra={"_aws": envelope, name: value})
