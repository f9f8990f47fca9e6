"""`make run`: the whole service on one laptop, no AWS account.

One process: moto's server on loopback as the embedded local AWS (with its Step Functions
engine executing the real state machine), every resource created from the deployment's own
definitions, the SQS pump feeding the Chalice handlers, and Chalice's local HTTP server.

moto runs with DynamoDB's own transaction semantics (devtools/moto_patches.py): stock moto
copies the whole table on every TransactWriteItems, so a submission would slow down by
seconds as a few thousand demo cases (``--seed``) fill the table."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sys
import threading
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from chalice.app import ScheduledEventConfig

from devtools import moto_patches

PROJECT = Path(__file__).resolve().parent.parent
REGION = "cn-north-1"
LISTEN_BACKLOG = 128  # connections waiting to be accepted (see main)
log = logging.getLogger("devtools.server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _local_stage_env() -> dict[str, str]:
    config = json.loads((PROJECT / ".chalice" / "config.json").read_text("utf-8"))
    env: dict[str, str] = dict(config.get("environment_variables", {}))
    env.update(config["stages"]["local"]["environment_variables"])
    return env


def start_local_aws() -> str:
    """Start moto's server on a free loopback port; return its endpoint URL."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    # The Step Functions engine runs inside this process and calls SQS through this port.
    os.environ["MOTO_PORT"] = str(port)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    config = json.dumps(
        {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
    )
    request = urllib.request.Request(
        f"{endpoint}/moto-api/config", data=config.encode(), method="POST"
    )
    # Our own moto server on loopback (the URL is built above, always http://127.0.0.1).
    urllib.request.urlopen(request, timeout=10).close()  # nosec B310
    return endpoint


def prepare_environment(endpoint: str) -> None:
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "local"),
            "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "local"),
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        }
    )
    # The local stage's settings, except the tunables a developer sets in the environment to
    # try something (e.g. CONNECTOR_MAX_ATTEMPTS=2 make run: a department down fails fast).
    os.environ.update(
        {
            name: value
            for name, value in _local_stage_env().items()
            if not (name.startswith(TUNABLE_PREFIXES) and name in os.environ)
        }
    )


TUNABLE_PREFIXES = ("CONNECTOR_", "SMS_")
JOB_PERIOD_S = 60.0
RECORDS = PROJECT / "build" / "local"


def record_path(port: int) -> Path:
    """Where ``make run`` on this port says where its local AWS is (read by ``ops --local``)."""
    return RECORDS / f"{port}.json"


def start_departments() -> str:
    """The departments' systems, as local stand-ins (devtools/departments.py), reached through
    the same adapter and signed requests as the province's gateway in AWS."""
    from chalicelib.settings import ENV_DEPARTMENT_URLS
    from devtools.departments import LOCAL_APP_ID, LOCAL_SECRET, DepartmentStandins

    url = DepartmentStandins(LOCAL_APP_ID, LOCAL_SECRET).start()
    os.environ.update({name: url for name in ENV_DEPARTMENT_URLS.values()})
    log.info("department stand-ins at %s (make department DEPT=… MODE=…)", url)
    return url


def record_endpoint(
    port: int,
    host: str,
    endpoint: str,
    resources: Any,
    departments: str = "",
    sms_standin_url: str = "",
) -> Path:
    """Write what a tool needs to reach this server's local AWS: no secrets (moto takes any
    credentials), removed again when the server stops."""
    path = record_path(port)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "api_url": f"http://{host}:{port}",
        "aws_endpoint": endpoint,
        "region": REGION,
        "pid": os.getpid(),
        "table_name": resources.table_name,
        "state_machine_arn": resources.state_machine_arn,
        "queue_urls": resources.queue_urls,
        "departments_url": departments,
        "sms_standin_url": sms_standin_url,  # make sms-outbox reads what it recorded
    }
    path.write_text(json.dumps(record, indent=1) + "\n", "utf-8")
    return path


