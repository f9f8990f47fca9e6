"""A Lambda process loads without the cyclic collector and gets it back, with what it loaded
frozen, once its first invocation has answered (chalicelib.coldstart)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]

FIRST_REQUEST = textwrap.dedent(
    """
    import gc, json, types
    import app
    held = not gc.isenabled()
    event = {
        "resource": "/openapi.json", "path": "/openapi.json", "httpMethod": "GET",
        "headers": {"Host": "api.example"}, "multiValueHeaders": {"Host": ["api.example"]},
        "queryStringParameters": None, "multiValueQueryStringParameters": None,
        "pathParameters": None, "stageVariables": None, "body": None,
        "isBase64Encoded": False,
        "requestContext": {"resourcePath": "/openapi.json", "httpMethod": "GET",
                           "path": "/api/openapi.json", "stage": "api",
                           "requestId": "cold-1", "identity": {"sourceIp": "127.0.0.1"}},
    }
    context = types.SimpleNamespace(aws_request_id="cold-1", function_name="api_handler")
    status = app.app(event, context)["statusCode"]
    print(json.dumps({"held": held, "status": status, "enabled": gc.isenabled(),
                      "frozen": gc.get_freeze_count()}))
    """
)


def test_the_collector_waits_for_the_first_answer_then_resumes_with_the_start_frozen() -> None:
    out = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "cn-north-1"},
    )
    report = out.stdout.strip().splitlines()[-1]
    assert '"held": true' in report and '"status": 200' in report, out.stderr[-2000:]
    assert '"enabled": true' in report, report
    assert '"frozen": 0' not in report, report  # everything loaded so far is out of its view
