"""The market regulation registry port, and the local adapter that answers from a data file."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path

from chalicelib.domain.business import Business


class LicenceRegistry(ABC):
    @abstractmethod
    def lookup(self, uscc: str) -> Business | None: ...


class FileLicenceRegistry(LicenceRegistry):
    """Registry answers from a JSON file: the demo data locally, a fixture in tests.

    Stands in for the market regulation system, which cannot be reached from here."""

    def __init__(self, text: str, key_of: Callable[[str], str]) -> None:
        rows = json.loads(text)["businesses"]
        self._by_uscc = {
            row["uscc"]: Business(
                uscc=row["uscc"],
                name=row["name"],
                operator_key=key_of(row["operator_id_number"]),
                registered_on=date.fromisoformat(row["registered_on"]),
                state=row["state"],
            )
            for row in rows
        }

    @classmethod
    def from_path(cls, path: str, key_of: Callable[[str], str]) -> FileLicenceRegistry:
        if path:
            return cls(Path(path).read_text("utf-8"), key_of)
        demo = resources.files("chalicelib.integrations") / "data" / "registry.json"
        return cls(demo.read_text("utf-8"), key_of)

    def lookup(self, uscc: str) -> Business | None:
        return self._by_uscc.get(uscc.upper())
