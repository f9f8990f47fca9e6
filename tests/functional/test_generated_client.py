"""The document is usable, not only valid: a client generated from it by a standard generator
(openapi-python-client, pinned in requirements-dev.txt) completes the happy path against the
real local server (`make run`'s, started on a free port): an applicant submits and reads the
case, the HRSS officer finds the pension registration in the queue and approves it.

The client is generated at test time from the running server's own GET /openapi.json into a
temporary directory; nothing generated is committed. The generator's post-hooks (ruff
formatting of the generated code) are switched off: the code is imported, not read.
"""

from __future__ import annotations

import copy
import importlib
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from chalicelib.api.schemas import APPLICATION_EXAMPLE
from tests.conftest import token
from tests.local_server import local_server

PACKAGE = "yijianshi_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
OPERATOR = "410302199001019018"
OFFICER = {"department": "hrss", "county": "410302"}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with local_server(tmp_path_factory.mktemp("server") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def generated(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    work = tmp_path_factory.mktemp("client")
    spec = work / "openapi.json"
    with urllib.request.urlopen(f"{base_url}/openapi.json", timeout=10) as response:
        spec.write_bytes(response.read())
    config = work / "config.yaml"
    config.write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\n", "utf-8")
    command = [str(GENERATOR), "generate", "--path", str(spec), "--meta", "none"]
    command += ["--output-path", str(work / PACKAGE), "--config", str(config), "--fail-on-warning"]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(work))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(work))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _module(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


def _as(generated: ModuleType, base_url: str, role: str, sub: str, **claims: Any) -> Any:
    return generated.AuthenticatedClient(
        base_url=base_url, token=token(role, sub, **claims), raise_on_unexpected_status=True
    )


def _wait_for_task(client: Any, case_id: str, timeout: float = 90.0) -> Any:
    list_tasks = _module("api.departments.list_department_tasks")
    department = _module("models.list_department_tasks_department").ListDepartmentTasksDepartment
    status = _module("models.list_department_tasks_status").ListDepartmentTasksStatus
    deadline = time.monotonic() + timeout
    while True:
        queue = list_tasks.sync(department=department.HRSS, client=client, status=status.PENDING)
        found = [t for t in queue.tasks if t.application_id == case_id]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def test_a_generated_client_completes_submit_read_and_decide(
    generated: ModuleType, base_url: str
) -> None:
    models = _module("models")
    submit = _module("api.applications.submit_application")
    read = _module("api.applications.get_application")
    decide = _module("api.departments.decide_department_task")
    applicant = _as(generated, base_url, "applicant", OPERATOR)
    officer = _as(generated, base_url, "officer", "hrss-001", **OFFICER)

    body = models.ApplicationIn.from_dict(copy.deepcopy(APPLICATION_EXAMPLE))
    answer = submit.sync_detailed(client=applicant, body=body, idempotency_key="gen-client-1")
    assert answer.status_code == 202, answer.content
    accepted = answer.parsed
    assert isinstance(accepted, models.Accepted)

    view = read.sync(application_id=accepted.id, client=applicant)
    assert isinstance(view, models.CaseView)
    assert view.id == accepted.id
    assert {i.code.value for i in view.items} == set(APPLICATION_EXAMPLE["items"])

    tasks = _wait_for_task(officer, accepted.id)
    assert [t.item for t in tasks] == ["pension_registration"], tasks
    department = _module("models.decide_department_task_department")
    decided = decide.sync(
        department=department.DecideDepartmentTaskDepartment.HRSS,
        task_id=tasks[0].id,
        client=officer,
        body=models.DecisionIn(approve=True),
    )
    assert isinstance(decided, models.Task), decided
    assert decided.status.value == "decided"

    deadline = time.monotonic() + 90
    while True:
        view = read.sync(application_id=accepted.id, client=applicant)
        pension = next(i for i in view.items if i.code.value == "pension_registration")
        waiting = pension.status in ("in_review", "waiting_for_department")
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert pension.status == "completed", view.to_dict()


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND"])
def test_the_local_server_answers_methods_the_gateway_refuses_with_problem_json(
    base_url: str, method: str
) -> None:
    import http.client
    import json
    from urllib.parse import urlparse

    where = urlparse(base_url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    for path in ("/v1/guide", "/v1/applications/x", "/no-such-path"):
        connection.request(method, path)
        response = connection.getresponse()
        body = json.loads(response.read())
        assert response.status == 404, (method, path)
        assert response.getheader("Content-Type") == "application/problem+json"
        assert (body["code"], body["instance"]) == ("not_found", path)
    connection.close()
