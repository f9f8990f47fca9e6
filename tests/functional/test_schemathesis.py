"""Property-based run of the whole contract: Schemathesis generates requests from
/openapi.json and sends them to the service running locally (``python -m devtools.server``:
Chalice's local server over moto), each with a valid token for a role the operation needs.

Every response must be no 5xx, carry a documented status and content type, and match its
documented schema. ``SCHEMATHESIS_MAX_EXAMPLES`` (default 40 per operation: about two minutes
for the whole API) can be raised for a deeper run; 100 takes about five minutes.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import token

PROJECT = Path(__file__).resolve().parents[2]
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "40"))
# A valid caller for each role (an officer and a clerk act within one department and county).
CLAIMS: dict[str, dict[str, Any]] = {
    "admin": {"sub": "admin-1"},
    "applicant": {"sub": "410302199001019018"},
    "clerk": {"sub": "clerk-1", "county": "410302"},
    "officer": {"sub": "officer-1", "department": "hrss", "county": "410302"},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    env.pop("AWS_ENDPOINT_URL", None)
    (PROJECT / "build").mkdir(exist_ok=True)
    log = (PROJECT / "build" / "schemathesis-server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "devtools.server", "--port", str(port)],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/openapi.json", timeout=2).close()  # noqa: S310
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("devtools.server did not start: see build/schemathesis-server.log")
                time.sleep(0.25)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _operation_ids() -> list[str]:
    import app  # noqa: F401 - registers every operation
    from chalicelib.openapi import document

    return sorted(
        op["operationId"] for item in document()["paths"].values() for op in item.values()
    )


@pytest.fixture(scope="module")
def api() -> Any:
    from chalicelib.openapi import document

    return schemathesis.openapi.from_dict(document())


def _headers(operation_id: str) -> dict[str, str]:
    from chalicelib.api.framework import OPERATIONS

    op = next(o for o in OPERATIONS if o.name == operation_id)
    if op.roles is None:
        return {}
    role = sorted(op.roles)[0]
    return {"Authorization": f"Bearer {token(role, **CLAIMS[role])}"}


@pytest.mark.parametrize("operation_id", _operation_ids())
def test_the_service_keeps_its_contract(api: Any, base_url: str, operation_id: str) -> None:
    operation = api.find_operation_by_id(operation_id)
    headers = _headers(operation_id)
    session = requests.Session()

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
        derandomize=True,
        database=None,
    )
    def keeps_its_contract(case: Any) -> None:
        case.call_and_validate(
            base_url=base_url,
            session=session,
            headers=headers,
            # A schema-valid body may still break a rule the schema cannot say (a USCC's check
            # digit, a county in Luoyang): 422 is the contract there, not a failure.
            excluded_checks=[positive_data_acceptance],
        )

    keeps_its_contract()
