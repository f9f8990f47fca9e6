"""`make run`'s whole service (``python -m devtools.server``: moto, the pump, the timer and
Chalice's local HTTP server, in one process) started in a subprocess on a free loopback port,
for the tests that need a real HTTP server: the load test and the generated client's.

    with local_server(tmp_path / "server.log") as url:
        ...  # url is http://127.0.0.1:<port>, already answering /openapi.json
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        # Loopback only: our own server's URL.
        with urllib.request.urlopen(f"{url}/openapi.json", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def local_server(
    log_path: Path,
    module: str = "devtools.server",
    *options: str,
    start_timeout_s: float = START_TIMEOUT_S,
) -> Iterator[str]:
    """Start ``python -m <module> --port N [options]``; yield its base URL once it answers
    (within ``start_timeout_s``: seeding demo cases takes longer); stop it.

    The server makes its own local AWS: every ``AWS_*`` variable of the test process (moto's
    fake credentials, an endpoint) is left out of its environment."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = str(PROJECT)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", module, "--port", str(port), *options],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_timeout_s
            while not _answers(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text("utf-8", errors="replace")[-3000:]
                    raise RuntimeError(f"{module} did not start (log {log_path}):\n{tail}")
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
