"""Mint a local-stage token: `python -m devtools.token applicant 410302199001019018`.

Roles: applicant (sub = ID number), clerk (--county), officer (--department, --county), admin."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import jwt

from chalicelib.domain import catalogue
from chalicelib.domain.access import Role

PROJECT = Path(__file__).resolve().parent.parent


def mint(role: str, sub: str, hours: float = 1, **extra: str) -> str:
    config = json.loads((PROJECT / ".chalice" / "config.json").read_text("utf-8"))
    env = config["stages"]["local"]["environment_variables"]
    secret = env["AUTH_JWT_SECRET"]
    claims: dict[str, object] = {
        "sub": sub,
        "role": role,
        "exp": int(time.time() + hours * 3600),
        "iss": env["AUTH_ISSUER"],
        "aud": env["AUTH_AUDIENCE"],
    }
    claims |= {k: v for k, v in extra.items() if v}
    return jwt.encode(claims, secret, algorithm="HS256")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", choices=[r.value for r in Role])
    parser.add_argument("sub", help="applicant: ID number; staff: staff id")
    parser.add_argument("--department", choices=catalogue.department_codes())
    parser.add_argument("--county", help="4103xx")
    parser.add_argument("--hours", type=float, default=12)
    args = parser.parse_args()
    extra = {"department": args.department or "", "county": args.county or ""}
    print(mint(args.role, args.sub, args.hours, **extra))


if __name__ == "__main__":
    main()
