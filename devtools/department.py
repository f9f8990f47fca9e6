"""`make department DEPT=<department> MODE=<mode> [PORT=<port>]`: switch one department's
local stand-in (``devtools/departments.py``) under a running ``make run``, e.g. ``make
department DEPT=tax MODE=slow``; MODE=ok puts it back.

The stand-ins' base URL is read from what ``make run`` recorded about itself
(``build/local/<port>.json``, key ``departments_url``; ``--records`` or ``LOCAL_RECORDS`` name
another folder).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from devtools.department_rules import DEPARTMENTS, MODES

RECORDS = Path(__file__).resolve().parent.parent / "build" / "local"
RECORDS_ENV = "LOCAL_RECORDS"


class SwitchFailed(Exception):
    """The mode was not switched: the message says why and what to do."""


def departments_url(records: Path, port: int) -> str:
    """The stand-ins' base URL that ``make run`` on this port recorded."""
    path = records / f"{port}.json"
    try:
        record: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise SwitchFailed(f"{path} is missing: is `make run PORT={port}` up?") from exc
    except ValueError as exc:
        raise SwitchFailed(f"{path} is not JSON: restart `make run PORT={port}`") from exc
    url = record.get("departments_url") if isinstance(record, dict) else None
    if not isinstance(url, str) or not url:
        raise SwitchFailed(
            f"{path} has no departments_url: this `make run` has no department stand-ins "
            f"(restart `make run PORT={port}`)"
        )
    if not url.startswith(("http://", "https://")):
        raise SwitchFailed(f"{path}: departments_url must be an http:// or https:// URL")
    return url.rstrip("/")


def set_mode(url: str, department: str, mode: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{url}/_standin/modes/{department}",
        method="PUT",
        data=json.dumps({"mode": mode}).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    try:
        # The scheme is checked in departments_url: http(s) only, never file: or a custom one.
        with urllib.request.urlopen(request, timeout=10) as response:  # nosec B310
            answer: dict[str, Any] = json.load(response)
    except urllib.error.HTTPError as error:
        raise SwitchFailed(f"{error.code}: {error.read().decode('utf-8')}") from error
    except OSError as error:
        raise SwitchFailed(
            f"cannot reach the stand-ins at {url} ({error}): is make run up?"
        ) from error
    return answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("department", choices=DEPARTMENTS)
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("--port", type=int, default=8000, help="the port of `make run`")
    parser.add_argument(
        "--records",
        type=Path,
        default=Path(os.environ.get(RECORDS_ENV) or RECORDS),
        help="the folder where `make run` records itself (default build/local)",
    )
    args = parser.parse_args(argv)
    try:
        url = departments_url(args.records, args.port)
        answer = set_mode(url, args.department, args.mode)
    except SwitchFailed as problem:
        print(f"make department: {problem}", file=sys.stderr)
        return 1
    print(f"{answer['department']}: {answer['mode']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
