"""Statistics for the working group, kept as counters updated with each change (never by
scanning cases): which counters a change moves follows from its history events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

MAX_BUCKET = 30  # working days; slower items count in the last bucket
CLOSING = frozenset(
    {"completed", "refused", "failed", "not_handled", "withdrawn", "reminder_scheduled"}
)
CASE_ENDINGS = frozenset({"completed", "partially_completed", "rejected", "withdrawn"})
CASE = "case"  # what the counters call the joint case as a whole, beside its items
FOLLOW_UP_CLOSED = "follow_up_closed"
FOLLOW_UP = "follow_up"  # a poor rating's call-back, as the breach job names it in ``item``


@dataclass(frozen=True)
class Closings:
    """What the rows of a change say about the things it closes.

    ``on_time``: items (and ``case``) finished by their due instant; ``breached``: items (and
    ``case``, ``follow_up``) whose deadline breach was flagged and is still open, so closing
    them closes the breach."""

    taken: Mapping[str, int] = field(default_factory=dict)
    on_time: Collection[str] = ()
    breached: Collection[str] = ()


@dataclass(frozen=True)
class Rated:
    """The rating a change gives: its stage and level (domain.rating)."""

    stage: str
    level: int


def increments(
    events: Iterable[tuple[str, str | None]],
    channel: str | None = None,
    chosen: Sequence[str] = (),
    rating: Rated | None = None,
    closings: Closings | None = None,
) -> Counter[str]:
    """Counter names and amounts for one change, from its events (type, item)."""
    counts: Counter[str] = Counter()
    closed = closings or Closings()
    for kind, item in events:
        if kind == "accepted":
            counts["cases"] += 1
            counts[f"channel.{channel}"] += 1
            counts.update(f"chosen.{code}" for code in chosen)
        elif kind == "deadline_breached":
            counts[f"breaches.{item or CASE}"] += 1
        elif kind == "rated" and rating is not None:
            counts[f"rating.{rating.level}"] += 1  # every stage: the levels' totals
            counts[f"rating.{rating.stage}.{rating.level}"] += 1
        elif item and kind in CLOSING:
            counts.update(_closed(item, closed))
        elif item is None and kind in CASE_ENDINGS:
            counts[f"ended.{kind}"] += 1
            counts.update(_closed(CASE, closed, finished=False))
        elif kind == FOLLOW_UP_CLOSED and FOLLOW_UP in closed.breached:
            counts[f"breaches_closed.{FOLLOW_UP}"] += 1
    return counts


def _closed(name: str, closed: Closings, finished: bool = True) -> Counter[str]:
    counts: Counter[str] = Counter()
    if finished:
        counts[f"finished.{name}"] += 1
    if name in closed.taken:
        counts[f"days.{name}.{min(closed.taken[name], MAX_BUCKET)}"] += 1
    if name in closed.on_time:
        counts[f"on_time.{name}"] += 1
    if name in closed.breached:
        counts[f"breaches_closed.{name}"] += 1
    return counts


def percentile(histogram: Mapping[int, int], fraction: float) -> int | None:
    """The smallest bucket at or below which ``fraction`` of the counted items fall."""
    total = sum(histogram.values())
    if total == 0:
        return None
    needed = fraction * total
    running = 0
    for bucket in sorted(histogram):
        running += histogram[bucket]
        if running >= needed:
            return bucket
    return max(histogram)
