"""A business as the market regulation registry knows it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Business:
    uscc: str
    name: str
    operator_key: str  # the registered operator's person key, never their ID number
    registered_on: date
    state: str  # "active" | "cancelled"

    @property
    def active(self) -> bool:
        return self.state == "active"


def same_name(a: str, b: str) -> bool:
    """Names match up to width (（ vs ( ) and white space, as people type them."""

    def norm(value: str) -> str:
        return "".join(unicodedata.normalize("NFKC", value).split())

    return norm(a) == norm(b)
