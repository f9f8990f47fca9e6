"""`make run`'s server (devtools.server) for the load test, with two local-only limits
lifted; the service's code is the same.

- moto's DynamoDB made to behave like DynamoDB under concurrent requests and large tables
  (tests/reliability/moto_patches.py).
- The HTTP listen backlog: Python's socketserver queues 5 connections by default (chalice's
  local server keeps that), so 20 clients connecting at once get connections reset while
  the process is busy. A real front end (API Gateway) has no such limit.

Run: `python -m tests.reliability.local_server --port N`."""

from __future__ import annotations

import sys

from chalice.local import ThreadedHTTPServer

from devtools import server
from tests.reliability import moto_patches

LISTEN_BACKLOG = 128

if __name__ == "__main__":
    moto_patches.install()
    ThreadedHTTPServer.request_queue_size = LISTEN_BACKLOG
    sys.exit(server.main())
