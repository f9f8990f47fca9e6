"""`make job NAME=<job> [AT=<date or instant>] [PORT=<port>]`: run one scheduled job now,
by hand, against the running local service (or any stage, given its URL and an admin token)."""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

from chalicelib.workflow.schedules import JOB_NAMES
from devtools.token import mint


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("name", choices=JOB_NAMES)
    parser.add_argument("--at", default="", help="a date (YYYY-MM-DD) or ISO instant; default now")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    if not args.url.startswith(("http://", "https://")):
        parser.error("--url must be an http:// or https:// URL")
    query = f"?{urllib.parse.urlencode({'at': args.at})}" if args.at else ""
    request = urllib.request.Request(
        f"{args.url}/v1/admin/jobs/{args.name}{query}",
        method="POST",
        headers={"Authorization": f"Bearer {mint('admin', 'operator')}"},
    )
    try:
        # The scheme is checked above: http(s) only, never file: or a custom one.
        with urllib.request.urlopen(request, timeout=120) as response:  # nosec B310
            report = json.load(response)
    except urllib.error.HTTPError as error:
        print(error.read().decode("utf-8"), file=sys.stderr)
        return 1
    print(
        f"{report['job']} at {report['at']}: read {report['read']} rows, "
        f"changed {report['changed']}, notified {report['notified']}, skipped {report['skipped']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
