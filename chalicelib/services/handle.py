"""Use cases behind the workflow's item tasks, and the dead-letter handler. Each is
idempotent under SQS redelivery: a finished item is never decided twice, only its stored
answer is sent again."""

from __future__ import annotations

import logging
from datetime import datetime

from chalicelib.domain import calendar, items
from chalicelib.domain.case import CATALOGUE, FINISHED, CaseStatus, ItemCode, ItemStatus, Outcome
from chalicelib.errors import SubsidyAlreadyGranted
from chalicelib.services import archive
from chalicelib.services.context import Services, iso
from chalicelib.services.history import event
from chalicelib.services.notify import (
    accepted_notice,
    correction_notice,
    deliver,
    deliver_all,
    notification,
)
from chalicelib.services.transitions import certificate_number, close_item, facts_of
from chalicelib.store.records import (
    CaseBundle,
    CertificateRecord,
    ItemRecord,
    NotificationRecord,
    Row,
)
from chalicelib.store.repository import CaseChange, evolve
from chalicelib.workflow.messages import TaskMessage

log = logging.getLogger(__name__)


def handle_item(svc: Services, message: TaskMessage) -> None:
    bundle = svc.repo.load_case(message.case_id)
    item = bundle.item(message.item) if bundle else None
    if bundle is None or item is None:
        raise LookupError(f"case {message.case_id} has no item {message.item}")
    if item.status in FINISHED:
        _answer(svc, message.task_token, item.code, item.status)  # a redelivery
        return
    if item.status in (ItemStatus.IN_REVIEW, ItemStatus.CORRECTION_REQUIRED):
        return  # already waiting for a person, whose action answers the token
    now = svc.clock()
    facts = facts_of(svc, bundle, calendar.local_date(now))
    outcome, certificates = _decide(svc, bundle, ItemCode(item.code), facts)
    change = _change(svc, bundle, item, outcome, certificates, message.task_token, now)
    try:
        svc.repo.apply(change)
    except SubsidyAlreadyGranted:
        outcome = items.startup_subsidy(facts, None, had_subsidy=True)
        change = _change(svc, bundle, item, outcome, [], message.task_token, now)
        svc.repo.apply(change)
    if change.case is not None and not bundle.case.started:
        deliver(svc, accepted_notice(bundle.case))  # stored with the submission, sent once here
    archive.record_change(svc, bundle.case, change)
    deliver_all(svc, change.created)
    if not outcome.wait_for_person:
        _answer(svc, message.task_token, item.code, outcome.status)


def _answer(svc: Services, token: str, code: str, status: str) -> None:
    svc.workflow.succeed(token, {"code": code, "status": status})


def _decide(
    svc: Services, bundle: CaseBundle, code: ItemCode, facts: items.Facts
) -> tuple[Outcome, list[CertificateRecord]]:
    if code is ItemCode.LICENSE_VERIFICATION:
        return items.verify_licence(facts, svc.registry.lookup(facts.uscc)), []
    if code is ItemCode.TAXPAYER_CONFIRMATION:
        return items.confirm_taxpayer(facts), []
    if code is ItemCode.PENSION_REGISTRATION:
        return items.pension_registration(facts), []
    if code is ItemCode.STARTUP_SUBSIDY:
        business = svc.registry.lookup(facts.uscc)
        return items.startup_subsidy(facts, business, had_subsidy=False), []
    number = certificate_number(bundle.case.id, code, bundle.case.county, facts.today)
    outcome = items.employment_certificate(facts, number)
    if not outcome.succeeded:
        return outcome, []
    cert = CertificateRecord(
        person_key=facts.person_key,
        number=number,
        type=code,
        issued_on=facts.today.isoformat(),
        application_id=bundle.case.id,
    )
    return outcome, [cert]


def _new_state(
    svc: Services, item: ItemRecord, outcome: Outcome, token: str, now: datetime
) -> ItemRecord:
    common = {"status": outcome.status, "result": dict(outcome.result)}
    if outcome.wait_for_person:
        queue = "pending" if outcome.status == ItemStatus.IN_REVIEW else None
        return evolve(item, task_token=token, task_status=queue, updated_at=iso(now), **common)
    reminder = outcome.result.get("reminder_date") if outcome.succeeded else None
    return close_item(svc, item, now, reminder_date=reminder, **common)


def _change(
    svc: Services,
    bundle: CaseBundle,
    item: ItemRecord,
    outcome: Outcome,
    certificates: list[CertificateRecord],
    token: str,
    now: datetime,
) -> CaseChange:
    at = iso(now)
    changed = [_new_state(svc, item, outcome, token, now)]
    events = [event(bundle.case.id, at, outcome.status, outcome.detail, item=item.code)]
    case = None
    created: list[Row] = [*certificates]
    if outcome.status != ItemStatus.IN_REVIEW:
        created.append(_item_notice(bundle, item, outcome, now))
    if item.code == ItemCode.LICENSE_VERIFICATION:
        # The first handler of the workflow: the case has started (the sweeper lets go of it).
        case = evolve(bundle.case, started=True, updated_at=at, **_case_after_licence(outcome))
        if outcome.succeeded:
            changed += [
                evolve(other, status=ItemStatus.DISPATCHED, updated_at=at)
                for other in bundle.items
                if other.code != item.code and other.status == ItemStatus.PENDING
            ]
            events.append(
                event(bundle.case.id, at, "in_progress", "营业执照核验通过，已分送各部门办理")
            )
    grant_check = item.code == ItemCode.STARTUP_SUBSIDY and outcome.succeeded
    return CaseChange(
        case_id=bundle.case.id,
        case=case,
        items=changed,
        events=events,
        created=created,
        # One subsidy per person, ever: the transaction also checks no grant is on record.
        subsidy_person=bundle.case.person_key if grant_check else None,
    )


def _case_after_licence(outcome: Outcome) -> dict[str, object]:
    if outcome.succeeded:
        return {"status": CaseStatus.IN_PROGRESS}
    if outcome.status == ItemStatus.CORRECTION_REQUIRED:
        return {
            "status": CaseStatus.CORRECTION_REQUIRED,
            "corrections": outcome.result["corrections"],
        }
    return {}


def _item_notice(
    bundle: CaseBundle, item: ItemRecord, outcome: Outcome, now: datetime
) -> NotificationRecord:
    if outcome.status == ItemStatus.CORRECTION_REQUIRED:
        corrections: list[dict[str, str]] = list(outcome.result["corrections"])  # type: ignore[call-overload]
        return correction_notice(bundle.case, corrections, now)
    name = CATALOGUE[ItemCode(item.code)].name
    return notification(
        bundle.case, "item_finished", f"{name}：{outcome.detail}", now, key=item.code
    )


def fail_dead_letter(svc: Services, message: TaskMessage, cause: str) -> None:
    """A message whose handler failed every delivery: fail its task so the workflow's Catch
    marks the item failed (and a person takes it over) instead of waiting forever."""
    log.error("item handler gave up", extra={"case_id": message.case_id, "item": message.item})
    svc.workflow.fail(message.task_token, "ItemHandlerFailed", cause)
