"""The rules of the SMS channel: whose number can get an SMS, when nothing is sent (quiet
hours), how often one phone may be sent to, and what a template variable may hold.

Pure: no AWS, no provider. The provider's defaults this mirrors are Tencent Cloud SMS's
(per phone: 1 per 30 s, 5 per hour, 10 per day; a variable of a notification template at
most 6 characters and never a URL), configurable per stage (``chalicelib.settings``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from chalicelib.domain.calendar import SHANGHAI_OFFSET
from chalicelib.domain.contact import MAINLAND_MOBILE  # docs/domain.md §3


class SmsState(StrEnum):
    """What the applicant's notification list says of its SMS."""

    SENT = "sent"  # the provider accepted it
    DELIVERED = "delivered"  # the provider's receipt says the phone got it
    FAILED = "failed"  # not sent and not retried, or the receipt says it did not arrive
    HELD = "held"  # waiting: quiet hours, a per-phone limit, or a retry after a failure
    NOT_APPLICABLE = "not_applicable"  # not sent by SMS, and why
    SENDING = "sending"  # claimed by a sender, its call to the provider under way (internal)


FINAL_STATES = frozenset({SmsState.SENT, SmsState.DELIVERED, SmsState.FAILED})
DONE_STATES = FINAL_STATES | {SmsState.NOT_APPLICABLE}

_SEPARATORS = re.compile(r"[\s\-()]")
_COUNTRY_PREFIXES = ("+86", "0086", "86")


def mainland_mobile(raw: str) -> str | None:
    """The 11-digit mainland mobile number ``raw`` stands for, or ``None`` for anything else
    (a landline, a Hong Kong, Macao, Taiwan or foreign number, a typo). Decided per number at
    send time, whatever the form accepted."""
    number = _SEPARATORS.sub("", raw or "")
    for prefix in _COUNTRY_PREFIXES:
        if number.startswith(prefix) and len(number) == len(prefix) + 11:
            number = number[len(prefix) :]
            break
    return number if MAINLAND_MOBILE.fullmatch(number) else None


@dataclass(frozen=True)
class QuietHours:
    """Local (Asia/Shanghai) times between which nothing that can wait is sent."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours | None:
        """``21:00-08:00``; ``off`` (or empty) for none."""
        value = text.strip().lower()
        if value in ("", "off"):
            return None
        match = re.fullmatch(r"([0-2][0-9]):([0-5][0-9])-([0-2][0-9]):([0-5][0-9])", value)
        if not match:
            raise ValueError(f"quiet hours must be HH:MM-HH:MM or off, not {text!r}")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or (h1, m1) == (h2, m2):
            raise ValueError(f"quiet hours must be two different times of day, not {text!r}")
        return cls(time(h1, m1), time(h2, m2))

    def _inside(self, clock: time) -> bool:
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end  # the window spans midnight

    def ends_after(self, now: datetime) -> datetime | None:
        """When the window ``now`` falls in ends (an aware instant), or ``None`` outside it."""
        local = now.astimezone(SHANGHAI_OFFSET)
        if not self._inside(local.time().replace(tzinfo=None)):
            return None
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        return end if end > local else end + timedelta(days=1)


@dataclass(frozen=True)
class RateLimit:
    count: int
    window: timedelta


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_limits(text: str) -> tuple[RateLimit, ...]:
    """``1/30s,5/1h,10/1d``: at most 1 SMS per phone in any 30 s, 5 in any hour, 10 in any
    day; ``off`` for none."""
    if text.strip().lower() in ("", "off"):
        return ()
    found = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*([1-9][0-9]*)/([1-9][0-9]*)([smhd])\s*", part)
        if not match:
            raise ValueError(f"a rate limit is COUNT/PERIOD like 5/1h, not {part!r}")
        seconds = int(match.group(2)) * _UNITS[match.group(3)]
        found.append(RateLimit(int(match.group(1)), timedelta(seconds=seconds)))
    return tuple(found)


def longest_window(limits: Sequence[RateLimit]) -> timedelta:
    return max((limit.window for limit in limits), default=timedelta(0))


def next_free(
    limits: Sequence[RateLimit], sent: Iterable[datetime], now: datetime
) -> datetime | None:
    """When the phone may be sent to next, or ``None`` if it may now: for each limit that
    ``now`` would exceed, the moment the oldest send counted against it leaves its window."""
    times = sorted(sent)
    waits = []
    for limit in limits:
        recent = [t for t in times if now - t < limit.window]
        if len(recent) >= limit.count:
            waits.append(recent[len(recent) - limit.count] + limit.window)
    return max(waits) if waits else None


def recent_sends(
    sent: Iterable[datetime], limits: Sequence[RateLimit], now: datetime
) -> list[datetime]:
    """The sends still counted by some limit: all a phone's window row needs to keep."""
    keep = longest_window(limits)
    return sorted(t for t in sent if now - t < keep)


# Template variables: no URL in a variable (a link must be a constant of the approved
# template), and no longer than the account allows.
_URL = re.compile(r"(?i)(https?:|www\.|://|\b[a-z0-9-]+\.(cn|com|net|org|gov|top|xyz)\b)")


def param_problems(params: Mapping[str, str], max_chars: int) -> list[str]:
    """Why these template variables may not be sent (empty: they may)."""
    problems = []
    for name, value in params.items():
        if not value:
            problems.append(f"{name}: empty")
        elif len(value) > max_chars:
            problems.append(f"{name}: {len(value)} characters, at most {max_chars}")
        if _URL.search(value):
            problems.append(f"{name}: looks like a link")
    return problems
