"""Terminal output: rich on a terminal (colour, tables, progress bars with counts and an
ETA), plain lines when the output is a file or a pipe."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

PLAIN_EVERY_S = 2.0  # without a terminal, a progress line at most this often (and at the end)
# Without a terminal, tables are laid out this wide (at most: they take their own width), so a
# row stays one line and a long value (a dead letter's task id) is never cut or folded.
PLAIN_WIDTH = 200


def make_console(stderr: bool = False) -> Console:
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal:  # a file or a pipe: whole lines, for grep and for logs
        console.soft_wrap = True
        console.width = max(console.width, PLAIN_WIDTH)
    return console


Advance = Callable[[int], None]


@contextmanager
def progress(console: Console, label: str, total: int) -> Iterator[Advance]:
    """Yield ``advance(n)``. A bar on a terminal; otherwise ``label: done/total`` lines."""
    if console.is_terminal:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        ) as bar:
            task = bar.add_task(label, total=total)

            def advance(n: int = 1) -> None:
                bar.advance(task, n)

            yield advance
        return
    yield from _plain(console, label, total)


def _plain(console: Console, label: str, total: int) -> Iterator[Advance]:
    state = {"done": 0, "shown": time.monotonic()}
    started = time.monotonic()

    def advance(n: int = 1) -> None:
        state["done"] += n
        now = time.monotonic()
        if now - state["shown"] >= PLAIN_EVERY_S and state["done"] < total:
            state["shown"] = now
            console.print(_line(label, int(state["done"]), total, now - started), markup=False)

    yield advance
    console.print(_line(label, int(state["done"]), total, time.monotonic() - started), markup=False)


def _line(label: str, done: int, total: int, elapsed: float) -> str:
    rate = done / elapsed if elapsed > 0 else 0.0
    eta = f", ETA {int((total - done) / rate)} s" if rate and done < total else ""
    return f"{label}: {done}/{total} ({elapsed:.1f} s{eta})"
