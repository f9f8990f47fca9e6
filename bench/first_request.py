"""What the cold first request runs on: moto's server on loopback with every resource, the
API Gateway events a Lambda container is handed, the child interpreter's driver, and the
profile of a first request (imports by package, boto3 clients built, AWS calls)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from chalicelib.api.schemas import APPLICATION_EXAMPLE
from chalicelib.domain.person import KeyRing, subject_identity
from devtools.provision import provision
from devtools.server import REGION, _free_port, _local_stage_env
from tests.conftest import LOCAL_ENV

PROJECT = Path(__file__).resolve().parent.parent
APPLICANT = "410302199001019018"
BARE_KEY = "bare-item"

BARE_APP = """import os

import boto3
from chalice import Chalice

app = Chalice(app_name="bare")
dynamodb = boto3.client("dynamodb")


@app.route("/items/{item_id}")
def get_item(item_id):
    key = {"PK": {"S": item_id}, "SK": {"S": item_id}}
    found = dynamodb.get_item(TableName=os.environ["TABLE_NAME"], Key=key)
    return {"found": "Item" in found}
"""

# A Lambda container's first invocation: import the handler's module, hand it one event.
_DRIVE = """
import json, os, importlib, types
event = json.loads(os.environ["BENCH_EVENT"])
module = importlib.import_module(os.environ["BENCH_MODULE"])
imported = time.monotonic()
context = types.SimpleNamespace(
    aws_request_id="cold-1", function_name="api_handler", function_version="$LATEST",
    invoked_function_arn="arn:aws-cn:lambda:cn-north-1:123456789012:function:api_handler",
    memory_limit_in_mb=512, log_group_name="/aws/lambda/api_handler", log_stream_name="cold",
    get_remaining_time_in_millis=lambda: 20000,
)
response = module.app(event, context)
done = time.monotonic()
"""
DRIVER = (
    "import time\nstarted = time.monotonic()\n"
    + _DRIVE
    + 'print(json.dumps({"started": started, "imported": imported, "done": done,'
    ' "status": response["statusCode"], "body": response.get("body", "")[:300]}))\n'
)
# The same, timing every boto3 client built and every AWS call (wrapped before the app is
# imported; the app itself is untouched).
PROFILED = (
    "import time\nstarted = time.monotonic()\n"
    "import botocore.client, botocore.session\n"
    "timed = []\n"
    "def timing(what, original):\n"
    "    def run(self, *args, **kwargs):\n"
    "        t = time.perf_counter()\n"
    "        try:\n"
    "            return original(self, *args, **kwargs)\n"
    "        finally:\n"
    "            timed.append([what, args[0], (time.perf_counter() - t) * 1000])\n"
    "    return run\n"
    "botocore.client.BaseClient._make_api_call = timing(\n"
    "    'call', botocore.client.BaseClient._make_api_call)\n"
    "botocore.session.Session.create_client = timing(\n"
    "    'client', botocore.session.Session.create_client)\n"
    + _DRIVE
    + "print(json.dumps(timed))\n"
)


@dataclass
class Events:
    """API Gateway (REST, proxy) events, the principal in the authorizer's context."""

    subject: str
    case_id: str = ""

    def _event(self, method: str, resource: str, path: str, **extra: Any) -> dict[str, Any]:
        headers = {"Host": "api.example", "Content-Type": "application/json", **extra.pop("h", {})}
        authorizer = {"role": "applicant", "subject": self.subject, "principalId": self.subject}
        return {
            "resource": resource,
            "path": path,
            "httpMethod": method,
            "headers": headers,
            "multiValueHeaders": {k: [v] for k, v in headers.items()},
            "queryStringParameters": None,
            "multiValueQueryStringParameters": None,
            "pathParameters": extra.get("params"),
            "stageVariables": None,
            "requestContext": {
                "resourcePath": resource,
                "httpMethod": method,
                "path": f"/api{path}",
                "stage": "api",
                "requestId": "cold-1",
                "identity": {"sourceIp": "127.0.0.1"},
                "authorizer": authorizer,
            },
            "body": extra.get("body"),
            "isBase64Encoded": False,
        }

    def get(self) -> dict[str, Any]:
        path = f"/v1/applications/{self.case_id}"
        params = {"application_id": self.case_id}
        return self._event("GET", "/v1/applications/{application_id}", path, params=params)

    def post(self, key: str) -> dict[str, Any]:
        body = json.dumps(APPLICATION_EXAMPLE, ensure_ascii=False)
        return self._event("POST", "/v1/applications", "/v1/applications", body=body,
                           h={"Idempotency-Key": key})  # fmt: skip

    def bare(self) -> dict[str, Any]:
        params = {"item_id": BARE_KEY}
        return self._event("GET", "/items/{item_id}", f"/items/{BARE_KEY}", params=params)


