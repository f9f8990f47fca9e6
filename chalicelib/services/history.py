"""Case history entries: every transition is an event with time, actor and reason."""

from __future__ import annotations

from chalicelib.store.records import EventRecord

# Events written in one transaction share their instant; ``order`` keeps them readable:
# what happened to items first, then what it meant for the case.
ITEM_ORDER, CASE_ORDER = 1, 9


def event(
    case_id: str,
    at: str,
    kind: str,
    detail: str,
    *,
    item: str | None = None,
    actor: str = "system",
    actor_id: str | None = None,
    order: int | None = None,
    key: str = "",
) -> EventRecord:
    """``key`` tells apart entries of one kind a case may get more than once at one instant
    (a rating per stage)."""
    rank = order if order is not None else (ITEM_ORDER if item else CASE_ORDER)
    return EventRecord(
        case_id=case_id,
        at=at,
        seq=f"{rank}.{item or 'case'}.{kind}" + (f".{key}" if key else ""),
        type=kind,
        actor=actor,
        actor_id=actor_id,
        item=item,
        detail=detail,
    )
