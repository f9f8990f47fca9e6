"""``import app`` routes from chalicelib/api/routes.json; the manifest must say exactly what the
Operation declarations say (regenerate: python -m chalicelib.api.manifest)."""

from __future__ import annotations

import subprocess
import sys

from chalicelib.api import manifest


def test_the_route_manifest_matches_the_declared_operations() -> None:
    current = manifest.render(manifest.build())
    assert manifest.PATH.read_text("utf-8") == current, (
        "chalicelib/api/routes.json is stale: run `.venv/bin/python -m chalicelib.api.manifest`"
    )


def test_import_app_loads_no_route_module_and_no_pydantic() -> None:
    probe = (
        "import sys, app; "
        "heavy = [m for m in sys.modules if m.startswith(('pydantic', 'chalicelib.services', "
        "'chalicelib.store', 'chalicelib.api.schemas', 'boto3'))]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
