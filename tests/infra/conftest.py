"""The deployment template as `make package` writes it: packaged once per session, and by
make only when something it is made of changed."""

from __future__ import annotations

import fcntl
import json
import subprocess
from pathlib import Path

import pytest

from infra.functions import Function, functions
from tests.infra.helpers import Template

PROJECT = Path(__file__).resolve().parents[2]
PACKAGED = PROJECT / "build" / "package" / "sam.json"


@pytest.fixture(scope="session")
def packaged() -> Template:
    """``build/package/sam.json``, brought up to date by make (one worker at a time)."""
    PACKAGED.parent.parent.mkdir(exist_ok=True)
    with open(PACKAGED.parent.parent / ".package.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        make = ["make", "-s", "package", "STAGE=prod"]
        subprocess.run(make, cwd=PROJECT, check=True)
        template: Template = json.loads(PACKAGED.read_text("utf-8"))
    return template


@pytest.fixture(scope="session")
def app_functions() -> tuple[Function, ...]:
    return functions()
