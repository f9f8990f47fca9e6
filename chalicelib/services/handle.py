"""Use cases behind the workflow's item tasks, and the dead-letter handler. One handler serves
every item: what differs between items is in its catalogue entry. Each is idempotent under SQS
redelivery: a finished item is never decided twice, only its stored answer is sent again."""

from __future__ import annotations

import dataclasses
import logging
from datetime import date, datetime

from chalicelib.domain import calendar, catalogue
from chalicelib.domain.case import FINISHED, CaseStatus, ItemStatus, Outcome
from chalicelib.domain.catalogue import ItemSpec
from chalicelib.domain.items import Facts
from chalicelib.domain.lifecycle import Trigger
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
    CaseRecord,
    CertificateRecord,
    ItemRecord,
    NotificationRecord,
    Row,
)
from chalicelib.store.repository import CaseChange, evolve, move
from chalicelib.workflow.messages import TaskMessage

log = logging.getLogger(__name__)
_WAITING = (ItemStatus.IN_REVIEW, ItemStatus.CORRECTION_REQUIRED)


def handle_item(svc: Services, message: TaskMessage) -> None:
    bundle = svc.repo.load_case(message.case_id)
    item = bundle.item(message.item) if bundle else None
    if bundle is None or item is None:
        raise LookupError(f"case {message.case_id} has no item {message.item}")
    if item.status in FINISHED:
        _answer(svc, message.task_token, item.code, item.status)  # a redelivery
        return
    if item.status in _WAITING:
        return  # already waiting for a person, whose action answers the token
    now = svc.clock()
    spec = catalogue.spec(item.code)
    facts = _facts(svc, bundle, spec, calendar.local_date(now))
    outcome = spec.rule(facts)
    change = _change(svc, bundle, item, spec, outcome, message.task_token, now)
    try:
        svc.repo.apply(change)
    except SubsidyAlreadyGranted:  # another case of the person's was granted meanwhile
        outcome = spec.rule(dataclasses.replace(facts, had_subsidy=True))
        change = _change(svc, bundle, item, spec, outcome, message.task_token, now)
        svc.repo.apply(change)
    if change.case is not None and not bundle.case.started:
        deliver(svc, accepted_notice(bundle.case))  # stored with the submission, sent once here
    archive.record_change(svc, bundle.case, change)
    deliver_all(svc, change.created)
    if not outcome.wait_for_person:
        _answer(svc, message.task_token, item.code, outcome.status)


def _answer(svc: Services, token: str, code: str, status: str) -> None:
    svc.workflow.succeed(token, {"code": code, "status": status})


def _facts(svc: Services, bundle: CaseBundle, spec: ItemSpec, today: date) -> Facts:
    known: dict[str, object] = {}
    if spec.needs_business:
        known["business"] = svc.registry.lookup(bundle.case.business["uscc"])
    if spec.certificate is not None and not spec.certificate.on_approval:
        case = bundle.case
        known["certificate_number"] = certificate_number(case.id, spec.code, case.county, today)
    return facts_of(svc, bundle, today, **known)


def _certificates(spec: ItemSpec, outcome: Outcome, case: CaseRecord) -> list[CertificateRecord]:
    """The certificate a successful handling issues (我的证照), if the item issues one then."""
    scheme = spec.certificate
    if scheme is None or scheme.on_approval or not outcome.succeeded:
        return []
    return [
        CertificateRecord(
            person_key=case.person_key,
            number=str(outcome.result[scheme.number_field]),
            type=spec.code,
            issued_on=str(outcome.result[scheme.date_field]),
            application_id=case.id,
        )
    ]


def _new_state(
    svc: Services, item: ItemRecord, spec: ItemSpec, outcome: Outcome, token: str, now: datetime
) -> ItemRecord:
    result = dict(outcome.result)
    if outcome.wait_for_person:
        reviewed = spec.review is not None and outcome.status == spec.review.waits_in
        return move(
            item,
            outcome.status,
            Trigger.HANDLING,
            task_token=token,
            task_status="pending" if reviewed else None,
            result=result,
            updated_at=iso(now),
        )
    reminder = outcome.remind_on.isoformat() if outcome.remind_on else None
    return close_item(
        svc, item, now, outcome.status, Trigger.HANDLING, reminder_date=reminder, result=result
    )


def _change(
    svc: Services,
    bundle: CaseBundle,
    item: ItemRecord,
    spec: ItemSpec,
    outcome: Outcome,
    token: str,
    now: datetime,
) -> CaseChange:
    at = iso(now)
    changed = [_new_state(svc, item, spec, outcome, token, now)]
    events = [event(bundle.case.id, at, outcome.status, outcome.detail, item=item.code)]
    created: list[Row] = []
    if outcome.status != ItemStatus.IN_REVIEW:
        created.append(_item_notice(bundle, item, spec, outcome, now))
    case = None
    if spec.gate:
        # The first handler of the workflow: the case has started (the sweeper lets go of it).
        case = _case_after_gate(bundle.case, outcome, at)
        if outcome.succeeded:
            changed += [
                move(other, ItemStatus.DISPATCHED, Trigger.GATE_PASSED, updated_at=at)
                for other in bundle.items
                if other.code != item.code and other.status == ItemStatus.PENDING
            ]
            events.append(
                event(bundle.case.id, at, "in_progress", "营业执照核验通过，已分送各部门办理")
            )
    return CaseChange(
        case_id=bundle.case.id,
        case=case,
        items=changed,
        events=events,
        created=[*created, *_certificates(spec, outcome, bundle.case)],
        # Once per person, ever: the transaction also checks no grant is on record.
        subsidy_person=bundle.case.person_key
        if spec.once_per_person and outcome.succeeded
        else None,
    )


def _case_after_gate(case: CaseRecord, outcome: Outcome, at: str) -> CaseRecord:
    if outcome.succeeded:
        return move(case, CaseStatus.IN_PROGRESS, Trigger.GATE_PASSED, started=True, updated_at=at)
    if outcome.status == ItemStatus.CORRECTION_REQUIRED:
        corrections = list(outcome.result["corrections"])  # type: ignore[call-overload]
        return move(
            case,
            CaseStatus.CORRECTION_REQUIRED,
            Trigger.HANDLING,
            started=True,
            updated_at=at,
            corrections=corrections,
        )
    return evolve(case, started=True, updated_at=at)


def _item_notice(
    bundle: CaseBundle, item: ItemRecord, spec: ItemSpec, outcome: Outcome, now: datetime
) -> NotificationRecord:
    if outcome.status == ItemStatus.CORRECTION_REQUIRED:
        corrections: list[dict[str, str]] = list(outcome.result["corrections"])  # type: ignore[call-overload]
        return correction_notice(bundle.case, corrections, now)
    return notification(
        bundle.case, "item_finished", f"{spec.name}：{outcome.detail}", now, key=item.code
    )


def fail_dead_letter(svc: Services, message: TaskMessage, cause: str) -> None:
    """A message whose handler failed every delivery: fail its task so the workflow's Catch
    marks the item failed (and a person takes it over) instead of waiting forever."""
    log.error("item handler gave up", extra={"case_id": message.case_id, "item": message.item})
    svc.workflow.fail(message.task_token, "ItemHandlerFailed", cause)
