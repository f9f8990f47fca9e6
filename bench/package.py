"""The deployment package's size: build/package/deployment.zip from `make package` (built
here if missing; reported as not available if it cannot be built), and what fills it."""

from __future__ import annotations

import subprocess
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
ZIP = PROJECT / "build" / "package" / "deployment.zip"


def measure(build: bool = True) -> dict[str, Any]:
    if not ZIP.exists() and build:
        command = ["make", "-s", "package"]
        subprocess.run(command, cwd=PROJECT, capture_output=True, timeout=900)  # noqa: S603
    if not ZIP.exists():
        return {"package_bytes": None, "note": "not available (make package did not produce it)"}
    compressed: Counter[str] = Counter()
    with zipfile.ZipFile(ZIP) as archive:
        for info in archive.infolist():
            top = info.filename.split("/")[0]
            compressed[top.split("-")[0] if top.endswith(".dist-info") else top] += (
                info.compress_size
            )
    return {
        "package_bytes": ZIP.stat().st_size,
        "largest": [{"name": n, "bytes": b} for n, b in compressed.most_common(8)],
    }


def table(result: dict[str, Any]) -> str:
    if result["package_bytes"] is None:
        return f"Deployment package: {result['note']}"
    lines = [
        f"Deployment package: {ZIP.relative_to(PROJECT)} {result['package_bytes'] / 1e6:.1f} MB"
        " (Lambda's limit: 50 MB zipped, 250 MB unzipped); largest entries (compressed):"
    ]
    lines += [f"    {e['name']:30} {e['bytes'] / 1e6:7.2f} MB" for e in result["largest"]]
    return "\n".join(lines)