def schedule_event(at: datetime | None = None) -> dict[str, object]:
    """A CloudWatch scheduled event, as EventBridge would deliver it."""
    when = (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": when,
        "region": REGION,
        "resources": [],
        "detail": {},
    }


def start_timer(app_module: ModuleType, stop: threading.Event) -> threading.Thread:
    """EventBridge schedules do not exist in moto: run every scheduled handler once at start,
    then every minute (the handlers are idempotent, so running them often is harmless)."""
    handlers = [
        getattr(app_module, s.name)
        for s in app_module.app.event_sources
        if isinstance(s, ScheduledEventConfig)
    ]

    def loop() -> None:
        while not stop.is_set():
            for handler in handlers:
                try:
                    handler(schedule_event(), None)
                except Exception:  # the local service stays up; the error is in the log
                    log.exception("scheduled job failed")
            stop.wait(JOB_PERIOD_S)

    thread = threading.Thread(target=loop, name="job-timer", daemon=True)
    thread.start()
    return thread


def start_sms_standin(host: str, port: int) -> str:
    """The SMS provider's local stand-in (devtools.sms_standin): the sender's SDK is pointed at
    it, and it posts delivery receipts to this server's callback route."""
    from devtools.sms_standin import LOCAL_CALLBACK_TOKEN, start_standin

    callback = f"http://{host}:{port}/v1/sms/receipts?token={LOCAL_CALLBACK_TOKEN}"
    _, url = start_standin(dict(os.environ), callback)
    os.environ["SMS_ENDPOINT"] = url
    quiet = os.environ.get("SMS_QUIET_HOURS") or "21:00-08:00 (default)"
    limits = os.environ.get("SMS_RATE_LIMITS") or "1/30s,5/1h,10/1d (default)"
    log.info("SMS stand-in at %s; quiet hours %s; per-phone limits %s", url, quiet, limits)
    return url


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the service locally on an embedded moto")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--no-pump",
        action="store_true",
        help="serve the API without draining the queues (cases stay accepted): load tests",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=int(os.environ.get("SEED") or 0),
        help="store this many demo cases before serving (a progress bar shows how far)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    log.setLevel(logging.INFO)

    moto_patches.install()
    endpoint = start_local_aws()
    prepare_environment(endpoint)
    import boto3

    from devtools.provision import provision

    resources = provision(boto3.session.Session(region_name=REGION))
    os.environ.update(resources.environment())
    departments = start_departments()
    standin_url = start_sms_standin(args.host, args.port)
    sys.path.insert(0, str(PROJECT))
    from chalice.cli.factory import CLIFactory
    from chalice.local import ThreadedHTTPServer

    import app as app_module
    from chalicelib import deps
    from devtools import gateway
    from devtools.pump import Pump

    if args.seed:
        from devtools.seed import seed

        seed(deps.services(), deps.client("dynamodb"), resources.table_name, args.seed)
    stop = threading.Event()
    if not args.no_pump:
        Pump(app_module, deps.client("sqs"), resources.queue_urls).start_background(stop)
    start_timer(app_module, stop)
    gateway.install()  # answers like the deployed API Gateway (problem+json before the app)
    # socketserver queues 5 connections by default, so 20 clients connecting at once would
    # be reset while the process is busy; API Gateway in front of the real thing has no limit.
    ThreadedHTTPServer.request_queue_size = LISTEN_BACKLOG
    factory = CLIFactory(project_dir=str(PROJECT), environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name="local")
    server = factory.create_local_server(app_module.app, config, args.host, args.port)
    gateway.serve_like_the_gateway(server, app_module.app, config)  # TRACE etc. as in AWS
    log.info("local AWS (moto) at %s; table %s", endpoint, resources.table_name)
    log.info("serving http://%s:%s  (OpenAPI: /openapi.json)", args.host, args.port)
    record = record_endpoint(args.port, args.host, endpoint, resources, departments, standin_url)
    signal.signal(signal.SIGTERM, _interrupt)  # stopped by a signal: remove the record too
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        record.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
