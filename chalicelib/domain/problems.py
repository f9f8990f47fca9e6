"""Field-level validation problems, reported all at once (一次告知)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, a stable machine code, a Chinese message."""

    field: str
    code: str
    message: str
