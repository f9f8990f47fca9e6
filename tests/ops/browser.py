"""Debian's Chromium, headless, as the report's reader (installed by `make browser`, which
`make test` runs first; a test without it is skipped, saying how to get it)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("Chromium is missing: `make browser` installs Debian's chromium")
    return found


def _run(page: Path, *extra: str) -> str:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        done = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    return done.stdout


def dom(page: Path) -> str:
    """The page's DOM after Chromium has loaded and laid it out."""
    return _run(page, "--dump-dom")


def screenshot(page: Path, png: Path, size: str = "1200,4200") -> None:
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    _run(page, f"--screenshot={png.resolve()}", f"--window-size={size}", "--hide-scrollbars")
