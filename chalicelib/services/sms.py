"""Use case: send a notification's SMS, once, if it is one the applicant must not miss.

The notifications topic delivers each applicant notification to the SMS queue (at least once);
this reads the stored notification (the record of truth), decides from the store what its SMS
says (``domain.sms_notices``), opens the contact phone (the only place besides the API that
does: ``services.personal.clear_form``), and then, unless the night or the phone's limits say
wait, claims the notification and the phone's send slot in one conditional write before the
provider is called. A second delivery of the same notification finds it claimed or done and
sends nothing. Whatever happens is recorded on the notification (``SmsStatus``), for the
applicant's list and the summary report; the number itself never leaves this function.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chalicelib import metrics
from chalicelib.domain import sms, sms_notices
from chalicelib.domain.calendar import local_date
from chalicelib.domain.items import SUBSIDY_AMOUNT_CNY
from chalicelib.domain.sms import SmsState
from chalicelib.errors import StaleStateError
from chalicelib.integrations.crypto import FieldCipher
from chalicelib.integrations.sms import Outcome, SendResult, SmsGateway
from chalicelib.services.context import iso
from chalicelib.services.personal import clear_form
from chalicelib.settings import SmsSettings
from chalicelib.sms_queue import SMS_MAX_RECEIVES
from chalicelib.store.keys import phone_key
from chalicelib.store.records import (
    CaseBundle,
    NotificationRecord,
    PhoneWindowRecord,
    SmsSerialRecord,
    SmsStatus,
)
from chalicelib.store.repository import CaseRepository
from chalicelib.store.sms import Count, SmsStore

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5  # calls to the provider for one notification before it is given up
# A claim older than this belongs to a sender that stopped mid-call (the function's own
# timeout is 10 s): the notification may be claimed again.
CLAIM_LEASE = timedelta(seconds=60)
BACKOFF_S = (30, 120, 600, 1800)  # after the 1st, 2nd, 3rd, later transient failure
THROTTLED_S = 60  # the provider's own per-phone limit hit: its shortest window is 30 s
SPREAD_S = 300  # quiet hours end for everyone at once: spread the morning's sends


@dataclass(frozen=True)
class SmsServices:
    repo: CaseRepository
    store: SmsStore
    gateway: SmsGateway
    cipher: FieldCipher
    settings: SmsSettings
    phone_secret: str  # keys phones in rows (store.keys.phone_key)
    clock: Callable[[], datetime]


@dataclass(frozen=True)
class Hold:
    """Deliver the message again in ``seconds`` (the queue keeps it meanwhile)."""

    seconds: int


@dataclass(frozen=True)
class Ready:
    template: sms_notices.Template
    template_id: str
    params: list[str]
    phone: str
    county: str


def _status(state: SmsState, now: datetime, **fields: object) -> SmsStatus:
    return SmsStatus.model_validate({"state": state.value, "at": iso(now), **fields})


def day_count(state: SmsState, now: datetime, county: str) -> Count:
    """The report's counter of texts in ``state`` on ``now``'s Luoyang day, in the county."""
    return Count(local_date(now).isoformat(), county, state.value)


def _facts(ctx: SmsServices, note: NotificationRecord, bundle: CaseBundle) -> sms_notices.Facts:
    item = bundle.item(note.item) if note.item else None
    delivery = ctx.repo.get_delivery(bundle.case.id) if note.type == "delivery_ready" else None
    return sms_notices.Facts(
        type=note.type,
        item=note.item,
        item_status=item.status if item else None,
        case_status=bundle.case.status,
        due_date=date.fromisoformat(bundle.case.due_date),
        pickup_code=delivery.pickup_code if delivery and delivery.method == "pickup" else None,
        subsidy_amount=SUBSIDY_AMOUNT_CNY,
        max_chars=ctx.settings.param_max_chars,
    )


def _prepare(
    ctx: SmsServices, note: NotificationRecord, bundle: CaseBundle
) -> Ready | tuple[SmsState, str]:
    """What to send and to whom, or the state and reason of a notice that gets no SMS."""
    plan = sms_notices.plan(_facts(ctx, note, bundle))
    if plan.template is None:
        return SmsState.NOT_APPLICABLE, plan.reason or "not_sms_type"
    template_id = ctx.settings.template_ids().get(plan.template.value)
    if not template_id:
        return SmsState.NOT_APPLICABLE, "no_template"
    if sms.param_problems(plan.params, ctx.settings.param_max_chars):
        return SmsState.FAILED, "bad_params"
    applicant = clear_form(ctx.cipher, bundle.case).get("applicant") or {}
    phone = sms.mainland_mobile(str(applicant.get("phone", "")))
    if phone is None:
        return SmsState.NOT_APPLICABLE, "no_mainland_mobile"
    params = list(plan.params.values())
    return Ready(plan.template, template_id, params, phone, bundle.case.county)


def send_notification(
    ctx: SmsServices, person_key: str, notification_id: str, receives: int = 1
) -> Hold | None:
    """Send the notification's SMS if it needs one; a ``Hold`` when it must wait."""
    note = ctx.store.notification(person_key, notification_id)
    current = note.sms if note else None
    if note is None or (current and current.state in sms.DONE_STATES):
        return None  # unknown (logged by the caller's count) or done: a repeated delivery
    now = ctx.clock()
    if current and current.state == SmsState.SENDING and not _stale(current, now):
        return Hold(int(CLAIM_LEASE.total_seconds()))  # another sender is at it right now
    bundle = ctx.repo.load_case(note.application_id)
    if bundle is None:
        log.error("SMS for a case that does not exist", extra={"notification": note.id})
        return None
    ready = _prepare(ctx, note, bundle)
    if not isinstance(ready, Ready):
        state, reason = ready
        count = day_count(state, now, bundle.case.county)
        if ctx.store.mark(note, _status(state, now, reason=reason), count):
            _metric(state)
        return None
    return _when_allowed(ctx, note, ready, now, receives)


