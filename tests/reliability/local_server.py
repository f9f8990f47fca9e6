"""`make run`'s server (devtools.server) for the load test, with moto's DynamoDB made to
behave like DynamoDB under concurrent requests and large tables
(tests/reliability/moto_patches.py); the service's code is the same.

Run: `python -m tests.reliability.local_server --port N`."""

from __future__ import annotations

import sys

from devtools import server
from tests.reliability import moto_patches

if __name__ == "__main__":
    moto_patches.install()
    sys.exit(server.main())
