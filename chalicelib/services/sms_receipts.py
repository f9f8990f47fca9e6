"""Use case: the SMS provider's delivery receipts record each sent SMS's final state on its
notification (delivered or failed), once; a receipt for a serial number we never sent, or for
another phone than the one we sent it to, changes nothing."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.domain import sms
from chalicelib.domain.sms import SmsState
from chalicelib.services.context import iso
from chalicelib.services.sms import SmsServices, day_count
from chalicelib.store.keys import phone_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    serial: str  # the provider's SerialNo ("sid")
    mobile: str
    delivered: bool


def token_matches(token: str | None, expected_sha256: str) -> bool:
    """The callback's token against the stage's configured digest (constant time); no digest
    configured: no receipt is accepted."""
    if not token or not expected_sha256:
        return False
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    return hmac.compare_digest(digest, expected_sha256.lower())


def record_receipts(ctx: SmsServices, receipts: Iterable[Receipt]) -> int:
    """Record each receipt; return how many changed a notification."""
    now = ctx.clock()
    recorded = 0
    for receipt in receipts:
        row = ctx.store.serial(receipt.serial)
        phone = sms.mainland_mobile(receipt.mobile)
        if row is None or phone is None or phone_key(ctx.phone_secret, phone) != row.phone_key:
            log.warning("SMS receipt matches no SMS we sent", extra={"serial": receipt.serial})
            continue
        state = SmsState.DELIVERED if receipt.delivered else SmsState.FAILED
        count = day_count(state, now, row.county)
        if ctx.store.receipt(row, state.value, iso(now), count):
            recorded += 1
    return recorded