def _stale(status: SmsStatus, now: datetime) -> bool:
    return status.claimed_at is None or status.claimed_at < iso(now - CLAIM_LEASE)


def _metric(state: SmsState) -> None:
    metrics.emit("Sms" + state.value.title().replace("_", ""), 1)  # no dimension: no phone


def _hold(
    ctx: SmsServices, note: NotificationRecord, ready: Ready, wait: Waiting, receives: int
) -> Hold | None:
    """Record that the SMS waits (counted once, the first time), and for how long."""
    now, template = wait.now, ready.template.value
    if receives >= SMS_MAX_RECEIVES:  # the queue would give up on the message: say so
        failed = _status(SmsState.FAILED, now, reason="gave_up", template=template)
        ctx.store.mark(note, failed, day_count(SmsState.FAILED, now, ready.county))
        _metric(SmsState.FAILED)
        return None
    held = _status(
        SmsState.HELD,
        now,
        reason=wait.reason,
        template=template,
        attempts=note.sms.attempts if note.sms else 0,
        held_until=iso(wait.until),
    )
    count = day_count(SmsState.HELD, now, ready.county) if note.sms is None else None
    if not ctx.store.mark(note, held, count):
        return None  # claimed or done meanwhile by another delivery
    _metric(SmsState.HELD)
    return Hold(max(1, int((wait.until - now).total_seconds()) + 1))


@dataclass(frozen=True)
class Waiting:
    until: datetime
    now: datetime
    reason: str


def _when_allowed(
    ctx: SmsServices, note: NotificationRecord, ready: Ready, now: datetime, receives: int
) -> Hold | None:
    quiet = sms.QuietHours.parse(ctx.settings.quiet_hours)
    ends = quiet.ends_after(now) if quiet and ready.template not in sms_notices.URGENT else None
    if ends is not None:
        spread = timedelta(seconds=random.randrange(SPREAD_S))  # noqa: S311  # nosec B311
        return _hold(ctx, note, ready, Waiting(ends + spread, now, "quiet_hours"), receives)
    limits = sms.parse_limits(ctx.settings.rate_limits)
    key = phone_key(ctx.phone_secret, ready.phone)
    for _ in range(3):  # the phone's window changed under us: read it again
        window = ctx.store.window(key) or PhoneWindowRecord(phone_key=key, version=0)
        sent = [datetime.fromisoformat(t) for t in window.sent]
        free = sms.next_free(limits, sent, now)
        if free is not None:
            return _hold(ctx, note, ready, Waiting(free, now, "rate_limited"), receives)
        kept = [iso(t) for t in sms.recent_sends([*sent, now], limits, now)]
        window = window.model_copy(update={"sent": kept, "version": window.version + 1})
        try:
            return _claimed(ctx, note, ready, window, now)
        except StaleStateError:
            continue
    return Hold(5)


def _claimed(
    ctx: SmsServices,
    note: NotificationRecord,
    ready: Ready,
    window: PhoneWindowRecord,
    now: datetime,
) -> Hold | None:
    attempts = (note.sms.attempts if note.sms else 0) + 1
    claim = _status(
        SmsState.SENDING,
        now,
        template=ready.template.value,
        attempts=attempts,
        claimed_at=iso(now),
    )
    if not ctx.store.claim(note, claim, window, iso(now - CLAIM_LEASE)):
        return None  # another delivery claimed it first, or it is done
    result = ctx.gateway.send(ready.phone, ready.template_id, ready.params, note.id)
    return _settle(ctx, note, ready, claim, result)


def _after(
    result: SendResult, attempts: int, now: datetime
) -> tuple[SmsState, dict[str, str], int]:
    """The state an answer of the provider leaves the SMS in, and how long to wait if held."""
    code = {"provider_code": result.code} if result.code else {}
    if result.outcome == Outcome.SENT:
        return SmsState.SENT, {"serial": result.serial}, 0
    if result.outcome == Outcome.PERMANENT:
        return SmsState.FAILED, {"reason": "provider_rejected", **code}, 0
    if attempts >= MAX_ATTEMPTS:
        return SmsState.FAILED, {"reason": "gave_up", **code}, 0
    throttled = result.outcome == Outcome.THROTTLED
    wait = THROTTLED_S if throttled else BACKOFF_S[min(attempts, len(BACKOFF_S)) - 1]
    until = iso(now + timedelta(seconds=wait))
    reason = "rate_limited" if throttled else "retrying"
    return SmsState.HELD, {"reason": reason, "held_until": until, **code}, wait


def _settle(
    ctx: SmsServices, note: NotificationRecord, ready: Ready, claim: SmsStatus, result: SendResult
) -> Hold | None:
    now = ctx.clock()
    state, fields, wait = _after(result, claim.attempts, now)
    status = _status(state, now, template=ready.template.value, attempts=claim.attempts, **fields)
    serial = None
    if state == SmsState.SENT:
        key = phone_key(ctx.phone_secret, ready.phone)
        serial = SmsSerialRecord(
            serial=result.serial,
            person_key=note.person_key,
            notification_id=note.id,
            phone_key=key,
            county=ready.county,
            sent_at=iso(now),
        )
    first = state != SmsState.HELD or note.sms is None  # a hold is counted once
    count = day_count(state, now, ready.county) if first else None
    if not ctx.store.settle(note, status, claim.claimed_at or "", serial, count):
        log.warning("SMS claim lost before its outcome was recorded", extra={"id": note.id})
        return None
    _metric(state)
    return Hold(wait) if wait else None
