"""The change feed an integrator follows: which feed the caller may read, and the opaque
cursor that says where a page ended."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from chalicelib.domain.access import Principal, Role
from chalicelib.domain.events import FeedScope
from chalicelib.errors import InvalidArgument, NotPermitted
from chalicelib.services.context import Services
from chalicelib.store.records import FeedRecord

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
_CURSOR_VERSION = "1|"
_MAX_CURSOR = 256


@dataclass(frozen=True)
class EventPage:
    events: list[FeedRecord]
    next: str
    has_more: bool


def feed_of(who: Principal) -> FeedScope:
    """The caller's feed: the cases ``can_view_case`` would show them (a clerk: the county's)."""
    if who.role is Role.ADMIN:
        return FeedScope()
    if who.role is Role.APPLICANT:
        return FeedScope(person_key=who.subject)
    if who.role is Role.CLERK and who.county:
        return FeedScope(county=who.county)
    if who.role is Role.OFFICER and who.department and who.county:
        return FeedScope(county=who.county, department=who.department)
    raise NotPermitted("令牌缺少部门或县区，无法确定可见范围")


def encode_cursor(position: str) -> str:
    raw = (_CURSOR_VERSION + position).encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(svc: Services, cursor: str) -> str:
    """The position a cursor names; ``InvalidArgument`` (cursor.invalid) for anything we did
    not hand out."""
    invalid = InvalidArgument(
        "after 参数不是有效的游标（请使用上一页返回的 next）", code="cursor.invalid"
    )
    if len(cursor) > _MAX_CURSOR:
        raise invalid
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError) as exc:
        raise invalid from exc
    if not text.startswith(_CURSOR_VERSION):
        raise invalid
    position = text[len(_CURSOR_VERSION) :]
    if position and not svc.repo.is_feed_position(position):
        raise invalid
    return position


def parse_limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if not (value.isascii() and value.isdigit() and len(value) <= 3) or not (
        1 <= int(value) <= MAX_LIMIT
    ):
        raise InvalidArgument(f"limit 须为 1 到 {MAX_LIMIT} 之间的整数", code="limit.invalid")
    return int(value)


def events(svc: Services, who: Principal, after: str | None, limit: int) -> EventPage:
    """One page of the caller's feed after ``after`` (a cursor; None: from the start). The
    page's ``next`` is always set: polled again, it returns only what happened since."""
    position = decode_cursor(svc, after) if after else ""
    page = svc.repo.feed(feed_of(who), position, svc.settings.feed_settle_s, limit)
    return EventPage(page.events, encode_cursor(page.position), page.more)
