"""Adding a joint item is one catalogue entry, its rule and its guide text: a sixth item and a
new department, registered by tests/catalogue_extension/plugin.py alone, run a whole case on
moto. In a process of its own, so this suite never sees the sixth item."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import EXTENSION_PLUGIN, PROJECT


def test_a_sixth_item_added_through_the_catalogue_alone_runs_a_whole_case() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", EXTENSION_PLUGIN, "tests/catalogue_extension"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "5 passed" in run.stdout.splitlines()[-1]
