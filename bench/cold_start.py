"""Cold start: ``import app`` in fresh interpreters against a bare Chalice app that imports
boto3, alternating, same run; and, when the ratio is over the goal, what is heavy at import
(``python -X importtime``), compared module by module with the bare app."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
GOAL = 1.2
BARE_APP = "import boto3\nfrom chalice import Chalice\n\napp = Chalice(app_name='bare')\n"
TIMED = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def _env() -> dict[str, str]:
    # Bytecode is cached (written by the warm-up run) on both sides alike.
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _time(module: str, cwd: Path) -> float:
    code = TIMED.format(module=module)
    out = subprocess.run(  # noqa: S603 - this interpreter, our own snippet
        [sys.executable, "-c", code], cwd=cwd, env=_env(), capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return float(out.stdout.strip().splitlines()[-1]) * 1000


def _self_times(module: str, cwd: Path) -> Counter[str]:
    out = subprocess.run(  # noqa: S603 - this interpreter, our own snippet
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
    ).stderr
    times: Counter[str] = Counter()
    for line in out.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            times[parts[2].strip()] += int(parts[0])
    return times


def _group(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:3]) if parts[0] == "chalicelib" else parts[0]


def heavy_imports(bare_dir: Path, top: int = 12) -> list[dict[str, Any]]:
    """Import time the app adds over the bare app, by package (chalicelib by module)."""
    app_times, bare_times = _self_times("app", PROJECT), _self_times("bare_app", bare_dir)
    extra: Counter[str] = Counter()
    for name, us in app_times.items():
        extra[_group(name)] += us - bare_times.get(name, 0)
    return [{"module": m, "ms": round(us / 1000, 1)} for m, us in extra.most_common(top)]


def measure(runs: int = 15) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        bare_dir = Path(tmp)
        (bare_dir / "bare_app.py").write_text(BARE_APP)
        _time("app", PROJECT), _time("bare_app", bare_dir)  # warm-up: bytecode written
        app_ms, bare_ms = [], []
        for _ in range(runs):
            app_ms.append(_time("app", PROJECT))
            bare_ms.append(_time("bare_app", bare_dir))
        result: dict[str, Any] = {
            "runs": runs,
            "app_ms": round(statistics.median(app_ms), 1),
            "bare_ms": round(statistics.median(bare_ms), 1),
        }
        result["ratio"] = round(result["app_ms"] / result["bare_ms"], 2)
        result["goal"] = GOAL
        if result["ratio"] > GOAL:
            result["heavy_imports"] = heavy_imports(bare_dir)
    return result


def table(result: dict[str, Any]) -> str:
    lines = [
        f"Cold import, median of {result['runs']} fresh interpreters each, alternating "
        "(bytecode cached on both sides)",
        f"  import app        {result['app_ms']:8.1f} ms",
        f"  bare Chalice app  {result['bare_ms']:8.1f} ms   (imports boto3 and chalice)",
        f"  ratio             {result['ratio']:8.2f}     goal ≤ {result['goal']}",
    ]
    if "heavy_imports" in result:
        lines.append("  over the goal; what `import app` adds (python -X importtime), by module:")
        lines += [f"    {h['module']:44} {h['ms']:8.1f} ms" for h in result["heavy_imports"]]
    return "\n".join(lines)
