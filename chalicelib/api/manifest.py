"""Write ``chalicelib/api/routes.json`` from the operations the route modules declare.

python -m chalicelib.api.manifest
"""

from __future__ import annotations

import json
from dataclasses import asdict

from chalicelib.api import framework
from chalicelib.api.routing import MANIFEST, Route

PATH = MANIFEST


def build() -> list[Route]:
    return [
        Route(
            name=op.name,
            method=op.method,
            path=op.path,
            module=framework.module_of(op),
            public=op.roles is None,
        )
        for op in framework.load_all()
    ]


def render(found: list[Route]) -> str:
    return json.dumps([asdict(route) for route in found], indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    PATH.write_text(render(build()), "utf-8")
    print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
