"""Statistics for the working group, kept as counters updated with each change (never by
scanning cases): which counters a change moves follows from its history events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

MAX_BUCKET = 30  # working days; slower items count in the last bucket
CLOSING = frozenset(
    {"completed", "refused", "failed", "not_handled", "withdrawn", "reminder_scheduled"}
)
CASE_ENDINGS = frozenset({"completed", "partially_completed", "rejected", "withdrawn"})


def increments(
    events: Iterable[tuple[str, str | None]],
    channel: str | None = None,
    chosen: Sequence[str] = (),
    taken: Mapping[str, int] | None = None,
    rating: int | None = None,
) -> Counter[str]:
    """Counter names and amounts for one change, from its events (type, item)."""
    counts: Counter[str] = Counter()
    for kind, item in events:
        if kind == "accepted":
            counts["cases"] += 1
            counts[f"channel.{channel}"] += 1
            counts.update(f"chosen.{code}" for code in chosen)
        elif kind == "deadline_breached":
            counts[f"breaches.{item or 'case'}"] += 1
        elif kind == "rated" and rating is not None:
            counts[f"rating.{rating}"] += 1
        elif item and kind in CLOSING:
            counts[f"finished.{item}"] += 1
            if taken and item in taken:
                counts[f"days.{item}.{min(taken[item], MAX_BUCKET)}"] += 1
        elif item is None and kind in CASE_ENDINGS:
            counts[f"ended.{kind}"] += 1
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
