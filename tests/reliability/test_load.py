"""Load against the local HTTP server (`make run`'s, started here on a free port): 500
submissions from 20 clients at once. Nothing fails except the requests meant to fail, every
replayed key gets its case back, and every accepted case can be read back.

The server runs with ``--no-pump``: the queues fill but nothing drains them, so this measures
the HTTP front, the authorizer and the submit path under concurrency, not the workflows. One
process serves moto and the app, and moto spends ~0.2 s of CPU on each submission's
transaction on this shared 2-core machine; with the workflows running too, 500 took 3-5
minutes, over the suite's budget. The workflows under load are the throughput benchmark's
(`make bench`), and every handler's behaviour the rest of this suite's.
"""

from __future__ import annotations

import copy
import json
import os
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.api.schemas import APPLICATION_EXAMPLE
from tests.conftest import token
from tests.local_server import local_server

SUBMISSIONS = int(os.environ.get("LOAD_SUBMISSIONS", "500"))
CLIENTS = 20
READ_ATTEMPTS = 30
APPLICANT = "410302199001019018"


def _call(method, url, body=None, headers=None):
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    # Loopback only: the URL is our own local server's.
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture
def server(tmp_path):
    log = tmp_path / "server.log"
    with local_server(log, "devtools.server", "--no-pump") as url:
        yield url


def _plan(client: int, count: int):
    """One client's requests, in order: mostly new applications; every tenth repeats the
    client's previous key (the same case back), every tenth is invalid (a deliberate 422)."""
    for j in range(count):
        n = client * count + j
        if j % 10 == 9:
            yield n, f"key-{n}", {**APPLICATION_EXAMPLE, "consent": False}, 422
        elif j % 10 == 8:
            yield n, f"key-{n - 1}", copy.deepcopy(APPLICATION_EXAMPLE), 202
        else:
            yield n, f"key-{n}", copy.deepcopy(APPLICATION_EXAMPLE), 202


@pytest.mark.timeout(300)
def test_submissions_from_twenty_concurrent_clients_fail_only_on_purpose(server):
    auth = {"Authorization": f"Bearer {token('applicant', APPLICANT)}"}
    headers = {"Content-Type": "application/json", **auth}
    slices = [list(_plan(c, SUBMISSIONS // CLIENTS)) for c in range(CLIENTS)]
    plan = [request for requests in slices for request in requests]

    def client(requests):
        answers = []
        for n, key, body, expected in requests:
            status, payload = _call(
                "POST", f"{server}/v1/applications", body, {**headers, "Idempotency-Key": key}
            )
            answers.append((n, key, expected, status, payload))
        return answers

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = [a for answered in pool.map(client, slices) for a in answered]
    elapsed = time.monotonic() - started

    unexpected = [
        (n, status, payload) for n, _, expected, status, payload in answers if status != expected
    ]
    assert unexpected == [], unexpected[:5]
    by_key = {}
    for _, key, expected, _, payload in answers:
        if expected == 202:
            by_key.setdefault(key, set()).add(payload["id"])
    assert all(len(ids) == 1 for ids in by_key.values())  # a replay got the same case
    case_ids = {ids.pop() for ids in by_key.values()}
    replays = sum(1 for n, key, *_ in plan if key != f"key-{n}")
    assert len(case_ids) == Counter(e for *_, e in plan)[202] - replays

    busy = Counter()

    def read(case_id):
        # While the pump still runs hundreds of workflows, moto (one process, serialised) can
        # keep a read waiting past the client's timeout: the API answers 503 + Retry-After, a
        # deliberate answer that a client retries, as this one does.
        for _ in range(READ_ATTEMPTS):
            status = _call("GET", f"{server}/v1/applications/{case_id}", headers=auth)[0]
            if status != 503:
                return status
            busy[case_id] += 1
            time.sleep(1)
        return status

    reading = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        reads = Counter(pool.map(read, sorted(case_ids)))
    read_s = time.monotonic() - reading
    assert reads == {200: len(case_ids)}
    print(
        f"{len(plan)} submissions from {CLIENTS} clients in {elapsed:.1f}s "
        f"({len(plan) / elapsed:.1f}/s); {len(case_ids)} cases, all readable in {read_s:.1f}s "
        f"({sum(busy.values())} reads answered 503 + Retry-After first, then retried)"
    )
