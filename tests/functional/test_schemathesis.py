"""Property-based run of the whole contract: Schemathesis generates requests from
/openapi.json and calls the app in-process through Chalice's own local gateway (the one
`chalice local` serves; tests/wsgi.py gives it a WSGI face), on moto in memory, each with a
valid token for a role the operation needs.

Every response must be no 5xx, carry a documented status and content type, and match its
documented schema. ``SCHEMATHESIS_MAX_EXAMPLES`` cases per operation (default 100). In-process
rather than over HTTP to a `make run` server: no server process, no sockets, no moto HTTP
round trips; 100 cases per operation took 5m28s (2m20s CPU) over HTTP and 3m02s (1m32s CPU)
in-process with `-n 2` on this shared 2-core machine.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from chalice.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import token
from tests.wsgi import wsgi_app

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "100"))
# A valid caller for each role (an officer and a clerk act within one department and county).
CLAIMS: dict[str, dict[str, Any]] = {
    "admin": {"sub": "admin-1"},
    "applicant": {"sub": "410302199001019018"},
    "clerk": {"sub": "clerk-1", "county": "410302"},
    "officer": {"sub": "officer-1", "department": "hrss", "county": "410302"},
}


def _operation_ids() -> list[str]:
    import app  # noqa: F401 - registers every operation
    from chalicelib.api.openapi import document

    return sorted(
        op["operationId"] for item in document()["paths"].values() for op in item.values()
    )


@pytest.fixture(scope="module")
def api() -> Any:
    from chalicelib.api.openapi import document

    return schemathesis.openapi.from_dict(document())


def _headers(operation_id: str) -> dict[str, str]:
    from chalicelib.api.framework import OPERATIONS

    op = next(o for o in OPERATIONS if o.name == operation_id)
    if op.roles is None:
        return {}
    role = sorted(op.roles)[0]
    return {"Authorization": f"Bearer {token(role, **CLAIMS[role])}"}


@pytest.mark.parametrize("operation_id", _operation_ids())
def test_the_service_keeps_its_contract(api: Any, client: Client, operation_id: str) -> None:
    # The schema's transport (its own probes too, like the ignored-auth check's) calls the app.
    app = api.app = wsgi_app(client)
    operation = api.find_operation_by_id(operation_id)
    headers = _headers(operation_id)

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
            app=app,
            headers=headers,
            # A schema-valid body may still break a rule the schema cannot say (a USCC's check
            # digit, a county in Luoyang): 422 is the contract there, not a failure.
            excluded_checks=[positive_data_acceptance],
        )

    keeps_its_contract()