@dataclass
class MotoStack:
    environment: dict[str, str]
    events: Events
    table: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@contextlib.contextmanager
def _server_process(port: int) -> Iterator[None]:
    """moto's server in a process of its own: nothing else this benchmark run left running
    (earlier sections' threads) competes with it for the interpreter lock."""
    serve = (
        "import sys, time\nfrom moto.server import ThreadedMotoServer\n"
        "from devtools import moto_patches\nmoto_patches.install()\n"  # as make run's moto
        "ThreadedMotoServer(ip_address='127.0.0.1', port=int(sys.argv[1]), verbose=False).start()\n"
        "time.sleep(24 * 3600)\n"
    )
    command = [sys.executable, "-c", serve, str(port)]
    process = subprocess.Popen(  # noqa: S603 - this interpreter, moto's own server
        command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            url = f"http://127.0.0.1:{port}/moto-api/"  # loopback only: the server just started
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto's server did not start") from None
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        process.wait(timeout=15)


@contextlib.contextmanager
def moto_server() -> Iterator[MotoStack]:
    """moto's server on a free loopback port, every resource provisioned, one row for the
    bare app; the environment a function would have."""
    import boto3

    port = _free_port()
    aws = {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    }
    saved = dict(os.environ)
    try:
        with _server_process(port):
            os.environ.update(aws)
            resources = provision(boto3.session.Session(region_name=REGION))
            key = {"PK": {"S": BARE_KEY}, "SK": {"S": BARE_KEY}}
            boto3.client("dynamodb").put_item(TableName=resources.table_name, Item=key)
            # The deployed functions' environment: the app-wide and the stage's variables.
            env = {**aws, **_local_stage_env(), **resources.environment()}
            ring = KeyRing.parse(LOCAL_ENV["PERSON_KEY_SECRET"])
            subject = ring.key(*subject_identity(APPLICANT, date.today()))
            yield MotoStack(env, Events(subject), resources.table_name)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _group(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "chalicelib" else parts[0]


def _child(code: str, event: dict[str, Any], module: str, env: dict[str, str], cwd: Path,
           *flags: str) -> subprocess.CompletedProcess[str]:  # fmt: skip
    child_env = {**env, "BENCH_EVENT": json.dumps(event), "BENCH_MODULE": module}
    return subprocess.run(  # noqa: S603 - this interpreter, our own driver
        [sys.executable, *flags, "-c", code], cwd=cwd, env=child_env, capture_output=True,
        text=True, check=True,
    )  # fmt: skip


def _import_times(
    event: dict[str, Any], module: str, env: dict[str, str], cwd: Path
) -> Counter[str]:
    """Self time of every import during the whole first request (-X importtime), by package."""
    err = _child(DRIVER, event, module, env, cwd, "-X", "importtime").stderr
    times: Counter[str] = Counter()
    for line in err.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            times[_group(parts[2].strip())] += int(parts[0])
    return times


def _timed(event: dict[str, Any], module: str, env: dict[str, str], cwd: Path) -> list[Any]:
    out = _child(PROFILED, event, module, env, cwd).stdout
    return list(json.loads(out.strip().splitlines()[-1]))


def profile(env: dict[str, str], events: Events, project: Path, bare_dir: Path) -> dict[str, Any]:
    """What each first request spends beyond the bare app's, largest first: imports by
    package (self time, -X importtime), each boto3 client built and each AWS call (timed)."""
    bare_imports = _import_times(events.bare(), "bare_app", env, bare_dir)
    bare = _timed(events.bare(), "bare_app", env, bare_dir)
    found: dict[str, Any] = {
        "bare": [{"what": f"{w} {n}", "ms": round(ms, 1)} for w, n, ms in bare]
    }
    for kind, event in (("get", events.get()), ("post", events.post("profile"))):
        imports = _import_times(event, "app", env, project)
        rows = [
            {"what": f"import {name}", "ms": round((us - bare_imports.get(name, 0)) / 1000, 1)}
            for name, us in imports.items()
        ]
        again = events.post("profile-timed") if kind == "post" else event
        rows += [
            {"what": f"{what} {name}", "ms": round(ms, 1)}
            for what, name, ms in _timed(again, "app", env, project)
        ]
        rows.sort(key=lambda row: -row["ms"])
        found[kind] = rows[:16]
    return found
