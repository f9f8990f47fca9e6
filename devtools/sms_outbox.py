"""`make sms-outbox PORT=<port of make run>`: print what the local SMS stand-in was asked to
send, one JSON object a line: {"phone", "template", "params", "notification_id", "at"}.
Local demo data only (the full phone number is shown)."""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request

from devtools.server import record_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="the port make run serves on")
    args = parser.parse_args(argv)
    path = record_path(args.port)
    if not path.exists():
        print(f"no make run on port {args.port} ({path} missing)", file=sys.stderr)
        return 2
    url = json.loads(path.read_text("utf-8")).get("sms_standin_url")
    if not url or not str(url).startswith("http://127.0.0.1:"):
        print(f"make run on port {args.port} has no SMS stand-in", file=sys.stderr)
        return 2
    # Our own stand-in on loopback (checked above).
    with urllib.request.urlopen(f"{url}/_standin/outbox", timeout=10) as response:  # nosec B310
        sys.stdout.write(response.read().decode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
