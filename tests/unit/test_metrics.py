"""Business metrics are embedded-metric-format log lines CloudWatch can read."""

from __future__ import annotations

import json
import logging

from chalicelib import metrics
from chalicelib.logs import JsonFormatter


def test_a_metric_is_one_json_line_in_embedded_metric_format(caplog):
    with caplog.at_level(logging.INFO, logger="chalicelib.metrics"):
        metrics.emit(metrics.BREACHES_FLAGGED, 3)
    line = json.loads(JsonFormatter().format(caplog.records[-1]))
    directive = line["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "Yijianshi"
    assert directive["Metrics"] == [{"Name": "BreachesFlagged", "Unit": "Count"}]
    assert line["BreachesFlagged"] == 3
